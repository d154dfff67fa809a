package org.knowmad.course;

/**
 * Paths into a course document in the form facilitators read: {@code modules[3].assignment.submit_by}.
 * The document itself is the empty string internally and {@code (root)} when shown.
 */
final class DocPath {

    static final String ROOT = "";

    private DocPath() {
    }

    static String key(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    static String shown(String path) {
        return path.isEmpty() ? "(root)" : path;
    }

    /** The enclosing path: {@code modules[3]} for {@code modules[3].opens}, {@code modules} for {@code modules[3]}. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? ROOT : path.substring(0, cut);
    }

    /** The last key of a path ({@code opens} for {@code modules[3].opens}), or "" when it ends in an index. */
    static String lastKey(String path) {
        if (path.endsWith("]")) return "";
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
