package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Enrolment;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.course.Pace;

class CohortScheduleTest {

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    private static CourseDefinition course(String zone, String... opens) {
        List<ModuleDefinition> modules = new ArrayList<>();
        for (int i = 0; i < opens.length; i++) {
            modules.add(new ModuleDefinition("m" + i, "Module " + i, When.parse(opens[i]), null, null, null));
        }
        return new CourseDefinition("c", "Course", "en", zone, "", null, null, null, modules, null);
    }

    private static CohortDefinition fixed(String starts) {
        return new CohortDefinition("fixed", LocalDateTime.parse(starts), Pace.FIXED, Enrolment.OPEN, null, null);
    }

    private static final CohortDefinition SELF = new CohortDefinition("self", null, Pace.SELF, Enrolment.OPEN, null, null);

    private static ZonedDateTime local(Instant i) {
        return i.atZone(AMSTERDAM);
    }

    @Test
    void weeklyModulesOpenMondayNineLocalAcrossTheSpringChange() {
        // Clocks go forward on Sunday 26 March 2017.
        CourseDefinition c = course("Europe/Amsterdam", "P0D", "P7D", "P14D");
        CohortSchedule.Timeline t = CohortSchedule.of(c, fixed("2017-03-20T09:00")).forParticipant(Instant.EPOCH);
        assertEquals(ZonedDateTime.parse("2017-03-20T09:00+01:00[Europe/Amsterdam]"), local(t.opensAt("m0")));
        assertEquals(ZonedDateTime.parse("2017-03-27T09:00+02:00[Europe/Amsterdam]"), local(t.opensAt("m1")));
        assertEquals(Duration.ofDays(7).minusHours(1), Duration.between(t.opensAt("m0"), t.opensAt("m1")), "the week was an hour short");
        assertEquals(9, local(t.opensAt("m2")).getHour());
    }

    @Test
    void weeklyModulesOpenMondayNineLocalAcrossTheAutumnChange() {
        // Clocks go back on Sunday 29 October 2017.
        CourseDefinition c = course("Europe/Amsterdam", "P0D", "P7D");
        CohortSchedule.Timeline t = CohortSchedule.of(c, fixed("2017-10-23T09:00")).forParticipant(Instant.EPOCH);
        assertEquals(ZonedDateTime.parse("2017-10-30T09:00+01:00[Europe/Amsterdam]"), local(t.opensAt("m1")));
        assertEquals(Duration.ofDays(7).plusHours(1), Duration.between(t.opensAt("m0"), t.opensAt("m1")));
    }

    @Test
    void hoursAreWallClockHoursToo() {
        // P0DT20H after Saturday 25 March 2017 09:00 is Sunday 05:00 local, though only 19 real hours pass.
        CourseDefinition c = course("Europe/Amsterdam", "PT20H");
        Instant opens = CohortSchedule.of(c, fixed("2017-03-25T09:00")).forParticipant(Instant.EPOCH).opensAt("m0");
        assertEquals(LocalDateTime.parse("2017-03-26T05:00"), local(opens).toLocalDateTime());
        assertEquals(Duration.ofHours(19), Duration.between(LocalDateTime.parse("2017-03-25T09:00").atZone(AMSTERDAM).toInstant(), opens));
    }

    @Test
    void aLocalTimeInTheSpringGapMovesForwardAndInTheAutumnOverlapTakesTheEarlierOffset() {
        CourseDefinition c = course("Europe/Amsterdam", "2017-03-26T02:30", "2017-10-29T02:30");
        CohortSchedule.Timeline t = CohortSchedule.of(c, fixed("2017-03-01T09:00")).forParticipant(Instant.EPOCH);
        assertEquals(ZonedDateTime.parse("2017-03-26T03:30+02:00[Europe/Amsterdam]"), local(t.opensAt("m0")));
        assertEquals(Instant.parse("2017-10-29T00:30:00Z"), t.opensAt("m1"), "02:30 CEST, the first of the two");
    }

    @Test
    void openExactlyAtTheOpeningInstantNotOneNanosecondBefore() {
        CourseDefinition c = course("Europe/Amsterdam", "P7D");
        CohortSchedule.Timeline t = CohortSchedule.of(c, fixed("2030-03-04T09:00")).forParticipant(Instant.EPOCH);
        Instant opens = t.opensAt("m0");
        assertTrue(t.isOpen("m0", opens));
        assertFalse(t.isOpen("m0", opens.minusNanos(1)));
    }

    @Test
    void selfPacedCountsFromEachParticipantsJoinInTheCourseZone() {
        CourseDefinition c = course("Europe/Amsterdam", "P0D", "P7D", "2030-06-01T10:00");
        CohortSchedule schedule = CohortSchedule.of(c, SELF);
        Instant lateEvening = ZonedDateTime.parse("2030-03-05T23:30+01:00[Europe/Amsterdam]").toInstant();
        CohortSchedule.Timeline t = schedule.forParticipant(lateEvening);
        assertEquals(lateEvening, t.opensAt("m0"));
        assertEquals(LocalDateTime.parse("2030-03-12T23:30"), local(t.opensAt("m1")).toLocalDateTime());
        assertEquals(ZonedDateTime.parse("2030-06-01T10:00+02:00[Europe/Amsterdam]").toInstant(), t.opensAt("m2"),
                "a fixed date opens for everyone at once");
        // Joined the Saturday before the spring change: a week later is the same local time.
        Instant beforeChange = ZonedDateTime.parse("2030-03-30T12:00+01:00[Europe/Amsterdam]").toInstant();
        assertEquals(LocalDateTime.parse("2030-04-06T12:00"), local(schedule.forParticipant(beforeChange).opensAt("m1")).toLocalDateTime());
    }

    @Test
    void aFixedCohortIgnoresTheJoinTime() {
        CourseDefinition c = course("Europe/Amsterdam", "P7D");
        CohortSchedule s = CohortSchedule.of(c, fixed("2030-03-04T09:00"));
        assertEquals(s.forParticipant(Instant.EPOCH).opensAt("m0"), s.forParticipant(Instant.parse("2031-01-01T00:00:00Z")).opensAt("m0"));
    }

    @Test
    void parsesOffsetsAndDates() {
        assertEquals(new When.After(Period.ofDays(0), Duration.ZERO), When.parse("P0D"));
        assertEquals(new When.After(Period.ofDays(36), Duration.ofHours(4)), When.parse("P36DT4H"));
        assertEquals(new When.After(Period.ofWeeks(2), Duration.ZERO), When.parse("P2W"));
        assertEquals(new When.After(Period.ZERO, Duration.ofHours(3)), When.parse("PT3H"));
        assertEquals(new When.After(Period.of(1, 2, 3), Duration.ofHours(4).plusMinutes(5)), When.parse("P1Y2M3DT4H5M"));
        assertEquals(new When.At(LocalDateTime.parse("2017-02-14T13:00")), When.parse("2017-02-14T13:00"));
        assertEquals("P36DT4H", When.parse("P36DT4H").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P2W3", "P", "PT", "-P1D", "P-1D", "2017-02-30T09:00", "tomorrow", "2017-02-14", " ", "P1DT"})
    void refusesWhatIsNeitherADurationNorALocalDateTime(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> When.parse(text));
        assertTrue(e.getMessage().contains("is not a duration or local date-time") || e.getMessage().contains("is empty"), e.getMessage());
    }

    /** Property: whatever the zone and start, an offset lands on start + days at the same local time, and later offsets never open earlier. */
    @Test
    void offsetsKeepTheLocalTimeAndAreMonotoneInManyZones() {
        Random random = new Random(20170109);
        List<String> zones = List.of("Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/London",
                "America/Sao_Paulo", "Pacific/Chatham");
        for (int i = 0; i < 2_000; i++) {
            String zone = zones.get(random.nextInt(zones.size()));
            LocalDateTime start = LocalDateTime.of(2015 + random.nextInt(15), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    6 + random.nextInt(14), random.nextInt(4) * 15);
            int days = random.nextInt(60);
            CourseDefinition c = course(zone, "P" + days + "D", "P" + (days + 1) + "D");
            CohortSchedule.Timeline t = CohortSchedule.of(c, fixed(start.toString())).forParticipant(Instant.EPOCH);
            ZonedDateTime opened = t.opensAt("m0").atZone(ZoneId.of(zone));
            boolean startExists = ZoneId.of(zone).getRules().isValidOffset(start.plusDays(days), opened.getOffset());
            if (startExists) {
                assertEquals(start.plusDays(days), opened.toLocalDateTime(), zone + " " + start + " +" + days);
            }
            assertTrue(t.opensAt("m1").isAfter(t.opensAt("m0")), zone + " " + start);
        }
    }
}
