package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** When the pulse shows kept participation counts, when it counts again, and that quick counts are never kept. */
class ParticipationCacheTest {

    private static final Instant T0 = Instant.parse("2030-03-04T10:00:00Z");

    /** A count whose completion the test decides; each call is one count of the database. */
    private final List<Promise<List<PulseStore.PeriodRow>>> counts = new ArrayList<>();
    private final Supplier<Future<List<PulseStore.PeriodRow>>> count = () -> {
        Promise<List<PulseStore.PeriodRow>> p = Promise.promise();
        counts.add(p);
        return p.future();
    };

    private static List<PulseStore.PeriodRow> rows(long completed) {
        return List.of(new PulseStore.PeriodRow(0, completed, Funnel.EMPTY, new ParticipationShape(0, 0, 0), 0));
    }

    @Test
    void aSlowCountIsKeptThenRefreshedInTheBackgroundOnceThenCountedAgainWhenOld() {
        ParticipationCache cache = new ParticipationCache(Duration.ZERO); // every count is "slow"
        Future<ParticipationCache.Counted> first = cache.get("c", "c", T0, count);
        assertFalse(first.isComplete(), "nothing kept: the view waits for the count");
        counts.get(0).complete(rows(1));
        assertTrue(first.result().live());
        assertEquals(T0, first.result().at());

        // Within a minute: the kept count, no new count.
        var fresh = cache.get("c", "c", T0.plusSeconds(59), count).result();
        assertFalse(fresh.live());
        assertEquals(T0, fresh.at());
        assertEquals(1, counts.size());

        // After a minute: the kept count at once, and one count in the background however many views come.
        var stale = cache.get("c", "c", T0.plusSeconds(90), count).result();
        assertEquals(1, stale.rows().get(0).completed());
        cache.get("c", "c", T0.plusSeconds(91), count).result();
        assertEquals(2, counts.size(), "one background count at a time");
        counts.get(1).complete(rows(2));
        var refreshed = cache.get("c", "c", T0.plusSeconds(92), count).result();
        assertEquals(2, refreshed.rows().get(0).completed());
        assertEquals(T0.plusSeconds(90), refreshed.at(), "the background count's moment");

        // Older than KEEP: the view waits for a new count again.
        Future<ParticipationCache.Counted> late = cache.get("c", "c", T0.plusSeconds(90).plus(ParticipationCache.KEEP).plusSeconds(1), count);
        assertFalse(late.isComplete());
        counts.get(2).complete(rows(3));
        assertTrue(late.result().live());
    }

    @Test
    void aQuickCountIsNeverKept() {
        ParticipationCache cache = new ParticipationCache(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            Future<ParticipationCache.Counted> f = cache.get("c", "c", T0.plusSeconds(i), count);
            counts.get(i).complete(rows(i));
            assertTrue(f.result().live());
            assertEquals(i, f.result().rows().get(0).completed());
        }
    }

    @Test
    void aFailedCountKeepsNothingAndAFailedRefreshKeepsTheOldCount() {
        ParticipationCache cache = new ParticipationCache(Duration.ZERO);
        Future<ParticipationCache.Counted> failed = cache.get("c", "c", T0, count);
        counts.get(0).fail("database down");
        assertTrue(failed.failed());
        Future<ParticipationCache.Counted> second = cache.get("c", "c", T0.plusSeconds(1), count);
        assertEquals(2, counts.size(), "the failure was not kept");
        counts.get(1).complete(rows(1));
        cache.get("c", "c", T0.plusSeconds(120), count);
        counts.get(2).fail("database down");
        var kept = cache.get("c", "c", T0.plusSeconds(121), count).result();
        assertEquals(1, kept.rows().get(0).completed());
        assertEquals(4, counts.size(), "after a failed background count the next view tries again");
        assertTrue(second.result().live());
    }

    @Test
    void countsNobodyLooksAtAreForgotten() {
        ParticipationCache cache = new ParticipationCache(Duration.ZERO);
        cache.get("a", "a/2030-03-04", T0, count);
        counts.get(0).complete(rows(1));
        assertEquals(1, cache.size());
        Instant nextDay = T0.plus(ParticipationCache.KEEP).plusSeconds(1);
        cache.get("a", "a/2030-03-05", nextDay, count);
        counts.get(1).complete(rows(2));
        assertEquals(1, cache.size(), "yesterday's count is gone once a count is kept after KEEP");
    }

    @Test
    void viewsThatNeedACountShareTheOneUnderWayAndASlowCohortIsRemembered() {
        ParticipationCache cache = new ParticipationCache(Duration.ZERO);
        assertFalse(cache.knownSlow("a"));
        Future<ParticipationCache.Counted> first = cache.get("a", "a/2030-03-04", T0, count);
        Future<ParticipationCache.Counted> second = cache.get("a", "a/2030-03-04", T0.plusSeconds(1), count);
        assertEquals(1, counts.size(), "one count for both views");
        assertFalse(cache.knownSlow("a"), "not before the count is done");
        counts.get(0).complete(rows(7));
        assertEquals(7, second.result().rows().get(0).completed());
        assertEquals(T0, second.result().at(), "the moment the shared count began");
        assertTrue(first.result().live());
        assertTrue(cache.knownSlow("a"));
        assertFalse(cache.knownSlow("b"));

        // The next day's key is new, but the cohort is still known to be slow (its page need not wait for the count).
        Future<ParticipationCache.Counted> nextDay = cache.get("a", "a/2030-03-05", T0.plus(Duration.ofDays(1)), count);
        assertFalse(nextDay.isComplete());
        assertTrue(cache.knownSlow("a"));
        // A count that fails leaves nothing under way: the next view counts again.
        counts.get(1).fail("database down");
        assertTrue(nextDay.failed());
        cache.get("a", "a/2030-03-05", T0.plus(Duration.ofDays(1)).plusSeconds(1), count);
        assertEquals(3, counts.size());
    }

    @Test
    void cohortsAndDaysAreKeptApart() {
        ParticipationCache cache = new ParticipationCache(Duration.ZERO);
        cache.get("a", "a/2030-03-04", T0, count);
        counts.get(0).complete(rows(1));
        Future<ParticipationCache.Counted> other = cache.get("b", "b/2030-03-04", T0, count);
        assertFalse(other.isComplete());
        assertEquals(2, counts.size());
    }
}
