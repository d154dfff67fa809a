package org.knowmad.pulse;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The participation counts of cohorts that are slow to count, kept by this node. Counting a cohort reads all its
 * activity: in one of 50,000 participants with 600,000 activity days that is 1.2-1.6 s on a 2-core machine, far
 * over a page's budget, while the numbers describe weeks and move slowly. So a count that took at least
 * {@code slow} is kept: views within {@link #FRESH} of it show it as it is; later views (up to {@link #KEEP}) show
 * it at once and count again in the background, one count per cohort at a time; after that a view counts and
 * waits. Counts that are quick are never kept: a small cohort always sees itself live. A kept count says when it
 * was made, and the page says so.
 */
final class ParticipationCache {

    static final Duration FRESH = Duration.ofMinutes(1);
    static final Duration KEEP = Duration.ofMinutes(15);
    /** A count that takes this long (or longer) is kept. */
    static final Duration SLOW = Duration.ofMillis(250);

    /** The counts, when they were made, and whether they are this request's own (false: kept from earlier). */
    record Counted(List<PulseStore.PeriodRow> rows, Instant at, boolean live) {
    }

    private record Entry(List<PulseStore.PeriodRow> rows, Instant at) {
    }

    private final Duration slow;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Set<String> counting = ConcurrentHashMap.newKeySet();

    ParticipationCache(Duration slow) {
        this.slow = slow;
    }

    /** The counts for {@code key} at {@code now}: kept ones when there are, else {@code count}'s. */
    Future<Counted> get(String key, Instant now, Supplier<Future<List<PulseStore.PeriodRow>>> count) {
        Entry kept = entries.get(key);
        if (kept != null && !now.isAfter(kept.at().plus(KEEP))) {
            if (now.isAfter(kept.at().plus(FRESH)) && counting.add(key)) {
                count(key, now, count).onComplete(ar -> counting.remove(key));
            }
            return Future.succeededFuture(new Counted(kept.rows(), kept.at(), false));
        }
        return count(key, now, count).map(rows -> new Counted(rows, now, true));
    }

    private Future<List<PulseStore.PeriodRow>> count(String key, Instant now, Supplier<Future<List<PulseStore.PeriodRow>>> count) {
        long started = System.nanoTime();
        return count.get().onSuccess(rows -> {
            // Real time, not the injected clock: what is measured is the database's work.
            if (System.nanoTime() - started >= slow.toNanos()) entries.put(key, new Entry(List.copyOf(rows), now));
            else entries.remove(key);
            // Yesterday's keys (the day is part of a key) and cohorts nobody looks at are not kept beyond KEEP.
            entries.values().removeIf(e -> e.at().plus(KEEP).isBefore(now));
        });
    }

    /** How many counts are kept (tests). */
    int size() {
        return entries.size();
    }
}
