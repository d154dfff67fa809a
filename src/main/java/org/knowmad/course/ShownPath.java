package org.knowmad.course;

import java.nio.file.Path;

/** Shows file paths the way a person typed them: relative to a base (the working directory) when inside it. */
final class ShownPath {

    private final Path base;

    ShownPath(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    static ShownPath fromWorkingDirectory() {
        return new ShownPath(Path.of(""));
    }

    String of(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(base) && !absolute.equals(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
