package org.knowmad.rhythm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A sharing goal's periods and streak: pure. Periods are counted from the moment the goal was set, each
 * {@code periodDays} long; a period is met when at least one post falls in it. The streak is the number of met
 * periods in a row up to now: the current period counts once it is met, and an unmet current period does not
 * break the streak (there is still time).
 */
public record Rhythm(Instant setAt, int periodDays) {

    public static final List<Integer> PERIODS = List.of(7, 14, 30);

    public Rhythm {
        if (!PERIODS.contains(periodDays)) throw new IllegalArgumentException("period of " + periodDays + " days");
    }

    public Duration period() {
        return Duration.ofDays(periodDays);
    }

    /** The index of the period {@code at} falls in (0 for the first; -1 before the goal was set). */
    public long periodIndex(Instant at) {
        if (at.isBefore(setAt)) return -1;
        return Duration.between(setAt, at).toSeconds() / period().toSeconds();
    }

    public Instant periodStart(long index) {
        return setAt.plus(period().multipliedBy(index));
    }

    /** Whether at least one of {@code posts} falls in period {@code index}. */
    public boolean met(long index, List<Instant> posts) {
        Instant from = periodStart(index);
        Instant to = periodStart(index + 1);
        return posts.stream().anyMatch(p -> !p.isBefore(from) && p.isBefore(to));
    }

    public int streak(List<Instant> posts, Instant now) {
        long current = periodIndex(now);
        if (current < 0) return 0;
        int streak = met(current, posts) ? 1 : 0;
        for (long k = current - 1; k >= 0 && met(k, posts); k--) streak++;
        return streak;
    }

    /** The last complete period before {@code now}, or -1 if none has ended yet: the one a reminder is about. */
    public long lastCompletePeriod(Instant now) {
        return periodIndex(now) - 1;
    }
}
