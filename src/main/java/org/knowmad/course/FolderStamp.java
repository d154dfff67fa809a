package org.knowmad.course;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The size and modification time of every file in a course folder: cheap to take every few seconds,
 * and different whenever a facilitator saves, adds, renames or deletes a file. (WatchService misses
 * events on bind mounts and in many containers, hence polling.) An edit that keeps both the size and
 * the modification time within the file system's clock resolution goes unseen until the next save.
 */
record FolderStamp(Map<String, String> files) {

    /** The stamp of a folder that is not there (or no longer holds a course.yaml). */
    static final FolderStamp ABSENT = new FolderStamp(Map.of());

    // Course folders are shallow; the limit only guards against a symlink loop or a stray huge tree.
    private static final int MAX_DEPTH = 4;

    static FolderStamp of(Path folder) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder, MAX_DEPTH)) {
            paths.filter(p -> !p.equals(folder)).forEach(p -> {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        files.put(folder.relativize(p).toString(), attributes.size() + " bytes at " + attributes.lastModifiedTime());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The folder changed under our feet (a save in progress): a stamp that matches nothing makes the next poll look again.
            files.put("", "unreadable " + System.nanoTime());
        }
        return new FolderStamp(Map.copyOf(files));
    }
}
