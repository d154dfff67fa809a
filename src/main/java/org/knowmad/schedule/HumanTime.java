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

    private static final DateTimeFormatter ENGLISH_NO_YEAR = DateTimeFormatter.ofPattern("EEEE d MMMM, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DUTCH_NO_YEAR =
            DateTimeFormatter.ofPattern("EEEE d MMMM 'om' HH:mm", Locale.forLanguageTag("nl"));
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * From {@code start} to {@code end}, each part said once, on the zone's clock:
     * <ul>
     *   <li>one day: "Sunday 20 December 2026, 14:00–17:00" · "zondag 20 december 2026, 14:00–17:00";</li>
     *   <li>days of one year: "Saturday 19 December, 10:00 – Sunday 20 December 2026, 17:00"
     *       · "zaterdag 19 december om 10:00 – zondag 20 december 2026 om 17:00";</li>
     *   <li>across a new year: both in full.</li>
     * </ul>
     */
    public static String range(Instant start, Instant end, ZoneId zone, Locale locale) {
        boolean dutch = dutch(locale);
        var from = start.atZone(zone);
        var to = end.atZone(zone);
        if (from.toLocalDate().equals(to.toLocalDate())) {
            String day = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", dutch ? Locale.forLanguageTag("nl") : Locale.ENGLISH).format(from);
            return day + ", " + CLOCK.format(from) + "\u2013" + CLOCK.format(to);
        }
        String first = from.getYear() == to.getYear()
                ? (dutch ? DUTCH_NO_YEAR : ENGLISH_NO_YEAR).format(from)
                : dateTime(start, zone, locale);
        return first + " \u2013 " + dateTime(end, zone, locale);
    }
}
