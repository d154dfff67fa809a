package org.knowmad.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseCatalogTest {

    private static final String GOOD = CourseFiles.MINIMAL;
    private static final String RETITLED = CourseFiles.MINIMAL.replace("title: Knowmad", "title: Knowmad, second edition");
    private static final String BAD = CourseFiles.MINIMAL.replace("opens: P0D", "opens: soon");

    @TempDir
    Path tmp;
    CourseFiles files;
    List<ReloadReport> heard = new ArrayList<>();

    @BeforeEach
    void setUp() {
        files = new CourseFiles(tmp);
    }

    private CourseCatalog catalog(ReloadGuard guard) {
        CourseCatalog catalog = new CourseCatalog(files.courses, guard, files.loader());
        catalog.addListener(heard::add);
        return catalog;
    }

    private static ReloadReport reload(CourseCatalog catalog) {
        try {
            return catalog.reload().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> problems(CourseCatalog catalog) {
        return catalog.problems().stream().map(Problem::toString).toList();
    }

    private static String title(CourseCatalog catalog) {
        return catalog.course("knowmad").orElseThrow().definition().title();
    }

    @Test
    void firstReloadLoadsEveryCourseSortedById() {
        files.course("zeta", GOOD.replace("id: knowmad", "id: zeta"));
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        assertTrue(catalog.courses().isEmpty());

        ReloadReport report = reload(catalog);
        assertEquals(List.of("knowmad", "zeta"), report.added());
        assertEquals(List.of("knowmad", "zeta"), catalog.courses().stream().map(Course::id).toList());
        assertEquals(List.of(report), heard);
    }

    @Test
    void unchangedFilesAreNotReadAgain() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);
        Course first = catalog.course("knowmad").orElseThrow();

        ReloadReport again = reload(catalog);
        assertTrue(!again.changed());
        assertSame(first, catalog.course("knowmad").orElseThrow());
        assertEquals(1, heard.size());
    }

    @Test
    void goodEditReplacesTheCourse() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);

        files.course("knowmad", RETITLED);
        ReloadReport report = reload(catalog);
        assertEquals(List.of("knowmad"), report.updated());
        assertEquals("Knowmad, second edition", title(catalog));
    }

    @Test
    void contentEditIsSeenToo() {
        Path dir = files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);

        files.write(dir.resolve("week-1.md"), "# Week 1, rewritten\n");
        reload(catalog);
        assertEquals("# Week 1, rewritten\n", catalog.course("knowmad").orElseThrow().content("week-1").orElseThrow());
    }

    @Test
    void badEditKeepsTheGoodVersionLiveAndShowsItsProblems() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);

        files.course("knowmad", BAD.replace("title: Knowmad", "title: Broken edit"));
        ReloadReport report = reload(catalog);
        assertTrue(!report.changed());
        assertEquals("Knowmad", title(catalog));
        List<String> expected = List.of("courses/knowmad/course.yaml:10:12: modules[0].opens: 'soon' is not a duration or local date-time");
        assertEquals(expected, problems(catalog));
        assertEquals(expected, report.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void fixingTheFileClearsItsProblems() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);
        files.course("knowmad", BAD);
        reload(catalog);

        files.course("knowmad", RETITLED);
        ReloadReport report = reload(catalog);
        assertEquals(List.of("knowmad"), report.updated());
        assertEquals(List.of(), problems(catalog));
        assertEquals("Knowmad, second edition", title(catalog));
    }

    @Test
    void neverValidCourseIsNotServedButItsProblemsAreListed() {
        files.course("knowmad", BAD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);
        assertTrue(catalog.course("knowmad").isEmpty());
        assertEquals(1, catalog.problems().size());

        files.course("knowmad", GOOD);
        ReloadReport report = reload(catalog);
        assertEquals(List.of("knowmad"), report.added());
        assertEquals(List.of(), problems(catalog));
    }

    @Test
    void guardRefusalKeepsTheOldVersionAndRecordsItsMessages() {
        files.course("knowmad", GOOD);
        List<Course[]> asked = new ArrayList<>();
        CourseCatalog catalog = catalog(ReloadGuard.of((previous, next) -> {
            asked.add(new Course[] {previous, next});
            return next.definition().cohort("2017-01").isEmpty() ? List.of("cohort 2017-01 has 12 participants; it cannot be removed") : List.of();
        }));
        reload(catalog);
        assertTrue(asked.isEmpty(), "a new course has no history to break");

        files.course("knowmad", GOOD.replace("id: 2017-01", "id: 2017-02"));
        ReloadReport report = reload(catalog);
        assertTrue(!report.changed());
        assertEquals("2017-01", catalog.course("knowmad").orElseThrow().definition().cohorts().get(0).id());
        assertEquals(List.of("courses/knowmad/course.yaml: (root): cohort 2017-01 has 12 participants; it cannot be removed (the previous version stays live)"),
                problems(catalog));
        assertEquals("2017-01", asked.get(0)[0].definition().cohorts().get(0).id());
        assertEquals("2017-02", asked.get(0)[1].definition().cohorts().get(0).id());

        // Not asked again until the files change; then an acceptable version goes live.
        reload(catalog);
        assertEquals(1, asked.size());
        files.course("knowmad", RETITLED);
        reload(catalog);
        assertEquals("Knowmad, second edition", title(catalog));
        assertEquals(List.of(), problems(catalog));
    }

    @Test
    void failingGuardRefusesAndAsynchronousGuardIsAwaited() {
        files.course("knowmad", GOOD);
        Promise<List<String>> answer = Promise.promise();
        CourseCatalog catalog = catalog((previous, next) -> next == null ? Future.failedFuture("database down") : answer.future());
        reload(catalog);
        files.course("knowmad", RETITLED);
        Future<ReloadReport> pending = catalog.reload();
        assertTrue(!pending.isComplete());
        assertSame(pending, catalog.reload(), "a reload in progress is shared, not started twice");
        assertEquals("Knowmad", title(catalog));
        answer.complete(List.of());
        assertTrue(pending.succeeded());
        assertEquals("Knowmad, second edition", title(catalog));

        files.delete("knowmad");
        reload(catalog);
        assertEquals("Knowmad, second edition", title(catalog));
        assertEquals(List.of("courses/knowmad/course.yaml: (root): could not check the change against running cohorts (database down); save the file again to retry (the previous version stays live)"),
                problems(catalog));
    }

    @Test
    void deletedCourseDisappears() {
        files.course("knowmad", GOOD);
        files.course("other", GOOD.replace("id: knowmad", "id: other"));
        List<Course> removedAsked = new ArrayList<>();
        CourseCatalog catalog = catalog(ReloadGuard.of((previous, next) -> {
            if (next == null) removedAsked.add(previous);
            return List.of();
        }));
        reload(catalog);

        files.delete("other");
        ReloadReport report = reload(catalog);
        assertEquals(List.of("other"), report.removed());
        assertEquals(List.of("knowmad"), catalog.courses().stream().map(Course::id).toList());
        assertTrue(catalog.course("other").isEmpty());
        assertEquals("other", removedAsked.get(0).id());
        assertEquals(report, heard.get(heard.size() - 1));
    }

    @Test
    void deletionRefusedByTheGuardKeepsTheCourse() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = catalog(ReloadGuard.of((previous, next) -> next == null ? List.of("cohort 2017-01 is running") : List.of()));
        reload(catalog);

        files.delete("knowmad");
        reload(catalog);
        assertEquals("Knowmad", title(catalog));
        assertEquals(List.of("courses/knowmad/course.yaml: (root): cohort 2017-01 is running (the previous version stays live)"), problems(catalog));

        // Putting it back (valid) serves the restored files and clears the refusal.
        files.course("knowmad", RETITLED);
        reload(catalog);
        assertEquals("Knowmad, second edition", title(catalog));
        assertEquals(List.of(), problems(catalog));
    }

    @Test
    void deletedInvalidCourseTakesItsProblemsAlong() {
        files.course("knowmad", BAD);
        CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
        reload(catalog);
        assertEquals(1, catalog.problems().size());
        files.delete("knowmad");
        ReloadReport report = reload(catalog);
        assertEquals(List.of(), catalog.problems());
        assertTrue(!report.changed());
    }

    @Test
    void aFailingListenerDoesNotStopTheSwap() {
        files.course("knowmad", GOOD);
        CourseCatalog catalog = new CourseCatalog(files.courses, ReloadGuard.acceptAll(), files.loader());
        catalog.addListener(r -> {
            throw new IllegalStateException("listener bug");
        });
        catalog.addListener(heard::add);
        reload(catalog);
        assertEquals(1, heard.size());
        assertNull(catalog.course("nothing").orElse(null));
    }

    @Test
    void eachReloadIsLoggedWithItsResult() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(CourseCatalog.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            files.course("knowmad", GOOD);
            CourseCatalog catalog = catalog(ReloadGuard.acceptAll());
            reload(catalog);
            assertEquals(List.of("INFO course knowmad: loaded, ok"), lines(seen));

            files.course("knowmad", BAD.replace("title: Knowmad", "title: Broken edit"));
            reload(catalog);
            String broken = lines(seen).get(1);
            assertTrue(broken.startsWith("WARN course knowmad: 1 error, the last good version stays live; first: "), broken);
            assertTrue(broken.contains("course.yaml:") && broken.contains("'soon'"), broken);

            reload(catalog);
            assertEquals(2, lines(seen).size(), "nothing changed, nothing logged: " + lines(seen));

            files.course("knowmad", RETITLED);
            reload(catalog);
            assertEquals("INFO course knowmad: reloaded, ok", lines(seen).get(2));

            files.course("never", BAD.replace("id: knowmad", "id: never").replace("title: Knowmad", "title: Never\nbogus: 1"));
            reload(catalog);
            assertTrue(lines(seen).get(3).startsWith("WARN course never: 2 errors, not served; first: "), lines(seen).get(3));
        } finally {
            log.detachAppender(seen);
        }
    }

    private static List<String> lines(ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen) {
        return seen.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
}
