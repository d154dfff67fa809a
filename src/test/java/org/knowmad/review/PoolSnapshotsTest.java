package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared pool a module's reviewers rank from: the read as made, plus the claims this node made since it began. */
class PoolSnapshotsTest {

    private static final Instant NOW = Instant.parse("2030-03-22T09:00:00Z");

    private static List<Candidate> pool(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Candidate(100 + i, 1_000 + i, i % 7 == 0, NOW.minusSeconds(n - i), i % 3, i % 2));
        return out;
    }

    private static PoolSnapshots.Snapshot read(PoolSnapshots snapshots, List<Candidate> candidates, Map<Long, Integer> given) {
        return snapshots.at("c", "k", "m", NOW, () -> Future.succeededFuture(new ReviewStore.ModulePool(candidates, given))).result();
    }

    @Test
    void withoutClaimsTheReadIsHandedOutAsItIs() {
        List<Candidate> candidates = pool(5);
        assertSame(candidates, read(new PoolSnapshots(), candidates, Map.of()).candidates());
    }

    @Test
    void claimsMadeSinceTheReadBeganCountAsOpenClaimsEachTimeAndUnknownSubmissionsAreLeftOut() {
        List<Candidate> candidates = pool(6);
        PoolSnapshots.Snapshot snapshot = read(new PoolSnapshots(), candidates, Map.of());
        snapshot.claimed(102);
        snapshot.claimed(102);
        snapshot.claimed(105);
        snapshot.claimed(999); // submitted after the read: not in this snapshot's list
        List<Candidate> seen = snapshot.candidates();
        assertEquals(candidates.size(), seen.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate before = candidates.get(i);
            int more = before.id() == 102 ? 2 : before.id() == 105 ? 1 : 0;
            assertEquals(new Candidate(before.id(), before.authorId(), before.late(), before.submittedAt(), before.completed(),
                    before.openClaims() + more), seen.get(i));
        }
        assertEquals(pool(6), candidates, "the read itself is left as it was");
    }

    @Test
    void claimsMadeBeforeAReadBeganAreInItAlreadyAndNotCountedAgain() {
        PoolSnapshots snapshots = new PoolSnapshots();
        List<Candidate> first = pool(4);
        read(snapshots, first, Map.of()).claimed(101);
        // The next second needs a new read, which began after the claim: the claim is in what it read.
        Promise<ReviewStore.ModulePool> reading = Promise.promise();
        Future<PoolSnapshots.Snapshot> next = snapshots.at("c", "k", "m", NOW.plusSeconds(1), reading::future);
        List<Candidate> reread = pool(4);
        reading.complete(new ReviewStore.ModulePool(reread, Map.of()));
        assertSame(reread, next.result().candidates());
    }

    @Test
    void theExpectedReviewsAreThoseOfThePoolAsReadForEachK() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            Map<Long, Integer> given = new java.util.HashMap<>();
            for (long author = 0; author < random.nextInt(50); author++) given.put(author, random.nextInt(6));
            PoolSnapshots.Snapshot snapshot = read(new PoolSnapshots(), pool(3), given);
            for (int k : new int[] {1 + random.nextInt(4), 1 + random.nextInt(4), 2}) {
                assertEquals(ReviewDemand.expectedRemaining(given, k), snapshot.expectedRemaining(k), "k = " + k + ", given " + given);
            }
        }
    }
}
