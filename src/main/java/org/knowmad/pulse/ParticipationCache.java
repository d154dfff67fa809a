package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The participation counts of cohorts that are slow to count, kept by this node. Counting a cohort reads all its
 * activity: in one of 50,000 participants with 600,000 activity days that is 1.0-1.6 s on a 2-core machine, far
 * over a page's budget, while the numbers describe weeks and move slowly. So a count that took at least
 * {@code slow} is kept: views within {@link #FRESH} of it show it as it is; later views (up to {@link #KEEP}) show
 * it at once and count again in the background; after that a view needs a new count. There is at most one count of
 * a key under way on this node, and every view that needs it shares it. The cohort is remembered as slow, so that
 * its page can show the rest at once and fill the counts in when they are there ({@link #knownSlow}) instead of
 * waiting. Counts that are quick are never kept: a small cohort always sees itself live. A kept count says when it
 * was made, and the page says so.
 */
final class ParticipationCache {

    static final Duration FRESH = Duration.ofMinutes(1);
    static final Duration KEEP = Duration.ofMinutes(15);
    /** A count that takes this long (or longer) is kept. */
    static final Duration SLOW = Duration.ofMillis(250);

    /**
     * The counts, when they were made, and whether they are this request's own (false: kept from earlier). No rows
     * and {@code counting}: the count was still under way when the page could wait no longer.
     */
    record Counted(List<PulseStore.PeriodRow> rows, Instant at, boolean live, boolean counting) {

        static Counted underWay(Instant at) {
            return new Counted(List.of(), at, true, true);
        }
    }

    private record Entry(List<PulseStore.PeriodRow> rows, Instant at) {
    }

    private final Duration slow;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Future<Counted>> underWay = new ConcurrentHashMap<>();
    /** Cohorts (not keys: a key changes with the day) whose count was slow here once, or large; few, never forgotten. */
    private final Set<String> slowCohorts = ConcurrentHashMap.newKeySet();

    ParticipationCache(Duration slow) {
        this.slow = slow;
    }

    /**
     * The counts for {@code key} (one of {@code cohort}'s) at {@code now}: kept ones when there are, else the count
     * under way or a new one of {@code count}. The future may complete on another request's event loop: a caller that
     * renders on its own should hop back.
     */
    Future<Counted> get(String cohort, String key, Instant now, Supplier<Future<List<PulseStore.PeriodRow>>> count) {
        Entry kept = entries.get(key);
        if (kept != null && !now.isAfter(kept.at().plus(KEEP))) {
            if (now.isAfter(kept.at().plus(FRESH))) count(cohort, key, now, count);
            return Future.succeededFuture(new Counted(kept.rows(), kept.at(), false, false));
        }
        return count(cohort, key, now, count);
    }

    /** Whether a count of this cohort took long on this node before. */
    boolean knownSlow(String cohort) {
        return slowCohorts.contains(cohort);
    }

    /** Remembers a cohort as slow before any count of it was (a large one: {@link PulseService#WARM_FROM}). */
    void markSlow(String cohort) {
        slowCohorts.add(cohort);
    }

    private Future<Counted> count(String cohort, String key, Instant now, Supplier<Future<List<PulseStore.PeriodRow>>> count) {
        Promise<Counted> mine = Promise.promise();
        Future<Counted> running = underWay.putIfAbsent(key, mine.future());
        if (running != null) return running;
        long started = System.nanoTime();
        count.get().onComplete(ar -> {
            if (ar.succeeded()) {
                // Real time, not the injected clock: what is measured is the database's work.
                if (System.nanoTime() - started >= slow.toNanos()) {
                    entries.put(key, new Entry(List.copyOf(ar.result()), now));
                    slowCohorts.add(cohort);
                } else {
                    entries.remove(key);
                }
                // Yesterday's keys (the day is part of a key) and cohorts nobody looks at are not kept beyond KEEP.
                entries.values().removeIf(e -> e.at().plus(KEEP).isBefore(now));
            }
            underWay.remove(key);
            if (ar.succeeded()) mine.complete(new Counted(ar.result(), now, true, false));
            else mine.fail(ar.cause());
        });
        return mine.future();
    }

    /** How many counts are kept (tests). */
    int size() {
        return entries.size();
    }
}
