package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewDemandTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    private static Candidate onTime(int completed, int open) {
        return new Candidate(completed * 10L + open, 1, false, T0, completed, open);
    }

    private static Candidate late(int completed, int open) {
        return new Candidate(1000 + completed * 10L + open, 1, true, T0, completed, open);
    }

    @Test
    void quotaIsKPlusOne() {
        assertEquals(2, ReviewDemand.quota(1));
        assertEquals(4, ReviewDemand.quota(3));
        assertThrows(IllegalArgumentException.class, () -> ReviewDemand.quota(0));
    }

    @Test
    void shortfallOfAnEmptyPoolIsZero() {
        assertEquals(0, ReviewDemand.onTimeShortfall(List.of(), 3));
    }

    @Test
    void shortfallCountsOpenClaimsAndNeverGoesNegativePerSubmission() {
        List<Candidate> pool = List.of(onTime(0, 0), onTime(1, 0), onTime(0, 1), onTime(1, 1), onTime(3, 0), onTime(5, 2));
        // 3 + 2 + 2 + 1 + 0 + 0: the over-reviewed one does not make up for the others
        assertEquals(8, ReviewDemand.onTimeShortfall(pool, 3));
        assertEquals(1, ReviewDemand.onTimeShortfall(pool, 1));
    }

    @Test
    void shortfallIgnoresLateSubmissions() {
        assertEquals(3, ReviewDemand.onTimeShortfall(List.of(onTime(0, 0), late(0, 0), late(1, 0)), 3));
        assertEquals(0, ReviewDemand.onTimeShortfall(List.of(late(0, 0)), 3));
    }

    @Test
    void shortfallRejectsBadK() {
        assertThrows(IllegalArgumentException.class, () -> ReviewDemand.onTimeShortfall(List.of(), 0));
    }

    @Test
    void nobodyNoReviews() {
        assertEquals(0, ReviewDemand.expectedRemaining(Map.of(), 3));
    }

    @Test
    void beforeAnybodyStartsEverybodyIsExpectedToDoTheQuota() {
        assertEquals(40, ReviewDemand.expectedRemaining(zeros(10), 3));
        assertEquals(2, ReviewDemand.expectedRemaining(zeros(1), 1));
    }

    @Test
    void startersAreExpectedToFinishTheirQuota() {
        Map<Long, Integer> done = new HashMap<>();
        done.put(1L, 1);
        done.put(2L, 3);
        done.put(3L, 4); // quota met
        done.put(4L, 6); // extras do not count negatively
        // quota 4: 3 + 1 + 0 + 0
        assertEquals(4, ReviewDemand.expectedRemaining(done, 3));
    }

    @Test
    void notStartedCountWithTheStartRateDiscountedByTheStartersProgress() {
        Map<Long, Integer> done = zeros(4);
        done.put(1L, 1);
        done.put(2L, 1);
        // quota 4; starters: 3 + 3; rate 2/4, progress 2/8: 2 not started * 1/2 * 3/4 * 4 = 3
        assertEquals(6 + 3, ReviewDemand.expectedRemaining(done, 3));
    }

    @Test
    void theFurtherTheStartersAreTheLessTheOthersCount() {
        Map<Long, Integer> done = zeros(10);
        done.put(1L, 2);
        done.put(2L, 4);
        // quota 4; starters: 2 + 0; rate 2/10, progress 6/8: 8 * 1/5 * 1/4 * 4 = 1.6 -> 1
        assertEquals(2 + 1, ReviewDemand.expectedRemaining(done, 3));
        done.put(1L, 4);
        // starters through their quotas: those who have not started are not expected to any more
        assertEquals(0, ReviewDemand.expectedRemaining(done, 3));
    }

    @Test
    void roundsDownSoTheEstimateNeverInventsAReview() {
        Map<Long, Integer> done = zeros(3);
        done.put(1L, 1);
        // quota 2: starter 1; rate 1/3, progress 1/2: 2 * 1/3 * 1/2 * 2 = 0.67 -> 0
        assertEquals(1, ReviewDemand.expectedRemaining(done, 1));
    }

    @Test
    void everybodyDoneMeansNothingMoreExpected() {
        Map<Long, Integer> done = new HashMap<>();
        for (long r = 1; r <= 5; r++) {
            done.put(r, 3);
        }
        assertEquals(0, ReviewDemand.expectedRemaining(done, 2));
    }

    @Test
    void isDeterministicWhateverTheMapOrder() {
        Map<Long, Integer> a = new LinkedHashMap<>();
        Map<Long, Integer> b = new LinkedHashMap<>();
        int[] counts = {0, 3, 1, 0, 0, 2, 5, 0, 1};
        for (int i = 0; i < counts.length; i++) {
            a.put((long) i, counts[i]);
        }
        for (int i = counts.length - 1; i >= 0; i--) {
            b.put((long) i, counts[i]);
        }
        assertEquals(ReviewDemand.expectedRemaining(a, 2), ReviewDemand.expectedRemaining(b, 2));
        // quota 3, started 5 of 9: starters 0 + 2 + 1 + 0 + 2 = 5; progress 10/15:
        // not started 4 * 5/9 * 1/3 * 3 = 2.2 -> 2
        assertEquals(7, ReviewDemand.expectedRemaining(a, 2));
    }

    @Test
    void largeCohortsDoNotOverflow() {
        Map<Long, Integer> done = zeros(100_000);
        done.put(1L, 1);
        // 1 starter: 4 - 1 = 3; progress 1/4: 99,999 * 1/100,000 * 3/4 * 4 = 2.99997 -> 2
        assertEquals(5, ReviewDemand.expectedRemaining(done, 3));
        assertEquals(400_000, ReviewDemand.expectedRemaining(zeros(100_000), 3));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ReviewDemand.expectedRemaining(Map.of(1L, -1), 2));
        assertThrows(IllegalArgumentException.class, () -> ReviewDemand.expectedRemaining(Map.of(), 0));
        assertThrows(NullPointerException.class, () -> ReviewDemand.expectedRemaining(null, 2));
    }

    private static Map<Long, Integer> zeros(int n) {
        Map<Long, Integer> map = new HashMap<>();
        for (long r = 1; r <= n; r++) {
            map.put(r, 0);
        }
        return map;
    }
}
