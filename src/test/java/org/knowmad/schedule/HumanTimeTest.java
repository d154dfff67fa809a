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
}
