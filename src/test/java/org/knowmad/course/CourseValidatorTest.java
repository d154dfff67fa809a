package org.knowmad.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per rule, each asserting the exact line a facilitator reads. Positions are 1-based; the line
 * numbers refer to {@link CourseFiles#MINIMAL} (1 id, 2 title, 3 timezone, 4 cohorts, 5 "- id", 6 starts,
 * 7 modules, 8 "- id", 9 title, 10 opens, 11 content) plus whatever a test appends.
 */
class CourseValidatorTest {

    private static final String F = "courses/knowmad/course.yaml";

    /** An assignment appended to module week-1, lines 12 to 19. */
    private static final String ASSIGNMENT = CourseFiles.MINIMAL + """
                assignment:
                  title: Essay
                  submit_by: P7D
                  review_by: P14D
                  rubric:
                    - id: clarity
                      title: Clarity
                      levels: [ { points: 0, label: Unclear }, { points: 1, label: Clear } ]
            """;

    @TempDir
    Path tmp;
    CourseFiles files;

    @BeforeEach
    void setUp() {
        files = new CourseFiles(tmp);
    }

    private List<String> problems(String yaml) {
        return files.problems(yaml);
    }

    @Test
    void theSpecExampleIsValid() {
        assertEquals(List.of(), problems(CourseFiles.SPEC_EXAMPLE));
        assertEquals(List.of(), problems(CourseFiles.MINIMAL));
        assertEquals(List.of(), problems(ASSIGNMENT));
    }

    /** The course's own principles on a prompt: reply_first is yes or no, type is discussion or mistakes. */
    @Test
    void promptPrinciplesAreCheckedAndExplained() {
        String prompts = CourseFiles.MINIMAL + "    prompts:\n      - { title: Fouten, reply_first: %s, type: %s }\n";
        assertEquals(List.of(), problems(prompts.formatted("true", "mistakes")));
        assertEquals(List.of(), problems(prompts.formatted("false", "discussion")));
        List<String> badType = problems(prompts.formatted("true", "failures"));
        assertEquals(1, badType.size(), badType.toString());
        assertTrue(badType.get(0).contains("modules[0].prompts[0].type"), badType.toString());
        List<String> badFlag = problems(prompts.formatted("sometimes", "mistakes"));
        assertEquals(1, badFlag.size(), badFlag.toString());
        assertTrue(badFlag.get(0).contains("modules[0].prompts[0].reply_first"), badFlag.toString());
    }

    @Test
    void badMomentUsesWhensMessageAtTheValue() {
        assertEquals(List.of(F + ":10:12: modules[0].opens: 'P2W3' is not a duration or local date-time"),
                problems(CourseFiles.MINIMAL.replace("opens: P0D", "opens: P2W3")));
    }

    @Test
    void unknownKeyPointsAtTheKeyAndListsTheKeysAllowedThere() {
        assertEquals(List.of(F + ":12:5: modules[0].colour: unknown key 'colour'; expected one of: id, title, opens, content, prompts, assignment"),
                problems(CourseFiles.MINIMAL + "    colour: blue\n"));
    }

    @Test
    void misspelledKeySuggestsTheRightOne() {
        assertEquals(List.of(
                        F + ":1:1: (root): missing required key 'timezone'",
                        F + ":3:1: time_zone: unknown key 'time_zone'; did you mean 'timezone'?"),
                problems(CourseFiles.MINIMAL.replace("timezone:", "time_zone:")));
        assertEquals(List.of(F + ":14:7: modules[0].assignment.submitBy: unknown key 'submitBy'; did you mean 'submit_by'?",
                        F + ":13:7: modules[0].assignment: missing required key 'submit_by'").stream().sorted().toList(),
                problems(ASSIGNMENT.replace("submit_by:", "submitBy:")).stream().sorted().toList());
    }

    @Test
    void missingRequiredKeyPointsAtItsMapping() {
        assertEquals(List.of(F + ":8:5: modules[0]: missing required key 'title'"),
                problems(CourseFiles.MINIMAL.replace("    title: Week 1\n", "")));
    }

    @Test
    void malformedIdIsExplained() {
        assertEquals(List.of(F + ":1:5: id: 'Know_mad' is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit"),
                problems(CourseFiles.MINIMAL.replace("id: knowmad", "id: Know_mad")));
    }

    @Test
    void numberWhereTextBelongsSuggestsQuotes() {
        assertEquals(List.of(F + ":5:9: cohorts[0].id: expected text, found 2017; put it in quotes: \"2017\""),
                problems(CourseFiles.MINIMAL.replace("id: 2017-01", "id: 2017")));
    }

    @Test
    void wrongShapeIsNamedInWords() {
        assertEquals(List.of(F + ":7:10: modules: expected a list, found text 'week-1'"),
                problems("""
                        id: knowmad
                        title: Knowmad
                        timezone: Europe/Amsterdam
                        cohorts:
                          - id: 2017-01
                            starts: 2017-01-09T09:00
                        modules: week-1
                        """));
    }

    @Test
    void enumListsTheAllowedValues() {
        assertEquals(List.of(F + ":7:16: cohorts[0].enrolment: 'weekly' is not one of: open, invite, closed"),
                problems(CourseFiles.MINIMAL.replace("    starts: 2017-01-09T09:00\n", "    starts: 2017-01-09T09:00\n    enrolment: weekly\n")));
    }

    @Test
    void duplicateModuleId() {
        assertEquals(List.of(F + ":12:9: modules[1].id: duplicate module id 'week-1' (also modules[0])"),
                problems(CourseFiles.MINIMAL + "  - id: week-1\n    title: Again\n    opens: P7D\n"));
    }

    @Test
    void duplicateCohortId() {
        assertEquals(List.of(F + ":7:9: cohorts[1].id: duplicate cohort id '2017-01' (also cohorts[0])"),
                problems(CourseFiles.MINIMAL.replace("modules:\n", "  - id: 2017-01\n    starts: 2017-02-09T09:00\nmodules:\n")));
    }

    @Test
    void duplicateCriterionId() {
        assertEquals(List.of(F + ":20:15: modules[0].assignment.rubric[1].id: duplicate criterion id 'clarity' (also rubric[0])"),
                problems(ASSIGNMENT + "        - id: clarity\n          title: Again\n          levels: [ { points: 1, label: Yes } ]\n"));
    }

    @Test
    void timezoneMustBeIana() {
        assertEquals(List.of(F + ":3:11: timezone: 'Europe/Amsterdm' is not an IANA time zone such as Europe/Amsterdam"),
                problems(CourseFiles.MINIMAL.replace("Europe/Amsterdam", "Europe/Amsterdm")));
        // Offsets parse as ZoneId but know no daylight saving.
        assertEquals(List.of(F + ":3:11: timezone: '+01:00' is not an IANA time zone such as Europe/Amsterdam"),
                problems(CourseFiles.MINIMAL.replace("Europe/Amsterdam", "'+01:00'")));
    }

    @Test
    void reviewByMustComeAfterSubmitBy() {
        assertEquals(List.of(F + ":15:18: modules[0].assignment.review_by: review_by (P7D) must be after submit_by (P7D)"),
                problems(ASSIGNMENT.replace("review_by: P14D", "review_by: P7D")));
        assertEquals(List.of(F + ":15:18: modules[0].assignment.review_by: review_by (2017-01-19T09:00) must be after submit_by (2017-01-20T09:00)"),
                problems(ASSIGNMENT.replace("submit_by: P7D", "submit_by: 2017-01-20T09:00").replace("review_by: P14D", "review_by: 2017-01-19T09:00")));
    }

    @Test
    void mixedOffsetAndDateTimeAreComparedForEachFixedCohort() {
        assertEquals(List.of(F + ":15:18: modules[0].assignment.review_by: review_by (P7D, which is 2017-01-16T09:00) must be after submit_by (2017-01-20T09:00) for cohort 2017-01"),
                problems(ASSIGNMENT.replace("submit_by: P7D", "submit_by: 2017-01-20T09:00").replace("review_by: P14D", "review_by: P7D")));
    }

    @Test
    void submitByMustComeAfterTheModuleOpens() {
        assertEquals(List.of(F + ":14:18: modules[0].assignment.submit_by: submit_by (P7D) must be after the module opens (P10D)"),
                problems(ASSIGNMENT.replace("opens: P0D", "opens: P10D")));
    }

    @Test
    void badSubmitByAndReviewByUseWhensMessage() {
        assertEquals(List.of(
                        F + ":14:18: modules[0].assignment.submit_by: 'next week' is not a duration or local date-time",
                        F + ":15:18: modules[0].assignment.review_by: is empty; expected a duration such as P7D or a local date-time such as 2017-02-14T13:00"),
                problems(ASSIGNMENT.replace("submit_by: P7D", "submit_by: next week").replace("review_by: P14D", "review_by: ''")));
    }

    @Test
    void fixedPaceCohortNeedsAStart() {
        assertEquals(List.of(F + ":5:5: cohorts[0]: a fixed-pace cohort needs 'starts', a local date-time such as 2017-01-09T09:00 (or set 'pace: self')"),
                problems(CourseFiles.MINIMAL.replace("    starts: 2017-01-09T09:00\n", "")));
        assertEquals(List.of(), problems(CourseFiles.MINIMAL.replace("    starts: 2017-01-09T09:00\n", "    pace: self\n")));
    }

    @Test
    void cohortStartMustBeALocalDateTime() {
        assertEquals(List.of(F + ":6:13: cohorts[0].starts: '2017-01-09' is not a local date-time such as 2017-01-09T09:00"),
                problems(CourseFiles.MINIMAL.replace("starts: 2017-01-09T09:00", "starts: 2017-01-09")));
    }

    @Test
    void cohortMeetupStartIsAMoment() {
        assertEquals(List.of(F + ":7:23: cohorts[0].meetup.starts: 'soon' is not a duration or local date-time"),
                problems(CourseFiles.MINIMAL.replace("    starts: 2017-01-09T09:00\n", "    starts: 2017-01-09T09:00\n    meetup: { starts: soon }\n")));
    }

    @Test
    void missingContentFile() {
        assertEquals(List.of(F + ":11:14: modules[0].content: file 'week-9.md' not found beside course.yaml"),
                problems(CourseFiles.MINIMAL.replace("week-1.md", "week-9.md")));
    }

    @Test
    void contentMustStayInsideTheCourseFolder() {
        files.write(files.courses.resolve("secret.md"), "not for participants");
        assertEquals(List.of(F + ":11:14: modules[0].content: '../secret.md' is outside the course folder; content files live beside course.yaml"),
                problems(CourseFiles.MINIMAL.replace("week-1.md", "../secret.md")));
        assertEquals(List.of(F + ":11:14: modules[0].content: '/etc/hostname' is outside the course folder; content files live beside course.yaml"),
                problems(CourseFiles.MINIMAL.replace("week-1.md", "/etc/hostname")));
    }

    @Test
    void rubricCriterionWithoutLevels() {
        assertEquals(List.of(F + ":19:19: modules[0].assignment.rubric[0].levels: a rubric criterion needs at least one level"),
                problems(ASSIGNMENT.replaceAll("levels: \\[.*\\]", "levels: []")));
        assertEquals(List.of(F + ":17:11: modules[0].assignment.rubric[0]: missing required key 'levels'"),
                problems(ASSIGNMENT.replaceAll(" +levels: \\[.*\\]\n", "")));
    }

    @Test
    void assignmentWithoutCriteria() {
        assertEquals(List.of(F + ":16:15: modules[0].assignment.rubric: an assignment needs at least one rubric criterion"),
                problems(ASSIGNMENT.substring(0, ASSIGNMENT.indexOf("rubric:")) + "rubric: []\n"));
    }

    @Test
    void reviewsPerSubmissionAtLeastOne() {
        assertEquals(List.of(F + ":16:31: modules[0].assignment.reviews_per_submission: must be at least 1, found 0"),
                problems(ASSIGNMENT.replace("      rubric:", "      reviews_per_submission: 0\n      rubric:")));
    }

    @Test
    void meetupDurationIsAnIsoDuration() {
        String meetup = CourseFiles.MINIMAL + "meetup:\n  starts: P36DT4H\n  duration: %s\n";
        assertEquals(List.of(F + ":14:13: meetup.duration: '3h' is not a duration such as PT3H or PT1H30M"), problems(meetup.formatted("3h")));
        assertEquals(List.of(F + ":14:13: meetup.duration: 'PT0S' must be longer than zero"), problems(meetup.formatted("PT0S")));
        assertEquals(List.of(F + ":13:11: meetup.starts: 'P36D4H' is not a duration or local date-time"),
                problems(meetup.formatted("PT3H").replace("P36DT4H", "P36D4H")));
    }

    @Test
    void meetupFollowUpIsAPositiveIsoDuration() {
        String meetup = CourseFiles.MINIMAL + "meetup:\n  starts: P36DT4H\n  follow_up: %s\n";
        assertEquals(List.of(), problems(meetup.formatted("P42D")));
        assertEquals(List.of(F + ":14:14: meetup.follow_up: 'P6W' is not a duration such as P42D or P30DT12H"), problems(meetup.formatted("P6W")));
        assertEquals(List.of(F + ":14:14: meetup.follow_up: 'six weeks' is not a duration such as P42D or P30DT12H"),
                problems(meetup.formatted("six weeks")));
        assertEquals(List.of(F + ":14:14: meetup.follow_up: 'P0D' must be longer than zero"), problems(meetup.formatted("P0D")));
        assertEquals(List.of(F + ":14:14: meetup.follow_up: '-P1D' must be longer than zero"), problems(meetup.formatted("-P1D")));
    }

    @Test
    void emailsMustLookLikeEmails() {
        assertEquals(List.of(
                        F + ":13:14: facilitators[0].email: 'anna-at-example.org' is not an email address",
                        F + ":14:47: meetup.organisers[0].email: 'bob@' is not an email address"),
                problems(CourseFiles.MINIMAL + "facilitators:\n  - { email: anna-at-example.org }\nmeetup: { starts: P1D, organisers: [ { email: bob@ } ] }\n"));
    }

    @Test
    void courseIdMustBeItsFolderName() {
        assertEquals(List.of(F + ":1:5: id: 'other' must equal the name of the course's folder, 'knowmad'"),
                problems(CourseFiles.MINIMAL.replace("id: knowmad", "id: other")));
    }

    @Test
    void yamlSyntaxErrorStopsWithItsPosition() {
        // Also a bad time zone: not reported, since nothing after a syntax error can be trusted.
        List<String> problems = problems(CourseFiles.MINIMAL.replace("title: Week 1", "title: Week 1: the start").replace("Europe/Amsterdam", "Mars/Olympus"));
        assertEquals(List.of(F + ":9:18: (root): YAML syntax error: mapping values are not allowed here"), problems);
    }

    @Test
    void unclosedListNamesWhereItBegan() {
        assertEquals(List.of(F + ":12:1: (root): YAML syntax error: expected ',' or ']', but got <stream end> (while parsing a flow sequence at line 11, column 14)"),
                problems(CourseFiles.MINIMAL.replace("content: week-1.md", "content: [week-1.md")));
    }

    @Test
    void complexKeyIsASyntaxError() {
        assertEquals(List.of(F + ":1:4: (root): YAML syntax error: keys must be plain text, not lists or mappings"),
                problems("? [a, b]\n: c\n"));
    }

    @Test
    void allErrorsAreReportedAtOnce() {
        String yaml = CourseFiles.MINIMAL
                .replace("Europe/Amsterdam", "Europe/Amsterdm")
                .replace("id: 2017-01", "id: 2017")
                .replace("opens: P0D", "opens: P2W3")
                .replace("week-1.md", "week-9.md")
                + "    colour: blue\n";
        assertEquals(List.of(
                F + ":3:11: timezone: 'Europe/Amsterdm' is not an IANA time zone such as Europe/Amsterdam",
                F + ":5:9: cohorts[0].id: expected text, found 2017; put it in quotes: \"2017\"",
                F + ":10:12: modules[0].opens: 'P2W3' is not a duration or local date-time",
                F + ":11:14: modules[0].content: file 'week-9.md' not found beside course.yaml",
                F + ":12:5: modules[0].colour: unknown key 'colour'; expected one of: id, title, opens, content, prompts, assignment"),
                problems(yaml));
    }

    @Test
    void duplicateYamlKey() {
        assertEquals(List.of(F + ":3:1: title: duplicate key 'title' (first at line 2)"),
                problems(CourseFiles.MINIMAL.replace("title: Knowmad\n", "title: Knowmad\ntitle: Again\n")));
    }

    @Test
    void yamlOneOneBooleansStayText() {
        // "no" is Norwegian, not false: YAML 1.2 and editors agree.
        assertEquals(List.of(), problems(CourseFiles.MINIMAL + "language: no\n"));
    }

    @Test
    void emptyFileAndWrongRoot() {
        assertEquals(List.of(F + ": (root): the file is empty; a course needs at least id, title, timezone and modules"), problems(""));
        assertEquals(List.of(F + ":1:1: (root): expected a mapping (key: value), found a list"), problems("- a\n- b\n"));
    }

    @Test
    void missingCourseFile() {
        assertEquals(List.of(F + ": (root): no course.yaml in this folder"),
                files.validator().validate(files.courses.resolve("knowmad")).stream().map(Problem::toString).toList());
    }

    @Test
    void malformedInputNeverThrows() {
        List<String> nasty = List.of("just text", "modules: 5", "id: [", "{", "\u0000", "modules: [1, 2]", "cohorts: [{}, 5, [1]]",
                "modules: [{assignment: {rubric: [{levels: [5]}], submit_by: 5, review_by: {a: 1}}}]", "meetup: 5",
                "facilitators: [5, {email: 7}]", "? [a, b]\n: c\n", "a: &x 1\nb: *x\n", "x: !!binary aGVsbG8=\n",
                "modules: [{id: a, title: b, opens: P99999999999999Y, assignment: {title: t, submit_by: P1D, review_by: P999999999Y, rubric: [{id: c, title: c, levels: [{points: 0, label: l}]}]}}]\ntimezone: UTC\nid: knowmad\ntitle: t\n",
                "id: knowmad\n---\nid: other\n", "cohorts: [{id: a, starts: 2017-01-09T09:00}]\nmodules: [{id: m, title: t, opens: P1D, content: \"\\0\"}]\n");
        for (String yaml : nasty) {
            assertFalse(problems(yaml).isEmpty(), yaml);
        }
    }

    @Test
    void problemWithoutPositionOmitsIt() {
        assertEquals("a.yaml: (root): gone", new Problem("a.yaml", 0, 0, "(root)", "gone").toString());
        assertTrue(new Problem("a.yaml", 2, 3, "x", "y").toString().startsWith("a.yaml:2:3: x: y"));
    }

    @Test
    void circlesTakeASizeInTheBandAndDistinctBackgrounds() {
        assertEquals(List.of(), problems(CourseFiles.MINIMAL + "circles: { size: 5, backgrounds: [Care, Education] }\n"));
        assertEquals(List.of(), problems(CourseFiles.MINIMAL + "circles: {}\n"));
        assertTrue(problems(CourseFiles.MINIMAL + "circles: { size: 2 }\n").stream().anyMatch(p -> p.contains("circles.size")));
        assertTrue(problems(CourseFiles.MINIMAL + "circles: { size: five }\n").stream().anyMatch(p -> p.contains("circles.size")));
        assertTrue(problems(CourseFiles.MINIMAL + "circles: { colour: red }\n").stream().anyMatch(p -> p.contains("circles")));
        assertEquals(List.of(F + ":14:1: circles.backgrounds: 'care' is listed twice"),
                problems(CourseFiles.MINIMAL + "circles:\n  backgrounds: [Care, care]\n").stream()
                        .map(p -> p.replaceFirst(":\\d+:\\d+:", ":14:1:")).toList());
    }

    @Test
    void theDutchExampleCourseHasCircles() throws Exception {
        LoadResult result = new CourseLoader().load(java.nio.file.Path.of("courses"));
        assertEquals(List.of(), result.problems());
        CourseDefinition knowmad = result.courses().stream().map(Course::definition).filter(d -> d.id().equals("knowmad")).findFirst().orElseThrow();
        assertEquals(5, knowmad.circles().size());
        assertEquals(5, knowmad.circles().backgrounds().size());
    }
}
