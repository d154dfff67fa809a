package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.knowmad.schedule.Fixtures.AMSTERDAM;
import static org.knowmad.schedule.Fixtures.ams;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WhenTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "P0D,           P0D,     PT0S",
            "P14D,          P14D,    PT0S",
            "P2W,           P14D,    PT0S",
            "P36DT4H,       P36D,    PT4H",
            "PT3H,          P0D,     PT3H",
            "PT90M,         P0D,     PT1H30M",
            "PT0S,          P0D,     PT0S",
            "P1Y2M3DT4H5M,  P1Y2M3D, PT4H5M",
            "P1M,           P1M,     PT0S",
            "PT1M,          P0D,     PT1M",
            "p7dt2h,        P7D,     PT2H",
            "' P7D ',       P7D,     PT0S",
            "P99Y,          P99Y,    PT0S",
    })
    void parsesOffsets(String text, String period, String time) {
        When when = When.parse(text);
        assertEquals(new When.After(Period.parse(period), Duration.parse(time)), when);
        assertTrue(when.isRelative());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2017-02-14T13:00", "2017-02-14T13:00:30", "2016-02-29T00:00", " 2017-01-09T09:00 "})
    void parsesLocalDateTimes(String text) {
        When when = When.parse(text);
        assertEquals(new When.At(LocalDateTime.parse(text.trim())), when);
        assertFalse(when.isRelative());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "P2W3", "P", "PT", "P1DT", "-P1D", "P-1D", "PT-1H", "P1DT-1H", "P+1D", "+P1D",
            "P1H", "PT1D", "P1.5D", "P1D2D", "P 1D", "7D", "P7", "99999999999999999999D",
            "P99999999999999999999D", "2017-02-30T09:00", "2017-02-29T09:00", "2017-13-01T09:00",
            "2017-02-14T24:00", "2017-02-14", "13:00", "2017-02-14 13:00", "2017-02-14T13:00+01:00",
            "tomorrow", "P7D tomorrow"})
    void refusesNonsenseWithTheFacilitatorsMessage(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> When.parse(text));
        assertEquals("'" + text + "' is not a duration or local date-time", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P100Y", "P1200M", "P36525D", "PT876600H", "P999999999Y", "P99Y12M"})
    void refusesOffsetsOfACenturyOrMore(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> When.parse(text));
        assertEquals("'" + text + "' is too far ahead: an offset must stay under 100 years", e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void refusesEmptyText(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> When.parse(text));
        assertTrue(e.getMessage().startsWith("is empty"), e.getMessage());
    }

    @Test
    void offsetRecordsRefuseNegativeParts() {
        assertThrows(IllegalArgumentException.class, () -> new When.After(Period.ofDays(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new When.After(Period.of(1, -1, 0), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new When.After(Period.ZERO, Duration.ofHours(-1)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P0D", "P14D", "P2W", "P36DT4H", "PT3H", "PT90M", "P1Y2M3DT4H5M", "PT0.5S", "2017-02-14T13:00"})
    void printsWhatItParses(String text) {
        When when = When.parse(text);
        assertEquals(when, When.parse(when.toString()));
    }

    @Test
    void printsOffsetsInIsoForm() {
        assertEquals("P36DT4H", When.parse("P36DT4H").toString());
        assertEquals("PT3H", When.parse("PT3H").toString());
        assertEquals("P14D", When.parse("P2W").toString());
        assertEquals("P0D", When.parse("P0D").toString());
    }

    @Test
    void offsetsAddCalendarUnitsThenTimeOnTheLocalClock() {
        var monday = LocalDateTime.parse("2017-01-09T09:00");
        assertEquals(ams("2017-01-16T09:00"), When.parse("P7D").resolve(monday, AMSTERDAM));
        assertEquals(ams("2017-01-10T21:00"), When.parse("PT36H").resolve(monday, AMSTERDAM));
        assertEquals(ams("2017-02-14T13:00"), When.parse("P36DT4H").resolve(monday, AMSTERDAM));
        assertEquals(ams("2018-03-12T13:05"), When.parse("P1Y2M3DT4H5M").resolve(monday, AMSTERDAM));
    }

    @Test
    void aMonthAfterTheLastOfJanuaryIsTheLastOfFebruary() {
        var start = LocalDateTime.parse("2017-01-31T09:00");
        assertEquals(ams("2017-02-28T09:00"), When.parse("P1M").resolve(start, AMSTERDAM));
        assertEquals(ams("2016-02-29T09:00"), When.parse("P1M").resolve(start.minusYears(1), AMSTERDAM));
    }

    @Test
    void aFixedDateTimeIgnoresTheStart() {
        When at = When.parse("2017-02-14T13:00");
        assertEquals(ams("2017-02-14T13:00"), at.resolve(LocalDateTime.parse("2017-01-09T09:00"), AMSTERDAM));
        assertEquals(ams("2017-02-14T13:00"), at.resolve(null, AMSTERDAM));
        assertEquals(LocalDateTime.parse("2017-02-14T13:00").toInstant(ZoneOffset.UTC), at.resolve(null, ZoneOffset.UTC));
    }
}
