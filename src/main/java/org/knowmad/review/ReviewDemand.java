package org.knowmad.review;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How many reviews are asked for, how many are still missing and how many are still likely to come:
 * the numbers that decide between {@link ReviewOrder#FEWEST_FIRST} and {@link ReviewOrder#CLOSEST_TO_DONE}.
 */
public final class ReviewDemand {

    private ReviewDemand() {
    }

    /**
     * How many reviews each participant is asked for: {@code k + 1}. The one extra per participant is
     * the slack that absorbs participants who never review and claims that expire unfinished.
     */
    public static int quota(int k) {
        requireK(k);
        return k + 1;
    }

    /**
     * Reviews an author still owes in one assignment: the {@link #quota} minus the reviews they finished, never
     * below zero. Counted only while the author's review window is open (from when their submission joins the
     * pool until their review deadline): before it nothing can be reviewed yet, after it nothing can be any more.
     */
    public static int owed(int k, int given) {
        return Math.max(0, quota(k) - given);
    }

    /**
     * SQL twin of {@link #owed} for a row {@code s} of {@code submission} at the moment {@code now} (an SQL
     * expression): zero for drafts and outside the review window. Used by the cohort roster.
     */
    public static String owedSql(String s, String now) {
        return ("CASE WHEN %1$s.submitted_at IS NOT NULL AND %1$s.pool_from <= %2$s AND %1$s.grade_due > %2$s"
                + " THEN GREATEST(0, %1$s.needed + 1 - %1$s.reviews_given) ELSE 0 END").formatted(s, now);
    }

    /**
     * Sum over on-time submissions of {@code max(0, k - (completed + openClaims))}. Late submissions
     * are left out on purpose: they are reviewed too, but the mode switch protects the on-time ones.
     * Open claims count as if they will finish; expired ones are not in the snapshot's counts.
     */
    public static int onTimeShortfall(List<Candidate> pool, int k) {
        requireK(k);
        Objects.requireNonNull(pool, "pool");
        int sum = 0;
        for (Candidate c : pool) {
            if (!c.late()) {
                sum += c.missing(k);
            }
        }
        return sum;
    }

    /**
     * An estimate of how many more reviews will still be done, from each reviewer's completed count
     * ({@code 0} for submitters who have not reviewed yet). With {@code quota = k + 1}:
     *
     * <ul>
     *   <li>a reviewer who has started (completed at least one) is expected to finish the quota:
     *       {@code max(0, quota - completed)};</li>
     *   <li>a reviewer who has not started is expected to start with the observed start rate
     *       ({@code started / total}), discounted by how far the starters already are through their
     *       quotas ({@code progress = sum(min(completed, quota)) / (started * quota)}), and then to do a
     *       whole quota: together {@code floor(notStarted * startRate * (1 - progress) * quota)};</li>
     *   <li>before anybody has started there is nothing to observe; everybody is then expected to do
     *       the quota, so a fresh module begins fewest-first.</li>
     * </ul>
     *
     * <p>Why the discount: without it, participants who never review keep counting at the start rate
     * until the very end, the estimate stays above the shortfall and the switch to closest-to-done
     * comes too late to help (measured in {@code ReviewSimulationTest}). Once the starters are through
     * their quotas, somebody who still has not started is unlikely to. Starters who give up halfway
     * still count for a full quota: the estimate errs on the optimistic side there.
     *
     * <p>Integer arithmetic only: the same counts always give the same answer, whatever the map order.
     */
    public static int expectedRemaining(Map<Long, Integer> completedByReviewer, int k) {
        int quota = quota(k);
        Objects.requireNonNull(completedByReviewer, "completedByReviewer");
        long total = 0;
        long started = 0;
        long fromStarted = 0;
        long progress = 0; // reviews done towards the quota, by starters
        for (Integer completed : completedByReviewer.values()) {
            int c = completed == null ? 0 : completed;
            if (c < 0) {
                throw new IllegalArgumentException("negative completed count: " + c);
            }
            total++;
            if (c > 0) {
                started++;
                fromStarted += Math.max(0, quota - c);
                progress += Math.min(c, quota);
            }
        }
        long notStarted = total - started;
        // notStarted * (started / total) * (1 - progress / (started * quota)) * quota, simplified
        long fromNotStarted = started == 0
                ? notStarted * quota
                : notStarted * (started * quota - progress) / total;
        return (int) Math.min(Integer.MAX_VALUE, fromStarted + fromNotStarted);
    }

    static void requireK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1: " + k);
        }
    }
}
