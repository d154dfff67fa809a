package org.knowmad.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
            Path target = tempDir("knowmad-courses");
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
        return tempDir("knowmad-data");
    }

    /**
     * A new folder for a test's files, deleted with everything in it when the test JVM ends: a test run used to leave
     * some 75 folders behind. Surefire also points {@code java.io.tmpdir} into {@code target/}, so whatever a killed
     * run leaves goes with {@code mvn clean}.
     */
    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            MADE.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<Path> MADE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(Fixtures::deleteTree), "delete-test-folders"));
    }

    /** Deletes a folder and what is in it; what cannot be deleted (a file still being written) stays. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind; the JVM is ending and nothing else can be done about it
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a file vanished while walking: the rest was deleted as far as possible
        }
    }
}
