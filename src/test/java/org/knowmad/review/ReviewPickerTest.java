package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReviewPickerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final long ME = 99;

    /** Submission {@code id} by author {@code 100 + id}, submitted {@code minute} minutes after T0. */
    private static Candidate sub(long id, int minute, int completed, int open) {
        return new Candidate(id, 100 + id, false, T0.plusSeconds(60L * minute), completed, open);
    }

    private static Candidate late(long id, int minute, int completed, int open) {
        return new Candidate(id, 100 + id, true, T0.plusSeconds(60L * minute), completed, open);
    }

    private static List<Long> ids(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::id).toList();
    }

    /** Plenty of reviewers: never below the shortfall, so fewest-first. */
    private static List<Long> plentiful(List<Candidate> pool, long reviewer, Set<Long> touched, int k) {
        return ids(ReviewPicker.order(pool, reviewer, touched, k, Integer.MAX_VALUE));
    }

    /** No reviews expected: below any positive shortfall, so closest-to-done. */
    private static List<Long> scarce(List<Candidate> pool, long reviewer, Set<Long> touched, int k) {
        return ids(ReviewPicker.order(pool, reviewer, touched, k, 0));
    }

    // ---- filtering

    @Test
    void emptyPoolGivesNothing() {
        assertEquals(List.of(), ReviewPicker.order(List.of(), ME, Set.of(), 3, 10));
        assertEquals(List.of(), ReviewPicker.order(List.of(), ME, Set.of(), 3, 0));
        assertEquals(Optional.empty(), ReviewPicker.extra(List.of(), ME, Set.of()));
    }

    @Test
    void neverTheReviewersOwnSubmission() {
        List<Candidate> pool = List.of(sub(1, 0, 0, 0), new Candidate(2, ME, false, T0, 0, 0));
        assertEquals(List.of(1L), plentiful(pool, ME, Set.of(), 3));
        assertEquals(List.of(1L), scarce(pool, ME, Set.of(), 3));
    }

    @Test
    void onlyOwnSubmissionGivesNothingNotEvenAnExtra() {
        List<Candidate> pool = List.of(new Candidate(2, ME, false, T0, 0, 0));
        assertEquals(List.of(), plentiful(pool, ME, Set.of(), 1));
        assertEquals(Optional.empty(), ReviewPicker.extra(pool, ME, Set.of()));
    }

    @Test
    void neverOneAlreadyReviewedOrClaimedByTheReviewer() {
        List<Candidate> pool = List.of(sub(1, 0, 0, 0), sub(2, 1, 1, 0), sub(3, 2, 0, 1));
        assertEquals(List.of(3L), plentiful(pool, ME, Set.of(1L, 2L), 3));
        assertEquals(Optional.of(pool.get(2)), ReviewPicker.extra(pool, ME, Set.of(1L, 2L)));
    }

    @Test
    void touchedIdsNotInThePoolAreHarmless() {
        List<Candidate> pool = List.of(sub(1, 0, 0, 0));
        assertEquals(List.of(1L), plentiful(pool, ME, Set.of(42L, -7L), 2));
    }

    @Test
    void neverOneThatIsFullCountingOpenClaims() {
        int k = 2;
        List<Candidate> pool = List.of(
                sub(1, 0, 2, 0),  // done
                sub(2, 1, 1, 1),  // last slot claimed by someone else
                sub(3, 2, 0, 2),  // both slots claimed
                sub(4, 3, 3, 1),  // over (extras)
                sub(5, 4, 1, 0),  // needs one
                sub(6, 5, 0, 1)); // needs one
        assertEquals(List.of(5L, 6L), plentiful(pool, ME, Set.of(), k));
        assertEquals(List.of(5L, 6L), scarce(pool, ME, Set.of(), k));
    }

    @Test
    void kEqualOneOnlyOffersUntouchedSubmissions() {
        List<Candidate> pool = List.of(sub(1, 0, 1, 0), sub(2, 1, 0, 1), sub(3, 2, 0, 0), sub(4, 3, 0, 0));
        assertEquals(List.of(3L, 4L), plentiful(pool, ME, Set.of(), 1));
        // with k = 1 every candidate has 0 reviews, so the mode cannot change the order
        assertEquals(List.of(3L, 4L), scarce(pool, ME, Set.of(), 1));
    }

    // ---- ranking

    @Test
    void onTimeBeforeLateWhateverTheCounts() {
        List<Candidate> pool = List.of(late(1, -100, 0, 0), sub(2, 50, 2, 0), late(3, -200, 2, 0), sub(4, 60, 0, 0));
        assertEquals(List.of(4L, 2L, 1L, 3L), plentiful(pool, ME, Set.of(), 3));
        assertEquals(List.of(2L, 4L, 3L, 1L), scarce(pool, ME, Set.of(), 3));
    }

    @Test
    void fewestReviewsFirstWhileReviewersArePlentiful() {
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), sub(2, 1, 0, 1), sub(3, 2, 0, 0), sub(4, 3, 1, 1));
        // 1 and 4 both have 2 taken: the older (1) first
        assertEquals(List.of(3L, 2L, 1L, 4L), plentiful(pool, ME, Set.of(), 3));
    }

    @Test
    void closestToDoneFirstWhenReviewersAreScarce() {
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), sub(2, 1, 0, 1), sub(3, 2, 0, 0), sub(4, 3, 1, 1));
        // 1 and 4 both have 2 taken: the older (1) first; 2 has 1; 3 has none
        assertEquals(List.of(1L, 4L, 2L, 3L), scarce(pool, ME, Set.of(), 3));
    }

    @Test
    void openClaimsCountLikeFinishedReviews() {
        List<Candidate> pool = List.of(sub(1, 0, 1, 0), sub(2, 1, 0, 1));
        assertEquals(List.of(1L, 2L), plentiful(pool, ME, Set.of(), 3)); // equal taken: older first
        pool = List.of(sub(1, 0, 0, 2), sub(2, 1, 1, 0));
        assertEquals(List.of(2L, 1L), plentiful(pool, ME, Set.of(), 3));
        assertEquals(List.of(1L, 2L), scarce(pool, ME, Set.of(), 3));
    }

    @Test
    void oldestFirstAmongEqualCounts() {
        List<Candidate> pool = List.of(sub(1, 30, 1, 0), sub(2, 10, 1, 0), sub(3, 20, 1, 0));
        assertEquals(List.of(2L, 3L, 1L), plentiful(pool, ME, Set.of(), 3));
        assertEquals(List.of(2L, 3L, 1L), scarce(pool, ME, Set.of(), 3));
    }

    @Test
    void lowestIdBreaksACompleteTie() {
        List<Candidate> pool = List.of(sub(9, 0, 0, 0), sub(3, 0, 0, 0), sub(7, 0, 0, 0));
        assertEquals(List.of(3L, 7L, 9L), plentiful(pool, ME, Set.of(), 2));
        assertEquals(List.of(3L, 7L, 9L), scarce(pool, ME, Set.of(), 2));
    }

    @Test
    void lateOnesAreRankedByTheSameModeAmongThemselves() {
        // the reviewer's own on-time submission lacks reviews: a shortfall, so the mode can switch
        Candidate mine = new Candidate(4, ME, false, T0, 0, 0);
        List<Candidate> pool = List.of(late(1, 0, 0, 0), late(2, 5, 1, 0), late(3, 1, 1, 0), mine);
        assertEquals(List.of(1L, 3L, 2L), plentiful(pool, ME, Set.of(), 2));
        assertEquals(List.of(3L, 2L, 1L), scarce(pool, ME, Set.of(), 2));
        // without any on-time shortfall there is nothing to save: fewest-first even with 0 expected
        assertEquals(List.of(1L, 3L, 2L), scarce(pool.subList(0, 3), ME, Set.of(), 2));
    }

    @Test
    void onlyLateSubmissionsLeftAreStillOffered() {
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), late(2, 10, 0, 0));
        assertEquals(List.of(2L), plentiful(pool, ME, Set.of(), 2));
    }

    @Test
    void resultDoesNotDependOnTheOrderOfTheSnapshotRows() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Candidate> pool = new ArrayList<>();
            for (long id = 1; id <= 15; id++) {
                // few distinct times and counts so that ties are common
                Candidate c = new Candidate(id, 100 + random.nextInt(4), random.nextBoolean(),
                        T0.plusSeconds(60L * random.nextInt(3)), random.nextInt(3), random.nextInt(2));
                pool.add(c);
            }
            int expected = random.nextInt(20);
            List<Candidate> ordered = ReviewPicker.order(pool, 101, Set.of(2L), 3, expected);
            Optional<Candidate> extra = ReviewPicker.extra(pool, 101, Set.of(2L));
            Collections.shuffle(pool, random);
            assertEquals(ordered, ReviewPicker.order(pool, 101, Set.of(2L), 3, expected));
            assertEquals(extra, ReviewPicker.extra(pool, 101, Set.of(2L)));
        }
    }

    @Test
    void doesNotModifyItsInputs() {
        List<Candidate> pool = new ArrayList<>(List.of(sub(3, 0, 0, 0), sub(1, 5, 1, 0), sub(2, 1, 0, 0)));
        List<Candidate> copy = List.copyOf(pool);
        List<Candidate> ordered = ReviewPicker.order(pool, ME, Set.of(), 3, 100);
        assertEquals(copy, pool);
        ordered.clear(); // the result is the caller's to keep
        assertEquals(copy, pool);
    }

    // ---- the mode switch

    @Test
    void switchesWhenExpectedReviewsFallBelowTheOnTimeShortfall() {
        int k = 3;
        // on-time shortfall: (3 - 2) + (3 - 1) + (3 - 0) + 0 = 6; the late one is not counted
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), sub(2, 1, 1, 0), sub(3, 2, 0, 0), sub(4, 3, 3, 0),
                late(5, 10, 0, 0));
        assertEquals(6, ReviewDemand.onTimeShortfall(pool, k));
        List<Long> fewest = List.of(3L, 2L, 1L, 5L);
        List<Long> closest = List.of(1L, 2L, 3L, 5L);
        assertEquals(fewest, ids(ReviewPicker.order(pool, ME, Set.of(), k, 7)));
        assertEquals(fewest, ids(ReviewPicker.order(pool, ME, Set.of(), k, 6)), "equal is still enough");
        assertEquals(closest, ids(ReviewPicker.order(pool, ME, Set.of(), k, 5)));
        assertEquals(closest, ids(ReviewPicker.order(pool, ME, Set.of(), k, 0)));
    }

    @Test
    void shortfallIsTheWholePoolsNotJustWhatThisReviewerMayTake() {
        int k = 2;
        // the reviewer's own submission lacks 2 and counts in the shortfall (someone else must review it)
        List<Candidate> pool = List.of(new Candidate(1, ME, false, T0, 0, 0), sub(2, 1, 1, 0), sub(3, 2, 0, 0));
        assertEquals(5, ReviewDemand.onTimeShortfall(pool, k));
        assertEquals(List.of(3L, 2L), ids(ReviewPicker.order(pool, ME, Set.of(), k, 5)));
        assertEquals(List.of(2L, 3L), ids(ReviewPicker.order(pool, ME, Set.of(), k, 4)));
    }

    @Test
    void noShortfallMeansFewestFirstEvenWithNoReviewersExpected() {
        // all on-time ones are full; only late ones remain: nothing to save, keep spreading
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), late(2, 10, 1, 0), late(3, 11, 0, 0));
        assertEquals(List.of(3L, 2L), ids(ReviewPicker.order(pool, ME, Set.of(), 2, 0)));
    }

    @Test
    void explicitModeOverloadMatches() {
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), sub(2, 1, 0, 0), late(3, 2, 1, 0));
        assertEquals(List.of(2L, 1L, 3L), ids(ReviewPicker.order(pool, ME, Set.of(), 3, ReviewOrder.FEWEST_FIRST)));
        assertEquals(List.of(1L, 2L, 3L), ids(ReviewPicker.order(pool, ME, Set.of(), 3, ReviewOrder.CLOSEST_TO_DONE)));
    }

    @Test
    void forDemandSwitchesStrictlyBelow() {
        assertEquals(ReviewOrder.FEWEST_FIRST, ReviewOrder.forDemand(0, 0));
        assertEquals(ReviewOrder.FEWEST_FIRST, ReviewOrder.forDemand(5, 5));
        assertEquals(ReviewOrder.CLOSEST_TO_DONE, ReviewOrder.forDemand(4, 5));
        assertEquals(ReviewOrder.CLOSEST_TO_DONE, ReviewOrder.forDemand(0, 1));
    }

    // ---- extra

    @Test
    void extraIsTheLeastReviewedThenOldestThenId() {
        List<Candidate> pool = List.of(sub(1, 0, 4, 0), sub(2, 5, 3, 0), sub(3, 1, 3, 0), sub(4, 1, 2, 1), sub(5, 9, 5, 0));
        // 2, 3 and 4 all have 3 taken; 3 and 4 are equally old; 3 has the lower id
        assertEquals(Optional.of(pool.get(2)), ReviewPicker.extra(pool, ME, Set.of()));
        assertEquals(Optional.of(pool.get(3)), ReviewPicker.extra(pool, ME, Set.of(3L)));
        assertEquals(Optional.of(pool.get(1)), ReviewPicker.extra(pool, ME, Set.of(3L, 4L)));
        assertEquals(Optional.of(pool.get(0)), ReviewPicker.extra(pool, ME, Set.of(2L, 3L, 4L)));
        assertEquals(Optional.of(pool.get(4)), ReviewPicker.extra(pool, ME, Set.of(1L, 2L, 3L, 4L)));
        assertEquals(Optional.empty(), ReviewPicker.extra(pool, ME, Set.of(1L, 2L, 3L, 4L, 5L)));
    }

    @Test
    void extraDoesNotPreferOnTimeOverLate() {
        List<Candidate> pool = List.of(sub(1, 0, 3, 0), late(2, 10, 2, 0));
        assertEquals(Optional.of(pool.get(1)), ReviewPicker.extra(pool, ME, Set.of()));
    }

    @Test
    void extraNeverOwnNorTouched() {
        List<Candidate> pool = List.of(new Candidate(1, ME, false, T0, 0, 0), sub(2, 0, 5, 0));
        assertEquals(Optional.of(pool.get(1)), ReviewPicker.extra(pool, ME, Set.of()));
        assertEquals(Optional.empty(), ReviewPicker.extra(pool, ME, Set.of(2L)));
    }

    @Test
    void whenOrderIsEmptyExtraIsTheNaturalNextStep() {
        int k = 2;
        List<Candidate> pool = List.of(sub(1, 0, 2, 0), sub(2, 1, 1, 1), sub(3, 2, 3, 0));
        assertEquals(List.of(), ReviewPicker.order(pool, ME, Set.of(), k, 10));
        assertEquals(Optional.of(pool.get(0)), ReviewPicker.extra(pool, ME, Set.of()));
    }

    // ---- bad input

    @Test
    void rejectsNonsense() {
        List<Candidate> pool = List.of(sub(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ReviewPicker.order(pool, ME, Set.of(), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ReviewPicker.order(pool, ME, Set.of(), 2, -1));
        assertThrows(NullPointerException.class, () -> ReviewPicker.order(null, ME, Set.of(), 2, 1));
        assertThrows(NullPointerException.class, () -> ReviewPicker.order(pool, ME, null, 2, 1));
        assertThrows(NullPointerException.class, () -> ReviewPicker.order(pool, ME, Set.of(), 2, (ReviewOrder) null));
        assertThrows(NullPointerException.class, () -> ReviewPicker.extra(pool, ME, null));
        assertThrows(IllegalArgumentException.class, () -> ReviewPicker.heads(pool, ME, 0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> ReviewPicker.heads(pool, ME, 2, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> ReviewPicker.heads(pool, ME, 2, 1, -1));
        assertThrows(NullPointerException.class, () -> ReviewPicker.heads(null, ME, 2, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new Candidate(1, 2, false, T0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Candidate(1, 2, false, T0, 0, -1));
        assertThrows(NullPointerException.class, () -> new Candidate(1, 2, false, null, 0, 0));
    }

    @Test
    void candidateCounts() {
        Candidate c = sub(1, 0, 2, 1);
        assertEquals(3, c.taken());
        assertEquals(1, c.missing(4));
        assertEquals(0, c.missing(3));
        assertEquals(0, c.missing(1));
        assertTrue(late(1, 0, 0, 0).late());
    }

    @Test
    void theExtrasOrderWithWhatTheReviewerTouchedLeftOutStartsWithTheExtra() {
        // The database takes the first of extras(...) the reviewer has not touched: that must be extra(...).
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            List<Candidate> pool = new ArrayList<>();
            int size = random.nextInt(12);
            for (long id = 1; id <= size; id++) {
                pool.add(new Candidate(id, 100 + random.nextInt(4), random.nextBoolean(), java.time.Instant.ofEpochSecond(random.nextInt(5)),
                        random.nextInt(4), random.nextInt(3)));
            }
            long me = 100 + random.nextInt(4);
            Set<Long> touched = new HashSet<>();
            for (Candidate c : pool) if (random.nextInt(3) == 0) touched.add(c.id());
            Optional<Candidate> expected = ReviewPicker.extra(pool, me, touched);
            Optional<Candidate> viaDatabase = ReviewPicker.extras(pool, me).stream().filter(c -> !touched.contains(c.id())).findFirst();
            assertEquals(expected.map(Candidate::id), viaDatabase.map(Candidate::id), pool + " me " + me + " touched " + touched);
            assertTrue(ReviewPicker.extras(pool, me).stream().noneMatch(c -> c.authorId() == me), "never one's own");
        }
    }

    @Test
    void theHeadOfEachListIsTheWholeListCutShortForAnyPoolAndLimit() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            List<Candidate> pool = new ArrayList<>();
            int size = random.nextInt(40);
            for (long id = 1; id <= size; id++) {
                // few distinct times and counts so that ties are common (the id decides them)
                pool.add(new Candidate(id, 100 + random.nextInt(6), random.nextInt(4) == 0, T0.plusSeconds(60L * random.nextInt(3)),
                        random.nextInt(3), random.nextInt(2)));
            }
            Collections.shuffle(pool, random);
            long me = 100 + random.nextInt(6);
            // a limit beyond the pool now and then: the heads are then the whole lists
            int expected = random.nextInt(30), limit = random.nextInt(5) == 0 ? 40 + random.nextInt(10) : random.nextInt(12);
            int k = 1 + random.nextInt(3);
            List<Candidate> whole = ReviewPicker.order(pool, me, Set.of(), k, expected);
            List<Candidate> extras = ReviewPicker.extras(pool, me);
            ReviewPicker.Heads heads = ReviewPicker.heads(pool, me, k, expected, limit);
            assertEquals(whole.subList(0, Math.min(limit, whole.size())), heads.ranked(), "ranking, limit " + limit + ": " + pool);
            assertEquals(extras.subList(0, Math.min(limit, extras.size())), heads.extras(), "extras, limit " + limit);
        }
    }
}
