package org.knowmad.course;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The courses the server serves, reloaded from {@code COURSES_DIR} while it runs.
 *
 * <p>Readers always see one consistent, immutable snapshot; {@link #reload()} builds the next one and swaps it
 * in at once. A course whose new files are invalid, or whose change the {@link ReloadGuard} refuses, keeps its
 * last good version live and shows its problems; a course that was never valid is not served. Folders whose
 * files did not change since the last reload are not read again, so polling every two seconds is cheap:
 * <pre>{@code
 * catalog.reload().await();                       // at start, before serving
 * vertx.setPeriodic(2000, t -> vertx.executeBlocking(catalog::reload).compose(f -> f));
 * }</pre>
 * (The file reads happen in the calling thread, hence {@code executeBlocking}; the guard's futures may complete
 * on any thread.) Overlapping calls share the reload in progress.
 */
public final class CourseCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(CourseCatalog.class);

    /** One course folder as the catalogue knows it: the files seen, the version served (or null), its problems. */
    private record Folder(FolderStamp stamp, Course live, List<Problem> problems) {
    }

    /** The outcome of looking at one folder again; a null folder means forget it. */
    private record Change(String name, Folder folder, String added, String updated, String removed) {
    }

    /** Everything readers see, computed once per swap. */
    private record Snapshot(Map<String, Folder> folders, List<Course> courses, Map<String, Course> byId, List<Problem> problems) {
        static final Snapshot EMPTY = of(Map.of());

        static Snapshot of(Map<String, Folder> folders) {
            List<Course> courses = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (Folder folder : new TreeMap<>(folders).values()) {
                if (folder.live() != null) courses.add(folder.live());
                problems.addAll(folder.problems());
            }
            courses.sort(Comparator.comparing(Course::id));
            Map<String, Course> byId = new HashMap<>();
            courses.forEach(c -> byId.put(c.id(), c));
            return new Snapshot(Map.copyOf(folders), List.copyOf(courses), Map.copyOf(byId), List.copyOf(problems));
        }
    }

    private final Path coursesDirectory;
    private final ReloadGuard guard;
    private final CourseLoader loader;
    private final List<Consumer<ReloadReport>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot current = Snapshot.EMPTY;
    private Future<ReloadReport> inFlight; // guarded by this

    /** A catalogue of the courses in {@code coursesDirectory}; empty until the first {@link #reload()}. */
    public CourseCatalog(Path coursesDirectory, ReloadGuard guard) {
        this(coursesDirectory, guard, new CourseLoader());
    }

    CourseCatalog(Path coursesDirectory, ReloadGuard guard, CourseLoader loader) {
        this.coursesDirectory = coursesDirectory;
        this.guard = guard;
        this.loader = loader;
    }

    /** The served courses, sorted by id. */
    public List<Course> courses() {
        return current.courses();
    }

    public Optional<Course> course(String id) {
        return Optional.ofNullable(current.byId().get(id));
    }

    /** The problems of every course folder now: invalid files, refused changes. Empty when all is well. */
    public List<Problem> problems() {
        return current.problems();
    }

    /**
     * Called after each reload that changed what is served (not on reloads that only found problems), on the
     * thread that finished the reload (the caller's, or the one completing the guard's future): keep it quick.
     */
    public void addListener(Consumer<ReloadReport> listener) {
        listeners.add(listener);
    }

    /**
     * Looks at the course folders again and swaps in what changed. Problems with the files land in the report
     * and in {@link #problems()}; the future fails only on a bug of ours, leaving the current snapshot in place.
     */
    public synchronized Future<ReloadReport> reload() {
        if (inFlight != null) return inFlight;
        Future<ReloadReport> reloading;
        try {
            reloading = scan(current);
        } catch (RuntimeException e) {
            reloading = Future.failedFuture(e);
        }
        inFlight = reloading;
        reloading.onComplete(done -> finished());
        return reloading;
    }

    private synchronized void finished() {
        inFlight = null;
    }

    private Future<ReloadReport> scan(Snapshot before) {
        Map<String, Path> present = new TreeMap<>();
        try {
            for (Path folder : CourseLoader.courseFolders(coursesDirectory)) {
                present.put(folder.getFileName().toString(), folder);
            }
        } catch (IOException e) {
            // An unreadable courses folder must not unpublish every course: keep serving what we have.
            LOG.warn("cannot list {}: {}", coursesDirectory, e.toString());
            return Future.succeededFuture(new ReloadReport(List.of(), List.of(), List.of(), before.problems()));
        }
        TreeSet<String> names = new TreeSet<>(before.folders().keySet());
        names.addAll(present.keySet());
        List<Future<Change>> changes = new ArrayList<>();
        for (String name : names) {
            Folder old = before.folders().get(name);
            Path folder = present.get(name);
            FolderStamp stamp = folder == null ? FolderStamp.ABSENT : FolderStamp.of(folder);
            if (old != null && stamp.equals(old.stamp())) continue;
            Path file = coursesDirectory.resolve(name).resolve(CourseValidator.FILE_NAME);
            changes.add(folder == null ? removed(name, old, file) : changed(name, old, stamp, folder, file));
        }
        return Future.all(changes).map(done -> swap(before, done.list()));
    }

    private Future<Change> removed(String name, Folder old, Path file) {
        if (old.live() == null) return Future.succeededFuture(new Change(name, null, null, null, null));
        return guarded(old.live(), null, file).map(refusals -> refusals.isEmpty()
                ? new Change(name, null, null, null, old.live().id())
                : new Change(name, new Folder(FolderStamp.ABSENT, old.live(), refusals), null, null, null));
    }

    private Future<Change> changed(String name, Folder old, FolderStamp stamp, Path folder, Path file) {
        Course previous = old == null ? null : old.live();
        CourseLoader.Loaded loaded = loader.loadCourse(folder);
        if (loaded.course() == null) {
            return Future.succeededFuture(new Change(name, new Folder(stamp, previous, loaded.problems()), null, null, null));
        }
        Course next = loaded.course();
        if (previous == null) {
            return Future.succeededFuture(new Change(name, new Folder(stamp, next, List.of()), next.id(), null, null));
        }
        // The refused stamp is remembered too: the guard is asked again when the files change, not every poll.
        return guarded(previous, next, file).map(refusals -> refusals.isEmpty()
                ? new Change(name, new Folder(stamp, next, List.of()), null, next.id(), null)
                : new Change(name, new Folder(stamp, previous, refusals), null, null, null));
    }

    /** The guard's refusals as problems of the course file; a guard that fails or throws refuses. */
    private Future<List<Problem>> guarded(Course previous, Course next, Path file) {
        Future<List<String>> answer;
        try {
            answer = guard.check(previous, next);
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        String shown = loader.shown(file);
        return answer
                .recover(e -> Future.succeededFuture(List.of("could not check the change against running cohorts (" + e.getMessage()
                        + "); save the file again to retry")))
                .map(messages -> messages.stream()
                        .map(m -> new Problem(shown, 0, 0, DocPath.shown(DocPath.ROOT), m + " (the previous version stays live)"))
                        .toList());
    }

    private ReloadReport swap(Snapshot before, List<Change> changes) {
        Map<String, Folder> folders = new HashMap<>(before.folders());
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Change change : changes) {
            logResult(change);
            if (change.folder() == null) folders.remove(change.name());
            else folders.put(change.name(), change.folder());
            if (change.added() != null) added.add(change.added());
            if (change.updated() != null) updated.add(change.updated());
            if (change.removed() != null) removed.add(change.removed());
        }
        Snapshot after = Snapshot.of(folders);
        current = after;
        ReloadReport report = new ReloadReport(added, updated, removed, after.problems());
        if (report.changed()) notifyListeners(report);
        return report;
    }

    /**
     * One line per course folder whose files changed, so a facilitator editing with the server running sees in the
     * terminal whether the edit took: {@code course knowmad: reloaded, ok}, or the number of errors and the first.
     */
    private static void logResult(Change change) {
        Folder folder = change.folder();
        if (folder == null) {
            if (change.removed() != null) LOG.info("course {}: folder removed, no longer served", change.name());
            return;
        }
        List<Problem> problems = folder.problems();
        if (problems.isEmpty()) {
            LOG.info("course {}: {}, ok", change.name(), change.added() != null ? "loaded" : "reloaded");
        } else {
            LOG.warn("course {}: {} {}, {}; first: {}", change.name(), problems.size(), problems.size() == 1 ? "error" : "errors",
                    folder.live() == null ? "not served" : "the last good version stays live", problems.get(0));
        }
    }

    private void notifyListeners(ReloadReport report) {
        for (Consumer<ReloadReport> listener : listeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                // One broken listener must not stop the others, nor undo a swap already done.
                LOG.warn("course catalogue listener failed", e);
            }
        }
    }
}
