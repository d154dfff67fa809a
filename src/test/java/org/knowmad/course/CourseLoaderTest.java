package org.knowmad.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowmad.schedule.When;

class CourseLoaderTest {

    @TempDir
    Path tmp;
    CourseFiles files;

    @BeforeEach
    void setUp() {
        files = new CourseFiles(tmp);
    }

    @Test
    void bindsTheCompleteSpecExample() {
        Path dir = files.course("knowmad", CourseFiles.SPEC_EXAMPLE);
        LoadResult result = files.loader().load(files.courses);
        assertEquals(List.of(), result.problems());
        assertEquals(1, result.courses().size());
        Course course = result.courses().get(0);
        CourseDefinition c = course.definition();

        assertEquals(dir.toAbsolutePath().normalize(), course.directory());
        assertEquals("knowmad", course.id());
        assertEquals("Help! Er zit een knowmad in mijn organisatie", c.title());
        assertEquals("nl", c.language());
        assertEquals(ZoneId.of("Europe/Amsterdam"), c.zone());
        assertEquals("A course about *knowmads*.\n", c.summary());
        assertEquals(List.of(new Person("anna@example.org", "Anna")), c.facilitators());
        assertTrue(c.isFacilitator("ANNA@example.org"));
        assertEquals(List.of("Share experiences, not verdicts"), c.guidelines());

        CohortDefinition fixed = c.cohort("2017-01").orElseThrow();
        assertEquals(new CohortDefinition("2017-01", LocalDateTime.of(2017, 1, 9, 9, 0), Pace.FIXED, Enrolment.OPEN, 1000,
                new CohortMeetup(new When.At(LocalDateTime.of(2017, 2, 14, 13, 0)), "HAN, Nijmegen", "https://meet.example.org/han", 40)), fixed);
        CohortDefinition open = c.cohort("open").orElseThrow();
        assertTrue(open.selfPaced());
        assertEquals(Enrolment.INVITE, open.enrolment());
        assertNull(open.starts());

        ModuleDefinition week1 = c.module("week-1").orElseThrow();
        assertEquals(new When.After(Period.ZERO, Duration.ZERO), week1.opens());
        assertEquals(List.of(new Prompt("Introduce yourself", "Who are you?")), week1.prompts());
        assertNull(week1.assignment());
        assertEquals(Optional.of("# Week 1\n"), course.content("week-1"));
        assertEquals(Optional.of("# Week 3\n"), course.content("week-3"));

        AssignmentDefinition assignment = c.module("week-3").orElseThrow().assignment();
        assertEquals("Describe a knowmad", assignment.title());
        assertEquals("Write *500 words*.", assignment.instructions());
        assertEquals(When.parse("P18D"), assignment.submitBy());
        assertEquals(When.parse("P22D"), assignment.reviewBy());
        assertEquals(2, assignment.reviewsPerSubmission());
        assertEquals(List.of(new Criterion("clarity", "Clarity", List.of(
                new Criterion.Level(0, "Unclear"), new Criterion.Level(1, "Mostly clear"), new Criterion.Level(2, "Clear")))), assignment.rubric());

        MeetupDefinition meetup = c.meetup();
        assertEquals(new MeetupDefinition("Knowmad café", new When.After(Period.ofDays(36), Duration.ofHours(4)), Duration.ofHours(3), "HAN",
                "https://meet.example.org/knowmad", 70, 8, 2, List.of(new Person("bob@example.org", "Bob")), null, null, null), meetup);
    }

    @Test
    void defaultsFillWhatTheFileLeavesOut() {
        files.course("knowmad", CourseFiles.MINIMAL + """
                    assignment:
                      title: Essay
                      submit_by: P7D
                      review_by: P14D
                      rubric: [ { id: c, title: C, levels: [ { points: 1, label: Done } ] } ]
                """);
        CourseDefinition c = files.loader().load(files.courses).courses().get(0).definition();
        assertEquals("en", c.language());
        assertEquals(Pace.FIXED, c.cohorts().get(0).pace());
        assertEquals(Enrolment.OPEN, c.cohorts().get(0).enrolment());
        assertEquals(3, c.modules().get(0).assignment().reviewsPerSubmission());
        assertNull(c.meetup());
    }

    @Test
    void loadKeepsTheValidCoursesAndReportsTheOthers() {
        files.course("knowmad", CourseFiles.MINIMAL);
        files.course("zeta", CourseFiles.MINIMAL.replace("id: knowmad", "id: zeta"));
        files.course("broken", CourseFiles.MINIMAL.replace("id: knowmad", "id: broken").replace("P0D", "soon"));
        files.write(files.courses.resolve("images/logo.txt"), "not a course");
        files.write(files.courses.resolve(".git/course.yaml"), "hidden folders are skipped");

        LoadResult result = files.loader().load(files.courses);
        assertEquals(List.of("knowmad", "zeta"), result.courses().stream().map(Course::id).toList());
        assertEquals(List.of("courses/broken/course.yaml:10:12: modules[0].opens: 'soon' is not a duration or local date-time"),
                result.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void validateTakesACourseFolderOrTheCoursesFolder() {
        files.course("knowmad", CourseFiles.MINIMAL.replace("P0D", "soon"));
        files.course("other", CourseFiles.MINIMAL.replace("id: knowmad", "id: other").replace("Europe/Amsterdam", "Nowhere"));
        CourseLoader loader = files.loader();

        assertEquals(List.of("courses/knowmad/course.yaml:10:12: modules[0].opens: 'soon' is not a duration or local date-time"),
                loader.validate(files.courses.resolve("knowmad")).stream().map(Problem::toString).toList());
        assertEquals(2, loader.validate(files.courses).size());
        assertEquals(List.of("courses/nothing: (root): no such folder"),
                loader.validate(files.courses.resolve("nothing")).stream().map(Problem::toString).toList());
        files.write(tmp.resolve("empty/readme.txt"), "no course here");
        assertEquals(List.of("empty: (root): no course.yaml here nor in its subfolders"),
                loader.validate(tmp.resolve("empty")).stream().map(Problem::toString).toList());
    }

    @Test
    void filesAreShownRelativeToTheBaseWhenInside() {
        ShownPath shown = new ShownPath(tmp);
        assertEquals("courses/knowmad/course.yaml", shown.of(tmp.resolve("courses/knowmad/../knowmad/course.yaml")));
        assertEquals("/elsewhere/course.yaml", shown.of(Path.of("/elsewhere/course.yaml")));
    }
}
