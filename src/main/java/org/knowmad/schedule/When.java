package org.knowmad.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A moment in a course file: either an offset from the cohort's start ({@code P14D}, {@code P36DT4H})
 * or a fixed local date-time ({@code 2017-02-14T13:00}) in the course time zone.
 *
 * <p>Offsets are wall-clock offsets: the date part is added to the local date and the time part to
 * the local time, and only then is the result placed in the zone. So {@code P7D} after Monday 09:00
 * is the next Monday 09:00 local, whatever the clocks did in between.
 */
public sealed interface When {

    /** Resolves this moment for a cohort (or a participant) that starts at {@code startLocal} in {@code zone}. */
    Instant resolve(LocalDateTime startLocal, ZoneId zone);

    /** An offset after the start: whole calendar units plus a time of day shift. */
    record After(Period period, Duration time) implements When {
        public After {
            Objects.requireNonNull(period);
            Objects.requireNonNull(time);
        }

        @Override
        public Instant resolve(LocalDateTime startLocal, ZoneId zone) {
            return startLocal.plus(period).plus(time).atZone(zone).toInstant();
        }

        @Override
        public String toString() {
            if (time.isZero()) return period.toString();
            String t = time.toString(); // "PT4H"
            return (period.isZero() ? "P" : period.toString()) + t.substring(1);
        }
    }

    /** A fixed local date-time in the course zone. */
    record At(LocalDateTime local) implements When {
        public At {
            Objects.requireNonNull(local);
        }

        @Override
        public Instant resolve(LocalDateTime startLocal, ZoneId zone) {
            return local.atZone(zone).toInstant();
        }

        @Override
        public String toString() {
            return local.toString();
        }
    }

    /** True for an offset from the start, false for a fixed date-time. */
    default boolean isRelative() {
        return this instanceof After;
    }

    /**
     * Parses an ISO-8601 duration ({@code P0D}, {@code P2W}, {@code P36DT4H}, {@code PT3H}) or a local
     * date-time ({@code 2017-02-14T13:00}).
     *
     * @throws IllegalArgumentException with a message fit for a facilitator
     */
    static When parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty; expected a duration such as P7D or a local date-time such as 2017-02-14T13:00");
        }
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            After after = parseOffset(s.toUpperCase());
            if (after != null) return after;
        } else {
            try {
                return new At(LocalDateTime.parse(s));
            } catch (DateTimeParseException ignored) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration or local date-time");
    }

    private static After parseOffset(String s) {
        int t = s.indexOf('T');
        String datePart = t < 0 ? s : s.substring(0, t);
        String timePart = t < 0 ? "" : s.substring(t);
        try {
            if (s.startsWith("-") || s.contains("-")) return null;
            Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
            Duration time = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
            if (datePart.equals("P") && timePart.isEmpty()) return null;
            if (timePart.equals("T")) return null;
            return new After(period, time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
