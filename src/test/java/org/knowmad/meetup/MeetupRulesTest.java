package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.knowmad.account.Account;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.Enrolled;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Enrolment;
import org.knowmad.course.Pace;
import org.knowmad.web.Viewer;

/** Ending, reopening and what an ended meetup still takes, over every standing and moment that matters. */
class MeetupRulesTest {

    private static final MeetupRules RULES = new MeetupRules(new CohortRules());
    private static final Instant STARTS = Instant.parse("2030-09-16T11:00:00Z");

    private enum Who { VISITOR, MEMBER, CONFIRMED, ORGANISER }

    private static MeetupService.MeetupAccess meetup(Who who) {
        CourseDefinition def = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(), List.of(), List.of(), List.of(), null);
        CohortDefinition cohort = new CohortDefinition("k", java.time.LocalDateTime.of(2030, 9, 2, 9, 0), Pace.FIXED, Enrolment.OPEN, null, null);
        CohortRef ref = new CohortRef(new Course(def, Path.of("c"), Map.of()), cohort, false);
        Viewer viewer = who == Who.VISITOR ? new Viewer(null, null, false) : new Viewer(new Account(5, "p@x.org", "P", null), "csrf", false);
        Optional<Enrolled> enrolment = who == Who.MEMBER || who == Who.CONFIRMED ? Optional.of(new Enrolled("c", "k", 5, Instant.EPOCH, false))
                : Optional.empty();
        Optional<MeetupStore.Registration> mine = who == Who.CONFIRMED
                ? Optional.of(new MeetupStore.Registration(1, 5, "confirmed", 1, "ABCD-EFGH", Instant.EPOCH, null, false, "p@x.org", "P", "en"))
                : Optional.empty();
        return new MeetupService.MeetupAccess(new CohortAccess(viewer, ref, false, enrolment), null, STARTS, STARTS.plusSeconds(3 * 3600), 10,
                null, null, who == Who.ORGANISER, mine);
    }

    @Test
    void onlyOrganisersEndAndOnlyFromTheStart() {
        for (Who who : Who.values()) {
            for (Instant now : List.of(STARTS.minus(Duration.ofDays(20)), STARTS.minusSeconds(1), STARTS, STARTS.plus(Duration.ofHours(5)))) {
                Decision d = RULES.end(meetup(who), now);
                boolean expected = who == Who.ORGANISER && !now.isBefore(STARTS);
                assertEquals(expected, d.allowed(), who + " at " + now);
                if (who == Who.ORGANISER && now.isBefore(STARTS)) {
                    assertEquals(409, d.refusal().status());
                    assertEquals("meetup.end.notYet", d.reason());
                    assertEquals(STARTS, d.refusal().args()[0], "the refusal says from when");
                }
                if (who == Who.VISITOR) assertEquals(401, d.refusal().status());
                if (who == Who.MEMBER || who == Who.CONFIRMED) assertEquals(403, d.refusal().status());
            }
        }
    }

    @Test
    void reopeningIsForOrganisersWithin24HoursAndBeforeTheHarvest() {
        Instant ended = STARTS.plus(Duration.ofHours(3));
        Instant until = ended.plus(MeetupRules.REOPEN_WINDOW);
        assertEquals(Duration.ofHours(24), MeetupRules.REOPEN_WINDOW);
        assertEquals(until, MeetupRules.reopenableUntil(ended));
        for (Who who : Who.values()) {
            for (Instant endedAt : new Instant[] {null, ended}) {
                for (boolean published : List.of(false, true)) {
                    for (Instant now : List.of(ended.plusSeconds(1), until.minusSeconds(1), until, until.plus(Duration.ofDays(3)))) {
                        Decision d = RULES.reopen(meetup(who), endedAt, published, now);
                        boolean expected = who == Who.ORGANISER && endedAt != null && !published && now.isBefore(until);
                        String where = who + " ended=" + endedAt + " published=" + published + " now=" + now;
                        assertEquals(expected, d.allowed(), where);
                        if (who != Who.ORGANISER) assertTrue(d.refusal().status() == 401 || d.refusal().status() == 403, where);
                        else if (endedAt == null) assertEquals("meetup.reopen.notEnded", d.reason(), where);
                        else if (published) assertEquals("meetup.reopen.published", d.reason(), where);
                        else if (!expected) {
                            assertEquals("meetup.reopen.tooLate", d.reason(), where);
                            assertEquals(until, d.refusal().args()[0]);
                        }
                        if (!expected && who == Who.ORGANISER) assertEquals(409, d.refusal().status(), where);
                    }
                }
            }
        }
    }

    @Test
    void anEndedMeetupTakesNoRegistrationsWalkInsOrQuestions() {
        Instant before = STARTS.minus(Duration.ofDays(3));
        Instant ended = STARTS.plusSeconds(60);
        assertTrue(RULES.register(meetup(Who.MEMBER), before, null).allowed());
        assertTrue(RULES.registrationOpen(meetup(Who.VISITOR), before, null).allowed());
        Decision closed = RULES.register(meetup(Who.MEMBER), before, ended);
        assertEquals(409, closed.refusal().status());
        assertEquals("meetup.closed.registration", closed.reason());
        assertFalse(RULES.registrationOpen(meetup(Who.VISITOR), before, ended).allowed());
        assertEquals("meetup.registrationClosed", RULES.register(meetup(Who.MEMBER), STARTS, null).reason(), "from the start, as before");
        assertEquals(403, RULES.register(meetup(Who.ORGANISER), before, ended).refusal().status(), "organisers are not members");

        assertTrue(RULES.admit(meetup(Who.ORGANISER), null).allowed());
        assertEquals("meetup.closed.walkIn", RULES.admit(meetup(Who.ORGANISER), ended).reason());
        assertEquals(403, RULES.admit(meetup(Who.MEMBER), null).refusal().status());

        for (Who who : List.of(Who.CONFIRMED, Who.ORGANISER)) {
            assertTrue(RULES.ask(meetup(who), null).allowed(), who.name());
            assertEquals("meetup.closed.questions", RULES.ask(meetup(who), ended).reason(), who.name());
            assertEquals(409, RULES.ask(meetup(who), ended).refusal().status());
        }
        assertEquals(403, RULES.ask(meetup(Who.MEMBER), null).refusal().status(), "the live room is for registrants");
        assertNull(RULES.ask(meetup(Who.CONFIRMED), null).refusal());
    }

    @Test
    void onlyOrganisersModerateAndHidingNamesAReason() {
        List<String> states = new java.util.ArrayList<>(List.of("open", "answered", "hidden", "gone", ""));
        states.add(null);
        List<String> reasons = new java.util.ArrayList<>(MeetupRules.HIDE_REASONS);
        reasons.add("rude");
        reasons.add("");
        reasons.add(null);
        for (Who who : Who.values()) {
            for (String state : states) {
                for (String reason : reasons) {
                    Decision d = RULES.moderate(meetup(who), state, reason);
                    String where = who + " " + state + " " + reason;
                    boolean validState = state != null && List.of("open", "answered", "hidden").contains(state);
                    boolean validReason = !"hidden".equals(state) || reason != null && List.of("off-topic", "duplicate", "disrespectful", "personal").contains(reason);
                    assertEquals(who == Who.ORGANISER && validState && validReason, d.allowed(), where);
                    if (who == Who.VISITOR) assertEquals(401, d.refusal().status(), where);
                    else if (who != Who.ORGANISER) assertEquals(403, d.refusal().status(), where + ": who may moderate is asked first");
                    else if (!validState) assertEquals("meetup.question.badState", d.reason(), where);
                    else if (!validReason) assertEquals("meetup.question.badReason", d.reason(), where);
                }
            }
        }
        assertEquals(List.of("off-topic", "duplicate", "disrespectful", "personal"), MeetupRules.HIDE_REASONS);
    }

    @Test
    void onlyOrganisersSeeHiddenQuestionTexts() {
        for (Who who : Who.values()) assertEquals(who == Who.ORGANISER, RULES.seeHiddenQuestions(meetup(who)), who.name());
    }
}
