package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.knowmad.schedule.Fixtures.AMSTERDAM;
import static org.knowmad.schedule.Fixtures.course;
import static org.knowmad.schedule.Fixtures.fixed;
import static org.knowmad.schedule.Fixtures.module;
import static org.knowmad.schedule.Fixtures.utc;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offsets are wall-clock offsets (see {@link When}). In 2017 Amsterdam went from +01:00 to +02:00 at
 * 02:00 on Sunday 26 March and back at 03:00 on Sunday 29 October.
 */
class DaylightSavingTest {

    private static Instant resolve(String when, String startLocal, ZoneId zone) {
        return When.parse(when).resolve(startLocal == null ? null : LocalDateTime.parse(startLocal), zone);
    }

    @Test
    void weeklyModulesOpenMondayNineLocalAcrossTheSpringChange() {
        var course = course("Europe/Amsterdam", null, module("w1", "P0D"), module("w2", "P7D"),
                module("w3", "P14D"), module("w4", "P21D"));
        Timetable t = CohortSchedule.of(course, fixed("spring", "2017-03-20T09:00")).shared();
        assertEquals(utc("2017-03-20T08:00:00Z"), t.opensAt("w1").orElseThrow());
        assertEquals(utc("2017-03-27T07:00:00Z"), t.opensAt("w2").orElseThrow());
        assertEquals(utc("2017-04-03T07:00:00Z"), t.opensAt("w3").orElseThrow());
        assertEquals(utc("2017-04-10T07:00:00Z"), t.opensAt("w4").orElseThrow());
        for (String id : new String[] {"w1", "w2", "w3", "w4"}) {
            var local = t.opensAt(id).orElseThrow().atZone(AMSTERDAM);
            assertEquals(DayOfWeek.MONDAY, local.getDayOfWeek());
            assertEquals(LocalTime.of(9, 0), local.toLocalTime());
        }
        // the week with the change is an hour shorter by the stopwatch
        assertEquals(Duration.ofDays(7).minusHours(1),
                Duration.between(t.opensAt("w1").orElseThrow(), t.opensAt("w2").orElseThrow()));
    }

    @Test
    void weeklyModulesOpenMondayNineLocalAcrossTheAutumnChange() {
        var course = course("Europe/Amsterdam", null, module("w1", "P0D"), module("w2", "P7D"), module("w3", "P14D"));
        Timetable t = CohortSchedule.of(course, fixed("autumn", "2017-10-23T09:00")).shared();
        assertEquals(utc("2017-10-23T07:00:00Z"), t.opensAt("w1").orElseThrow());
        assertEquals(utc("2017-10-30T08:00:00Z"), t.opensAt("w2").orElseThrow());
        assertEquals(utc("2017-11-06T08:00:00Z"), t.opensAt("w3").orElseThrow());
        assertEquals(Duration.ofDays(7).plusHours(1),
                Duration.between(t.opensAt("w1").orElseThrow(), t.opensAt("w2").orElseThrow()));
    }

    @Test
    void hoursAreWallClockHoursToo() {
        // PT24H is P1D: Saturday 09:00 + 24 h is Sunday 09:00 local, 23 hours later in spring ...
        assertEquals(utc("2017-03-26T07:00:00Z"), resolve("PT24H", "2017-03-25T09:00", AMSTERDAM));
        assertEquals(resolve("P1D", "2017-03-25T09:00", AMSTERDAM), resolve("PT24H", "2017-03-25T09:00", AMSTERDAM));
        assertEquals(resolve("P7D", "2017-03-20T09:00", AMSTERDAM), resolve("PT168H", "2017-03-20T09:00", AMSTERDAM));
        // ... and 25 hours later in autumn
        assertEquals(Duration.ofHours(25), Duration.between(
                resolve("P0D", "2017-10-28T09:00", AMSTERDAM), resolve("PT24H", "2017-10-28T09:00", AMSTERDAM)));
        // PT3H after 01:00 on the spring night is 04:00 local: two hours by the stopwatch
        assertEquals(utc("2017-03-26T02:00:00Z"), resolve("PT3H", "2017-03-26T01:00", AMSTERDAM));
        // PT3H after 01:00 on the autumn night is 04:00 local: four hours by the stopwatch
        assertEquals(utc("2017-10-29T03:00:00Z"), resolve("PT3H", "2017-10-29T01:00", AMSTERDAM));
        assertEquals(Duration.ofHours(4), Duration.between(
                resolve("P0D", "2017-10-29T01:00", AMSTERDAM), resolve("PT3H", "2017-10-29T01:00", AMSTERDAM)));
    }

    @Test
    void aSkippedLocalTimeResolvesToTheMomentTheClocksJump() {
        Instant jump = utc("2017-03-26T01:00:00Z"); // 02:00 +01:00 became 03:00 +02:00
        assertEquals(jump, resolve("2017-03-26T02:30", null, AMSTERDAM));
        assertEquals(jump, resolve("2017-03-26T02:00", null, AMSTERDAM));
        assertEquals(jump, resolve("2017-03-26T02:59:59.999999999", null, AMSTERDAM));
        assertEquals(jump, resolve("2017-03-26T03:00", null, AMSTERDAM));
        assertEquals(jump.minusSeconds(60), resolve("2017-03-26T01:59", null, AMSTERDAM));
        // an offset landing in the gap does the same
        assertEquals(jump, resolve("P1D", "2017-03-25T02:30", AMSTERDAM));
        // java.time's default would have said 03:30, after a deadline written for 03:00
        assertEquals(utc("2017-03-26T01:30:00Z"), LocalDateTime.parse("2017-03-26T02:30").atZone(AMSTERDAM).toInstant());
    }

    @Test
    void aLocalTimeShownTwiceResolvesToItsFirstOccurrence() {
        // clocks went from 03:00 +02:00 back to 02:00 +01:00: 02:00-02:59 happen twice; the first counts
        assertEquals(utc("2017-10-29T00:30:00Z"), resolve("2017-10-29T02:30", null, AMSTERDAM));
        assertEquals(utc("2017-10-29T00:00:00Z"), resolve("2017-10-29T02:00", null, AMSTERDAM));
        assertEquals(utc("2017-10-29T02:00:00Z"), resolve("2017-10-29T03:00", null, AMSTERDAM));
        assertEquals(utc("2017-10-28T23:59:00Z"), resolve("2017-10-29T01:59", null, AMSTERDAM));
        assertEquals(utc("2017-10-29T00:30:00Z"), resolve("P1D", "2017-10-28T02:30", AMSTERDAM));
    }

    @Test
    void lordHoweMovesItsClocksHalfAnHour() {
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        // 2017-10-01 02:00 +10:30 became 02:30 +11:00
        assertEquals(utc("2017-09-30T15:30:00Z"), resolve("2017-10-01T02:15", null, lordHowe));
        assertEquals(utc("2017-10-06T22:00:00Z"), resolve("P7D", "2017-09-30T09:00", lordHowe)); // 09:00 +11:00
        assertEquals(Duration.ofDays(7).minusMinutes(30), Duration.between(
                resolve("P0D", "2017-09-30T09:00", lordHowe), resolve("P7D", "2017-09-30T09:00", lordHowe)));
        // 2018-04-01 02:00 +11:00 went back to 01:30 +10:30: 01:45 happens twice, the first counts
        assertEquals(utc("2018-03-31T14:45:00Z"), resolve("2018-04-01T01:45", null, lordHowe));
    }

    /**
     * Exhaustive around every transition from 1990 to 2040: minute by minute from three hours before
     * to three hours after, resolution never goes back in time, keeps every local time that exists,
     * and agrees with java.time everywhere except in gaps.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
            "Pacific/Apia", "Africa/Casablanca", "Pacific/Chatham", "Asia/Kolkata"})
    void resolutionIsMonotoneAndExactAroundEveryTransition(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        ZoneRules rules = zone.getRules();
        Instant end = utc("2040-01-01T00:00:00Z");
        int checked = 0;
        for (ZoneOffsetTransition tr = rules.nextTransition(utc("1990-01-01T00:00:00Z"));
                tr != null && tr.getInstant().isBefore(end); tr = rules.nextTransition(tr.getInstant())) {
            LocalDateTime from = tr.getDateTimeBefore().minusHours(3);
            Instant previous = null;
            for (int minute = 0; minute <= 6 * 60 + Math.abs(tr.getDuration().toMinutes()); minute++) {
                LocalDateTime local = from.plusMinutes(minute);
                Instant placed = new When.At(local).resolve(null, zone);
                if (previous != null) assertFalse(placed.isBefore(previous), zoneId + " " + local);
                previous = placed;
                if (rules.getValidOffsets(local).isEmpty()) {
                    assertEquals(rules.getTransition(local).getInstant(), placed, zoneId + " gap " + local);
                } else {
                    assertEquals(local, LocalDateTime.ofInstant(placed, zone), zoneId + " " + local);
                    assertEquals(local.atZone(zone).toInstant(), placed, zoneId + " " + local);
                }
                checked++;
            }
        }
        assertTrue(zoneId.equals("Asia/Kolkata") || checked > 1000, zoneId + ": only " + checked + " checked");
    }
}
