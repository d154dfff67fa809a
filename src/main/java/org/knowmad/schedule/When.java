package org.knowmad.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * A moment in a course file: either an offset from the cohort's start ({@code P14D}, {@code P36DT4H})
 * or a fixed local date-time ({@code 2017-02-14T13:00}) in the course time zone.
 *
 * <p>Offsets are wall-clock offsets: the date part is added to the local date and the time part to
 * the local time, and only then is the result placed in the zone. So {@code P7D} after Monday 09:00
 * is the next Monday 09:00 local, whatever the clocks did in between. The time part follows the same
 * rule, so {@code PT24H} means exactly what {@code P1D} means, and {@code PT3H} after 01:00 on the
 * night the clocks go forward is 04:00 local (two hours later by the stopwatch). Facilitators think
 * in the times printed on their calendar, and that keeps every item of a course at the time of day
 * it was written for.
 *
 * <p>A local time the zone skips (02:30 when the clocks jump from 02:00 to 03:00) resolves to the
 * moment of the jump (03:00 new time): the first moment the wall clock shows the written time or
 * later. (java.time's own default would move it a full gap length on, to 03:30, which would put a
 * deadline written for 02:30 after one written for 03:00.) A local time the zone passes twice (02:30
 * when the clocks go back from 03:00 to 02:00) resolves to its first occurrence, the earlier offset.
 * Both rules keep resolution monotone: a later local time never resolves to an earlier instant.
 */
public sealed interface When {

    /** Resolves this moment for a cohort (or a participant) that starts at {@code startLocal} in {@code zone}. */
    Instant resolve(LocalDateTime startLocal, ZoneId zone);

    /**
     * An offset after the start: whole calendar units plus a time-of-day shift, neither negative.
     * Calendar arithmetic is java.time's: a month after 31 January is the last day of February.
     */
    record After(Period period, Duration time) implements When {
        public After {
            Objects.requireNonNull(period);
            Objects.requireNonNull(time);
            if (period.getYears() < 0 || period.getMonths() < 0 || period.getDays() < 0 || time.isNegative()) {
                throw new IllegalArgumentException("an offset cannot be negative: " + period + " " + time);
            }
        }

        @Override
        public Instant resolve(LocalDateTime startLocal, ZoneId zone) {
            return LocalTimes.place(local(startLocal), zone);
        }

        /** The local date-time this offset lands on, before it is placed in a zone. */
        LocalDateTime local(LocalDateTime startLocal) {
            return startLocal.plus(period).plus(time);
        }

        @Override
        public String toString() {
            if (time.isZero()) return period.toString();
            String t = time.toString(); // "PT4H"
            return (period.isZero() ? "P" : period.toString()) + t.substring(1);
        }
    }

    /** A fixed local date-time in the course zone: the same moment for every cohort and participant. */
    record At(LocalDateTime local) implements When {
        public At {
            Objects.requireNonNull(local);
        }

        @Override
        public Instant resolve(LocalDateTime startLocal, ZoneId zone) {
            return LocalTimes.place(local, zone);
        }

        @Override
        public String toString() {
            return local.toString();
        }
    }

    /** Offsets beyond this are typos (P100D meant, P100Y written) and would overflow date arithmetic. */
    int MAX_YEARS = 100;

    /** True for an offset from the start, false for a fixed date-time. */
    default boolean isRelative() {
        return this instanceof After;
    }

    /**
     * Parses an ISO-8601 duration ({@code P0D}, {@code P2W}, {@code P36DT4H}, {@code PT3H},
     * {@code P1Y2M3DT4H5M}) or a local date-time ({@code 2017-02-14T13:00}). Durations may not be
     * negative (no sign anywhere) and must stay under {@value #MAX_YEARS} years.
     *
     * @throws IllegalArgumentException with a message fit for a facilitator, e.g.
     *     {@code 'P2W3' is not a duration or local date-time}
     */
    static When parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; expected a duration such as P7D or a local date-time such as 2017-02-14T13:00");
        }
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            After after = parseOffset(s.toUpperCase(Locale.ROOT));
            if (after != null) {
                if (!withinRange(after)) {
                    throw new IllegalArgumentException("'" + text + "' is too far ahead: an offset must stay under " + MAX_YEARS + " years");
                }
                return after;
            }
        } else {
            try {
                return new At(LocalDateTime.parse(s)); // ISO parsing is strict: 2017-02-30 is refused
            } catch (DateTimeParseException ignored) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration or local date-time");
    }

    private static After parseOffset(String s) {
        // java.time accepts signs inside (P-1D, P+1D, PT-1H); a course offset has no direction to choose.
        if (s.contains("-") || s.contains("+")) return null;
        int t = s.indexOf('T');
        String datePart = t < 0 ? s : s.substring(0, t);
        String timePart = t < 0 ? "" : s.substring(t);
        if (datePart.equals("P") && timePart.isEmpty()) return null; // "P"
        if (timePart.equals("T")) return null;                       // "PT", "P1DT"
        try {
            Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
            Duration time = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
            return new After(period, time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean withinRange(After after) {
        LocalDateTime probe = LocalDateTime.of(2000, 1, 1, 0, 0);
        try {
            return after.local(probe).isBefore(probe.plusYears(MAX_YEARS));
        } catch (DateTimeException | ArithmeticException e) {
            return false;
        }
    }
}
