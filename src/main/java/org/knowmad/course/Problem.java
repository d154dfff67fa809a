package org.knowmad.course;

/**
 * One thing wrong with a course file, located the way editors and compilers do it.
 *
 * @param file   the file as a person would type it, relative to the working directory when possible
 * @param line   1-based line, or 0 when the problem concerns the whole file (e.g. a refused reload)
 * @param column 1-based column, or 0 with line 0
 * @param path   where in the document: {@code modules[3].opens}, or {@code (root)} for the document itself
 * @param message short English, fit for a facilitator
 */
public record Problem(String file, int line, int column, String path, String message) {

    /** {@code file:line:column: path: message}; without {@code line:column} when the position is unknown. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        return where + ": " + path + ": " + message;
    }
}
