package org.knowmad.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;

/** Places local date-times of a course on the time line, the one place that decides DST edge cases. */
final class LocalTimes {

    private LocalTimes() {
    }

    /**
     * The instant a wall clock in {@code zone} shows {@code local}, or, for a local time the zone skips
     * (spring forward), the moment of the jump. For a local time the zone shows twice (autumn), its
     * first occurrence. See {@link When} for why: both keep a later local time at a later-or-equal instant.
     */
    static Instant place(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return local.atZone(zone).toInstant(); // an overlap takes the earlier offset: java.time's default
    }
}
