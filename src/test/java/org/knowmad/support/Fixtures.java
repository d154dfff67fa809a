package org.knowmad.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/** The demo course of src/test/resources, copied to a temporary folder so a test may edit it. */
public final class Fixtures {

    /** Tuesday 2030-03-05 11:00 Amsterdam: week 1 of the "spring" cohort is open, week 2 opens 2030-03-11 09:00. */
    public static final Instant SPRING_DAY_2 = Instant.parse("2030-03-05T10:00:00Z");

    private Fixtures() {
    }

    public static Path coursesCopy() {
        try {
            Path source = Path.of(Fixtures.class.getResource("/test-courses").toURI());
            Path target = Files.createTempDirectory("knowmad-courses");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path dest = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(dest);
                    else Files.copy(p, dest);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("knowmad-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
