package org.knowmad.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Instants written for people, on the course zone's clock, in English or Dutch (any other language
 * gets English). The sentences live here so pages, emails and feeds word them the same way.
 */
public final class HumanTime {

    private static final DateTimeFormatter ENGLISH =
            DateTimeFormatter.ofPattern("EEEE d MMMM uuuu, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DUTCH =
            DateTimeFormatter.ofPattern("EEEE d MMMM uuuu 'om' HH:mm", Locale.forLanguageTag("nl"));

    private HumanTime() {
    }

    /** "Monday 16 January 2017, 09:00" · "maandag 16 januari 2017 om 09:00". */
    public static String dateTime(Instant at, ZoneId zone, Locale locale) {
        return (dutch(locale) ? DUTCH : ENGLISH).withZone(zone).format(at);
    }

    /** "opens on Monday 16 January 2017, 09:00" · "opent op maandag 16 januari 2017 om 09:00". */
    public static String opensOn(Instant at, ZoneId zone, Locale locale) {
        return (dutch(locale) ? "opent op " : "opens on ") + dateTime(at, zone, locale);
    }

    private static boolean dutch(Locale locale) {
        return locale != null && "nl".equals(locale.getLanguage());
    }
}
