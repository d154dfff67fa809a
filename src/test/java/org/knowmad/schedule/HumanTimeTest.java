package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.knowmad.schedule.Fixtures.AMSTERDAM;
import static org.knowmad.schedule.Fixtures.utc;

import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HumanTimeTest {

    @Test
    void englishAndDutchSentences() {
        var at = utc("2017-01-16T08:00:00Z");
        assertEquals("opens on Monday 16 January 2017, 09:00", HumanTime.opensOn(at, AMSTERDAM, Locale.ENGLISH));
        assertEquals("opent op maandag 16 januari 2017 om 09:00", HumanTime.opensOn(at, AMSTERDAM, Locale.forLanguageTag("nl")));
        assertEquals("Monday 16 January 2017, 09:00", HumanTime.dateTime(at, AMSTERDAM, Locale.UK));
        assertEquals("maandag 16 januari 2017 om 09:00", HumanTime.dateTime(at, AMSTERDAM, Locale.forLanguageTag("nl-BE")));
    }

    @Test
    void showsTheCourseZonesClockInSummerToo() {
        var at = utc("2017-07-03T07:00:00Z");
        assertEquals("opens on Monday 3 July 2017, 09:00", HumanTime.opensOn(at, AMSTERDAM, Locale.US));
        assertEquals("opens on Monday 3 July 2017, 03:00", HumanTime.opensOn(at, ZoneId.of("America/New_York"), Locale.US));
    }

    @Test
    void otherLanguagesGetEnglish() {
        var at = utc("2017-01-16T08:00:00Z");
        assertEquals("opens on Monday 16 January 2017, 09:00", HumanTime.opensOn(at, AMSTERDAM, Locale.GERMAN));
        assertEquals("opens on Monday 16 January 2017, 09:00", HumanTime.opensOn(at, AMSTERDAM, null));
    }

    private static final Locale NL = Locale.forLanguageTag("nl");

    @Test
    void aMeetupWithinOneDayNamesTheDayOnce() {
        var start = utc("2026-12-20T13:00:00Z");
        var end = utc("2026-12-20T16:00:00Z");
        assertEquals("Sunday 20 December 2026, 14:00\u201317:00", HumanTime.range(start, end, AMSTERDAM, Locale.ENGLISH));
        assertEquals("zondag 20 december 2026, 14:00\u201317:00", HumanTime.range(start, end, AMSTERDAM, NL));
        assertEquals("Sunday 20 December 2026, 14:00\u201314:00", HumanTime.range(start, start, AMSTERDAM, Locale.ENGLISH), "no length");
    }

    @Test
    void aMeetupOverSeveralDaysNamesTheYearOnce() {
        var start = utc("2026-12-19T09:00:00Z");
        var end = utc("2026-12-20T16:00:00Z");
        assertEquals("Saturday 19 December, 10:00 \u2013 Sunday 20 December 2026, 17:00", HumanTime.range(start, end, AMSTERDAM, Locale.ENGLISH));
        assertEquals("zaterdag 19 december om 10:00 \u2013 zondag 20 december 2026 om 17:00", HumanTime.range(start, end, AMSTERDAM, NL));
    }

    @Test
    void aMeetupAcrossNewYearSaysBothYears() {
        var start = utc("2026-12-31T21:00:00Z");
        var end = utc("2027-01-01T01:00:00Z");
        assertEquals("Thursday 31 December 2026, 22:00 \u2013 Friday 1 January 2027, 02:00", HumanTime.range(start, end, AMSTERDAM, Locale.ENGLISH));
        assertEquals("donderdag 31 december 2026 om 22:00 \u2013 vrijdag 1 januari 2027 om 02:00", HumanTime.range(start, end, AMSTERDAM, NL));
    }

    @Test
    void theDayIsTheZonesDayNotUtcs() {
        // 23:00–01:00 UTC is one evening in New York and two days in UTC.
        var start = utc("2026-06-05T23:00:00Z");
        var end = utc("2026-06-06T01:00:00Z");
        assertEquals("Friday 5 June 2026, 19:00\u201321:00", HumanTime.range(start, end, ZoneId.of("America/New_York"), Locale.ENGLISH));
        assertEquals("Friday 5 June, 23:00 \u2013 Saturday 6 June 2026, 01:00", HumanTime.range(start, end, ZoneId.of("UTC"), Locale.ENGLISH));
    }

    @Test
    void aDaylightSavingNightStaysOneDay() {
        // The clocks go back in Amsterdam on 25 October 2026: 01:00–04:00 local is four hours long.
        var start = utc("2026-10-24T23:00:00Z");
        var end = utc("2026-10-25T03:00:00Z");
        assertEquals("Sunday 25 October 2026, 01:00\u201304:00", HumanTime.range(start, end, AMSTERDAM, Locale.ENGLISH));
    }
}
