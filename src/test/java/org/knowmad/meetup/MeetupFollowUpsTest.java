package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Enrolment;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.course.Pace;
import org.knowmad.schedule.When;

/** When a cohort's follow-up thread opens, and in which module: pure schedule logic. */
class MeetupFollowUpsTest {

    /** Starts Monday 2 September 2030 09:00 Amsterdam (07:00 UTC); the meetup P14DT4H later, three hours long. */
    private static final CohortDefinition FIXED = new CohortDefinition("k", LocalDateTime.of(2030, 9, 2, 9, 0), Pace.FIXED, Enrolment.OPEN, null, null);
    private static final CohortDefinition SELF = new CohortDefinition("s", null, Pace.SELF, Enrolment.OPEN, null, null);
    private static final Instant MEETUP_ENDS = Instant.parse("2030-09-16T14:00:00Z");

    private static ModuleDefinition module(String id, String opens) {
        return new ModuleDefinition(id, id, When.parse(opens), id + ".md", null, null);
    }

    private static CourseDefinition course(String followUp, String duration, List<ModuleDefinition> modules) {
        MeetupDefinition meetup = new MeetupDefinition("Café", When.parse("P14DT4H"), duration == null ? null : Duration.parse(duration), "Here",
                null, 10, 3, 1, null, followUp == null ? null : Duration.parse(followUp), null, null);
        return new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(), List.of(), List.of(FIXED, SELF), modules, meetup, null);
    }

    @Test
    void opensTheSetTimeAfterTheMeetupEnds() {
        List<ModuleDefinition> modules = List.of(module("w1", "P0D"));
        assertEquals(Optional.of(MEETUP_ENDS.plus(Duration.ofDays(42))), MeetupFollowUps.opensAt(course("P42D", "PT3H", modules), FIXED));
        assertEquals(Optional.of(MEETUP_ENDS.plus(Duration.ofHours(36))), MeetupFollowUps.opensAt(course("PT36H", "PT3H", modules), FIXED));
    }

    @Test
    void noneWhenSwitchedOffOrSelfPaced() {
        List<ModuleDefinition> modules = List.of(module("w1", "P0D"));
        assertEquals(Optional.empty(), MeetupFollowUps.opensAt(course(null, "PT3H", modules), FIXED), "off by default");
        assertEquals(Optional.empty(), MeetupFollowUps.opensAt(course("P42D", "PT3H", modules), SELF), "no shared meetup to follow up");
    }

    @Test
    void livesInTheLastModuleOpenByThen() {
        CourseDefinition c = course("P42D", "PT3H", List.of(module("w1", "P0D"), module("w2", "P7D"), module("w3", "P60D"), module("w0", "P1D")));
        Instant at = MeetupFollowUps.opensAt(c, FIXED).orElseThrow(); // day 56 of the cohort
        assertEquals("w2", MeetupFollowUps.module(c, FIXED, at).id(), "w3 opens later; w0 opened earlier than w2");
        assertEquals("w3", MeetupFollowUps.module(c, FIXED, at.plus(Duration.ofDays(10))).id());
        assertEquals("w1", MeetupFollowUps.module(course("P1D", "PT3H", List.of(module("w1", "P90D"))), FIXED, at).id(),
                "none open yet: the first");
    }
}
