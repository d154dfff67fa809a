package org.knowmad.review;

import java.io.IOException;

/** Bad CSV input, with the 1-based line it was found on; the message starts with "line N: ". */
public final class CsvProblem extends IOException {

    private final int line;

    public CsvProblem(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
