package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseLoader;
import org.knowmad.course.Enrolment;
import org.knowmad.course.Pace;
import org.knowmad.schedule.When;
import org.knowmad.web.HttpProblem;

/** What the start-cohort form and API accept, and which field each refusal is about. */
class NewCohortTest {

    static final List<Course> COURSES = new CourseLoader().load(Path.of("courses")).courses();
    static final Course DUTCH = COURSES.stream().filter(c -> c.id().equals("knowmad")).findFirst().orElseThrow();
    /** The test courses' demo course has no meetup. */
    static final Course ENGLISH = new CourseLoader().load(Path.of("src/test/resources/test-courses")).courses().stream()
            .filter(c -> c.id().equals("demo")).findFirst().orElseThrow();

    static CohortService.NewCohort raw(String id, String starts, String pace, String enrolment, String capacity,
                                       String meetupStarts, String venue, String meetupCapacity) {
        return new CohortService.NewCohort(id, starts, pace, enrolment, capacity, meetupStarts, venue, meetupCapacity);
    }

    static void refused(Course course, CohortService.NewCohort raw, String field, String key) {
        HttpProblem p = assertThrows(HttpProblem.class, () -> CohortService.newCohort(course, raw));
        assertEquals(400, p.status());
        assertEquals(field, p.field());
        assertEquals(key, p.key());
    }

    @Test
    void aFixedCohortWithItsOwnMeetup() {
        CohortDefinition c = CohortService.newCohort(DUTCH, raw(" Voorjaar ", "2027-03-01T09:00", "fixed", "invite", "40",
                "2027-04-10T13:00", " De Werkplaats ", "25"));
        assertEquals("voorjaar", c.id());
        assertEquals(LocalDateTime.parse("2027-03-01T09:00"), c.starts());
        assertEquals(Pace.FIXED, c.pace());
        assertEquals(Enrolment.INVITE, c.enrolment());
        assertEquals(40, c.capacity());
        assertEquals(new When.At(LocalDateTime.parse("2027-04-10T13:00")), c.meetup().starts());
        assertEquals("De Werkplaats", c.meetup().venue());
        assertEquals(25, c.meetup().capacity());
    }

    @Test
    void defaultsAndSelfPaced() {
        CohortDefinition c = CohortService.newCohort(DUTCH, raw("", "2027-03-01T09:00", null, null, " ", null, "", null));
        assertEquals("2027-03-01", c.id(), "the start's date when no id is given");
        assertEquals(Enrolment.OPEN, c.enrolment());
        assertNull(c.capacity());
        assertNull(c.meetup(), "nothing typed: the course's meetup holds");
        CohortDefinition self = CohortService.newCohort(DUTCH, raw("eigen", null, "SELF", "open", null, null, null, null));
        assertTrue(self.selfPaced());
        assertNull(self.starts());
        CohortDefinition venueOnly = CohortService.newCohort(DUTCH, raw("a", "2027-03-01T09:00", "fixed", null, null, null, "Arnhem", null));
        assertNull(venueOnly.meetup().starts(), "only what is typed overrides");
    }

    @Test
    void eachRefusalNamesItsField() {
        String s = "2027-03-01T09:00";
        refused(DUTCH, raw("x", s, "fast", null, null, null, null, null), "pace", "cohort.new.badPace");
        refused(DUTCH, raw("x", null, "fixed", null, null, null, null, null), "starts", "cohort.new.startRequired");
        refused(DUTCH, raw("x", "monday", null, null, null, null, null, null), "starts", "cohort.new.badStart");
        refused(DUTCH, raw(null, null, "self", null, null, null, null, null), "id", "cohort.new.idRequired");
        for (String bad : List.of("-x", "a b", "é", "a_b", "x".repeat(64), "a/b")) {
            refused(DUTCH, raw(bad, s, null, null, null, null, null, null), "id", "cohort.new.badId");
        }
        refused(DUTCH, raw("x", s, null, "sometimes", null, null, null, null), "enrolment", "cohort.new.badEnrolment");
        for (String bad : List.of("0", "-1", "1.5", "many", "1000001")) {
            refused(DUTCH, raw("x", s, null, null, bad, null, null, null), "capacity", "cohort.new.badCapacity");
            refused(DUTCH, raw("x", s, null, null, null, null, null, bad), "meetupCapacity", "cohort.new.badCapacity");
        }
        refused(DUTCH, raw("x", s, null, null, null, "soon", null, null), "meetupStarts", "cohort.new.badMeetupStart");
        refused(DUTCH, raw("x", s, null, null, null, "2027-02-28T09:00", null, null), "meetupStarts", "cohort.new.meetupBeforeStart");
        refused(DUTCH, raw("x", s, null, null, null, null, "v".repeat(201), null), "meetupVenue", "cohort.new.badVenue");
        refused(DUTCH, raw("x", null, "self", null, null, null, null, "30"), "meetupCapacity", "cohort.new.selfPacedNoMeetup");
        refused(ENGLISH, raw("x", s, null, null, null, null, "Somewhere", null), "meetupVenue", "cohort.new.noMeetup");
        refused(ENGLISH, raw("x", s, null, null, null, "2027-04-01T09:00", null, null), "meetupStarts", "cohort.new.noMeetup");
    }

    @Test
    void organiserAddresses() {
        assertEquals(List.of("kees@example.org", "mira@example.org"),
                CohortService.organiserEmails(" Kees@Example.org,mira@example.org;\nkees@example.org "));
        assertEquals(List.of(), CohortService.organiserEmails("  "));
        assertEquals(List.of(), CohortService.organiserEmails(null));
        HttpProblem p = assertThrows(HttpProblem.class, () -> CohortService.organiserEmails("kees@example.org geen-adres"));
        assertEquals("emails", p.field());
        assertEquals("geen-adres", p.args()[0]);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= CohortService.MAX_ORGANISERS; i++) many.append("p").append(i).append("@example.org ");
        assertEquals("cohort.organisers.tooMany", assertThrows(HttpProblem.class, () -> CohortService.organiserEmails(many.toString())).key());
    }
}
