package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.knowmad.schedule.Fixtures.ams;
import static org.knowmad.schedule.Fixtures.course;
import static org.knowmad.schedule.Fixtures.fixed;
import static org.knowmad.schedule.Fixtures.meetup;
import static org.knowmad.schedule.Fixtures.module;
import static org.knowmad.schedule.Fixtures.selfPaced;
import static org.knowmad.schedule.Fixtures.utc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.knowmad.course.CourseDefinition;
import org.knowmad.schedule.Event.Kind;
import org.knowmad.schedule.ModuleStatus.State;

class CohortScheduleTest {

    /** The example course of the spec, in short. */
    static final CourseDefinition KNOWMAD = course("Europe/Amsterdam", meetup("P36DT4H", "PT3H"),
            module("week-1", "P0D"),
            module("week-2", "P7D"),
            module("week-3", "P14D", "P18D", "P22D"),
            module("week-4", "2017-02-06T09:00"));

    static final Duration NS = Duration.ofNanos(1);

    @Nested
    class FixedCohort {
        final CohortSchedule schedule = CohortSchedule.of(KNOWMAD, fixed("2017-01", "2017-01-09T09:00"));
        final Timetable t = schedule.shared();

        @Test
        void resolvesEveryEventFromTheCohortStart() {
            assertEquals(List.of(
                    new Event(Kind.MODULE_OPENS, "week-1", ams("2017-01-09T09:00")),
                    new Event(Kind.MODULE_OPENS, "week-2", ams("2017-01-16T09:00")),
                    new Event(Kind.MODULE_OPENS, "week-3", ams("2017-01-23T09:00")),
                    new Event(Kind.SUBMIT_BY, "week-3", ams("2017-01-27T09:00")),
                    new Event(Kind.REVIEW_BY, "week-3", ams("2017-01-31T09:00")),
                    new Event(Kind.MODULE_OPENS, "week-4", ams("2017-02-06T09:00")),
                    new Event(Kind.MEETUP_STARTS, null, ams("2017-02-14T13:00")),
                    new Event(Kind.MEETUP_ENDS, null, ams("2017-02-14T16:00"))), t.events());
            assertEquals(Optional.of(ams("2017-01-27T09:00")), t.submitBy("week-3"));
            assertEquals(Optional.of(ams("2017-01-31T09:00")), t.reviewBy("week-3"));
            assertEquals(Optional.empty(), t.submitBy("week-1"));
            assertEquals(Optional.of(ams("2017-02-14T13:00")), t.meetupStarts());
            assertEquals(Optional.of(ams("2017-02-14T16:00")), t.meetupEnds());
            assertEquals(Fixtures.AMSTERDAM, t.zone());
        }

        @Test
        void everyParticipantSharesTheCohortsTimetable() {
            assertSame(t, schedule.forParticipant(utc("2017-01-20T10:00:00Z")));
            assertSame(t, schedule.forParticipant(null));
        }

        @Test
        void aModuleOpensExactlyAtItsOpeningInstant() {
            Instant opens = ams("2017-01-16T09:00");
            assertFalse(t.isOpen("week-2", opens.minus(NS)));
            assertTrue(t.isOpen("week-2", opens));
            assertTrue(t.isOpen("week-2", opens.plus(NS)));
            assertTrue(t.isOpen("week-2", utc("2030-01-01T00:00:00Z")));
            assertFalse(t.isOpen("week-2", utc("2000-01-01T00:00:00Z")));
        }

        @Test
        void anUnknownModuleIsNeverOpen() {
            assertFalse(t.isOpen("week-9", utc("2030-01-01T00:00:00Z")));
            assertEquals(Optional.empty(), t.opensAt("week-9"));
        }

        @Test
        void listsModulesInCourseOrderWithTheirState() {
            Instant now = ams("2017-01-16T09:00");
            assertEquals(List.of(
                    new ModuleStatus("week-1", "Title of week-1", State.OPEN, ams("2017-01-09T09:00")),
                    new ModuleStatus("week-2", "Title of week-2", State.OPEN, ams("2017-01-16T09:00")),
                    new ModuleStatus("week-3", "Title of week-3", State.LOCKED, ams("2017-01-23T09:00")),
                    new ModuleStatus("week-4", "Title of week-4", State.LOCKED, ams("2017-02-06T09:00"))),
                    t.modules(now));
            assertEquals(List.of(true, false, false, false),
                    t.modules(now.minus(NS)).stream().map(ModuleStatus::open).toList());
        }

        @Test
        void nextEventIsStrictlyAfterNow() {
            assertEquals(t.events().get(0), t.nextEvent(utc("2000-01-01T00:00:00Z")).orElseThrow());
            Instant week2 = ams("2017-01-16T09:00");
            assertEquals("week-2", t.nextEvent(week2.minus(NS)).orElseThrow().moduleId());
            assertEquals("week-3", t.nextEvent(week2).orElseThrow().moduleId());
            assertEquals(Optional.empty(), t.nextEvent(ams("2017-02-14T16:00")));
            assertEquals(Kind.MEETUP_ENDS, t.nextEvent(ams("2017-02-14T16:00").minus(NS)).orElseThrow().kind());
        }

        @Test
        void followingNextEventVisitsEveryEventOnce() {
            List<Event> visited = new ArrayList<>();
            Optional<Event> next = t.nextEvent(Instant.MIN);
            while (next.isPresent()) {
                visited.add(next.get());
                next = t.nextEvent(next.get().at());
            }
            assertEquals(t.events(), visited);
        }

        @Test
        void releasesAreDueFromTheOpeningInstant() {
            Instant week2 = ams("2017-01-16T09:00");
            assertEquals(List.of(), t.releasesDue(ams("2017-01-09T09:00").minus(NS)));
            assertEquals(List.of("week-1"), ids(t.releasesDue(week2.minus(NS))));
            assertEquals(List.of("week-1", "week-2"), ids(t.releasesDue(week2)));
            // after a long downtime every opening is still due, deadlines and meetup never are releases
            assertEquals(List.of("week-1", "week-2", "week-3", "week-4"), ids(t.releasesDue(utc("2030-01-01T00:00:00Z"))));
        }

        @Test
        void aCohortsOwnMeetupStartOverridesTheCourses() {
            var spring = CohortSchedule.of(KNOWMAD, fixed("2017-03", "2017-03-20T09:00", "2017-05-01T19:00")).shared();
            assertEquals(Optional.of(ams("2017-05-01T19:00")), spring.meetupStarts());
            assertEquals(Optional.of(ams("2017-05-01T22:00")), spring.meetupEnds());
            var relative = CohortSchedule.of(KNOWMAD, fixed("2017-03", "2017-03-20T09:00", "P40DT10H")).shared();
            assertEquals(Optional.of(ams("2017-04-29T19:00")), relative.meetupStarts());
            var plain = CohortSchedule.of(KNOWMAD, fixed("2017-03", "2017-03-20T09:00")).shared();
            assertEquals(Optional.of(ams("2017-04-25T13:00")), plain.meetupStarts()); // P36DT4H, after the DST change
        }

        @Test
        void aMeetupLastsItsDurationByTheStopwatch() {
            var course = course("Europe/Amsterdam", meetup("2017-03-26T01:00", "PT3H"), module("w1", "P0D"));
            Timetable night = CohortSchedule.of(course, fixed("c", "2017-03-20T09:00")).shared();
            assertEquals(Optional.of(utc("2017-03-26T00:00:00Z")), night.meetupStarts());
            assertEquals(Optional.of(utc("2017-03-26T03:00:00Z")), night.meetupEnds()); // 05:00 local
        }

        @Test
        void aCourseWithoutMeetupHasNone() {
            var course = course("Europe/Amsterdam", null, module("w1", "P0D"));
            Timetable t = CohortSchedule.of(course, fixed("c", "2017-03-20T09:00")).shared();
            assertEquals(Optional.empty(), t.meetupStarts());
            assertEquals(Optional.empty(), t.meetupEnds());
            assertEquals(1, t.events().size());
        }

        @Test
        void eventsAtTheSameInstantKeepCourseOrder() {
            var course = course("Europe/Amsterdam", null, module("b", "P7D"), module("a", "PT168H"), module("c", "P0D"));
            Timetable t = CohortSchedule.of(course, fixed("c", "2017-03-20T09:00")).shared();
            assertEquals(List.of("c", "b", "a"), ids(t.events()));
            assertEquals(List.of("b", "a", "c"), t.modules(Instant.MAX).stream().map(ModuleStatus::id).toList());
        }

        @Test
        void aFixedCohortNeedsAStart() {
            var noStart = new org.knowmad.course.CohortDefinition("c", null, null, null, null, null);
            var e = assertThrows(IllegalArgumentException.class, () -> CohortSchedule.of(KNOWMAD, noStart));
            assertEquals("cohort 'c' of course 'knowmad' has no starts; only a self-paced cohort may leave it out", e.getMessage());
        }
    }

    @Nested
    class SelfPacedCohort {
        final CohortSchedule schedule = CohortSchedule.of(KNOWMAD, selfPaced("open"));

        @Test
        void offsetsCountFromTheJoinTimeOnTheLocalClock() {
            Instant joined = utc("2017-01-15T22:30:00Z"); // Sunday 23:30 in Amsterdam
            Timetable t = schedule.forParticipant(joined);
            assertEquals(Optional.of(joined), t.opensAt("week-1"));
            assertEquals(Optional.of(ams("2017-01-22T23:30")), t.opensAt("week-2"));
            assertEquals(Optional.of(ams("2017-01-29T23:30")), t.opensAt("week-3"));
            assertEquals(Optional.of(ams("2017-02-02T23:30")), t.submitBy("week-3"));
            assertEquals(Optional.of(ams("2017-02-06T23:30")), t.reviewBy("week-3"));
            assertTrue(t.isOpen("week-1", joined));
            assertFalse(t.isOpen("week-1", joined.minus(NS)));
        }

        @Test
        void aFixedDateModuleOpensForEveryoneAtOnce() {
            Timetable early = schedule.forParticipant(utc("2017-01-01T12:00:00Z"));
            Timetable late = schedule.forParticipant(utc("2017-03-01T12:00:00Z"));
            assertEquals(Optional.of(ams("2017-02-06T09:00")), early.opensAt("week-4"));
            assertEquals(Optional.of(ams("2017-02-06T09:00")), late.opensAt("week-4"));
            assertNotEquals(early.opensAt("week-2"), late.opensAt("week-2"));
            // a late joiner finds the fixed-date module open before their own first weeks
            assertEquals(List.of("week-4", "week-1", "week-2", "week-3"),
                    ids(late.events().stream().filter(e -> e.kind() == Kind.MODULE_OPENS).toList()));
        }

        @Test
        void theSharedTimetableHoldsOnlyFixedDateTimes() {
            Timetable shared = schedule.shared();
            assertEquals(List.of(new Event(Kind.MODULE_OPENS, "week-4", ams("2017-02-06T09:00"))), shared.events());
            assertEquals(Optional.empty(), shared.opensAt("week-1"));
            assertFalse(shared.isOpen("week-1", utc("2030-01-01T00:00:00Z")));
            assertEquals(List.of("week-4"), shared.modules(Instant.MAX).stream().map(ModuleStatus::id).toList());
            assertEquals(List.of("week-4"), ids(shared.releasesDue(Instant.MAX)));
        }

        @Test
        void aMeetupCountedFromTheStartDoesNotExistForSelfPacedCohorts() {
            Timetable t = schedule.forParticipant(utc("2017-01-15T22:30:00Z"));
            assertEquals(Optional.empty(), t.meetupStarts());
            assertEquals(Optional.empty(), schedule.shared().meetupStarts());
        }

        @Test
        void aMeetupAtAFixedDateTimeIsForEveryone() {
            var withMeetup = CohortSchedule.of(KNOWMAD, selfPaced("open", "2017-06-01T19:00"));
            assertEquals(Optional.of(ams("2017-06-01T19:00")), withMeetup.shared().meetupStarts());
            assertEquals(Optional.of(ams("2017-06-01T22:00")), withMeetup.shared().meetupEnds());
            assertEquals(Optional.of(ams("2017-06-01T19:00")),
                    withMeetup.forParticipant(utc("2017-05-01T10:00:00Z")).meetupStarts());
        }

        @Test
        void needsAJoinTime() {
            assertThrows(NullPointerException.class, () -> schedule.forParticipant(null));
        }

        @Test
        void aFacilitatorPreviewIsAHypotheticalJoinAndAMoment() {
            Instant join = ams("2017-09-04T10:00");
            List<ModuleStatus> preview = schedule.forParticipant(join).modules(ams("2017-09-12T10:00"));
            assertEquals(List.of(State.OPEN, State.OPEN, State.LOCKED, State.OPEN),
                    preview.stream().map(ModuleStatus::state).toList());
        }

        private static final CourseDefinition DAILY = course("Europe/Amsterdam", null,
                module("now", "P0D"), module("hour", "PT1H"), module("day", "P1D"), module("week", "P7D"));

        @Test
        void joiningJustBeforeTheSpringChange() {
            var daily = CohortSchedule.of(DAILY, selfPaced("open"));
            Timetable t = daily.forParticipant(utc("2017-03-25T22:30:00Z")); // Saturday 23:30 +01:00
            assertEquals(Optional.of(ams("2017-03-26T23:30")), t.opensAt("day")); // 23 hours later
            assertEquals(Duration.ofHours(23), Duration.between(t.opensAt("now").orElseThrow(), t.opensAt("day").orElseThrow()));
            assertEquals(Optional.of(ams("2017-04-01T23:30")), t.opensAt("week"));

            // joined at 01:59 on the change night: an hour later, 02:59, does not exist; it opens at the jump
            Timetable night = daily.forParticipant(utc("2017-03-26T00:59:00Z"));
            assertEquals(Optional.of(utc("2017-03-26T01:00:00Z")), night.opensAt("hour"));
        }

        @Test
        void joiningDuringTheSecondPassOfTheAutumnHour() {
            var daily = CohortSchedule.of(DAILY, selfPaced("open"));
            Instant joined = utc("2017-10-29T01:30:00Z"); // 02:30 +01:00, the second 02:30 of the night
            Timetable t = daily.forParticipant(joined);
            // the local 02:30 resolves to its first occurrence, an hour before joining: open at once anyway
            assertEquals(Optional.of(utc("2017-10-29T00:30:00Z")), t.opensAt("now"));
            assertTrue(t.isOpen("now", joined));
            assertEquals(Optional.of(utc("2017-10-29T02:30:00Z")), t.opensAt("hour")); // 03:30 +01:00
            assertEquals(Optional.of(ams("2017-10-30T02:30")), t.opensAt("day"));
        }
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::moduleId).toList();
    }
}
