package org.knowmad.review;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * A module's review pool as the picker ranks it, read once and shared by the reviewers who ask "review next" at
 * the same moment, instead of every one of them reading every submission of the module (a thousand reviewers at
 * once read a million rows that way). A snapshot is used for {@link #FRESH} at most and only at the same clock
 * second. Claims this node made since a snapshot's read began are added to it, so reviewers asking here together
 * spread over the submissions instead of all ranking the same few first. Being a moment old is safe: the claim
 * counts a submission's taken slots again under its lock ({@code review_claim}, V034), so a stale snapshot can
 * cost a try, never an extra claim.
 */
final class PoolSnapshots {

    static final Duration FRESH = Duration.ofMillis(100);
    /** Claims are remembered this long: far longer than any snapshot in use (see {@link #at}). */
    private static final long CLAIMS_KEPT_NANOS = Duration.ofSeconds(10).toNanos();

    private record Key(String courseId, String cohortId, String moduleId, Instant second) {
    }

    private record ModuleKey(String courseId, String cohortId, String moduleId) {
    }

    /** A claim this node made: when, and on which submission (boxed once, here: it is looked up on every claim after). */
    private record Made(long nanos, Long submissionId) {
    }

    private record Expected(int k, int reviews) {
    }

    /** A pool as read, with the module's claims made here since its read began. */
    static final class Snapshot {
        private final ReviewStore.ModulePool pool;
        private final long readFromNanos;
        private final ConcurrentLinkedQueue<Made> claims;
        /** Where each submission is in the pool's list, so that a claim is found without a pass over the pool. */
        private final Map<Long, Integer> position;
        /** The last {@link #expectedRemaining} answer, with the k it was for. */
        private volatile Expected expected;

        private Snapshot(ReviewStore.ModulePool pool, long readFromNanos, ConcurrentLinkedQueue<Made> claims) {
            this.pool = pool;
            this.readFromNanos = readFromNanos;
            this.claims = claims;
            List<Candidate> candidates = pool.candidates();
            this.position = new HashMap<>(candidates.size() * 2);
            for (int i = 0; i < candidates.size(); i++) position.put(candidates.get(i).id(), i);
        }

        /**
         * The candidates, each with this node's claims since the read began counted as open claims. A claim made
         * while the read ran may be counted twice: that makes a submission look fuller, never emptier, than it is.
         */
        List<Candidate> candidates() {
            // Per position in the pool as read: how many claims were made here since, and which positions have some.
            // (A thousand reviewers asking at once run this before the JIT has compiled it: no map, no boxing.)
            int[] more = null;
            int[] claimed = null;
            int count = 0;
            for (Made m : claims) {
                if (m.nanos() - readFromNanos < 0) continue;
                Integer at = position.get(m.submissionId());
                if (at == null) continue; // submitted after the read: the next snapshot has it
                if (more == null) {
                    more = new int[pool.candidates().size()];
                    claimed = new int[16];
                }
                if (more[at]++ == 0) {
                    if (count == claimed.length) claimed = Arrays.copyOf(claimed, count * 2);
                    claimed[count++] = at;
                }
            }
            if (more == null) return pool.candidates();
            List<Candidate> out = new ArrayList<>(pool.candidates());
            for (int i = 0; i < count; i++) {
                int at = claimed[i];
                Candidate c = out.get(at);
                out.set(at, new Candidate(c.id(), c.authorId(), c.late(), c.submittedAt(), c.completed(), c.openClaims() + more[at]));
            }
            return out;
        }

        /**
         * {@link ReviewDemand#expectedRemaining} of the pool as read: the same for every claim on this snapshot, so
         * worked out once (a pass over every author per claim otherwise).
         */
        int expectedRemaining(int k) {
            Expected known = expected;
            if (known != null && known.k() == k) return known.reviews();
            int reviews = ReviewDemand.expectedRemaining(pool.givenByAuthor(), k);
            expected = new Expected(k, reviews);
            return reviews;
        }

        /** Remembers a claim this node just made on {@code submissionId}. */
        void claimed(long submissionId) {
            long now = System.nanoTime();
            claims.add(new Made(now, submissionId));
            for (Iterator<Made> old = claims.iterator(); old.hasNext(); ) {
                if (now - old.next().nanos() < CLAIMS_KEPT_NANOS) break;
                old.remove();
            }
        }
    }

    private final Map<Key, Future<Snapshot>> kept = new ConcurrentHashMap<>();
    private final Map<ModuleKey, ConcurrentLinkedQueue<Made>> claims = new ConcurrentHashMap<>();

    /**
     * The module's snapshot at {@code now}: a fresh enough one, the one being read, or a new read from {@code load}.
     * Ask for it just before ranking (inside the claim's transaction), so it is never older than a moment.
     */
    Future<Snapshot> at(String courseId, String cohortId, String moduleId, Instant now, Supplier<Future<ReviewStore.ModulePool>> load) {
        Key key = new Key(courseId, cohortId, moduleId, now.truncatedTo(ChronoUnit.SECONDS));
        long nanos = System.nanoTime();
        Future<Snapshot> found = kept.get(key);
        if (found != null && !found.failed() && (!found.isComplete() || nanos - found.result().readFromNanos < FRESH.toNanos())) {
            // A kept future belongs to the event loop that read it; a finished one is handed out afresh.
            return found.succeeded() ? Future.succeededFuture(found.result()) : found;
        }
        ConcurrentLinkedQueue<Made> made = claims.computeIfAbsent(new ModuleKey(courseId, cohortId, moduleId), k -> new ConcurrentLinkedQueue<>());
        Future<Snapshot> reading = load.get().map(pool -> new Snapshot(pool, nanos, made));
        if (kept.size() > 1_000) kept.clear(); // old seconds are never asked for again
        kept.put(key, reading);
        return reading;
    }

    /** Forgets the module's snapshots: a submission came in, a review was finished or removed. */
    void forget(String courseId, String cohortId, String moduleId) {
        kept.keySet().removeIf(k -> k.courseId().equals(courseId) && k.cohortId().equals(cohortId) && k.moduleId().equals(moduleId));
    }
}
