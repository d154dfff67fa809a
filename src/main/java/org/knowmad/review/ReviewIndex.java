package org.knowmad.review;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Peer scores turned into flat arrays so the model fit runs in O(reviews) per iteration: names become
 * dense ids (in order of first appearance, which also fixes the output order), rows are grouped by
 * stable counting sorts instead of nested maps, and each (submission, reviewer) pair becomes one review
 * whose total is the sum of its criteria.
 */
final class ReviewIndex {

    /** Submission names by id, in order of first appearance. */
    final String[] submissions;
    /** Number of distinct reviewers. */
    final int reviewerCount;
    /** Reviews of submission u are {@code reviewStart[u] .. reviewStart[u + 1] - 1}. */
    final int[] reviewStart;
    /** Reviewer id of each review. */
    final int[] reviewReviewer;
    /** Total points of each review (sum over the criteria the reviewer scored). */
    final double[] reviewTotal;
    /** Per submission: the median of each criterion's points, summed over criteria. */
    final double[] median;

    private ReviewIndex(String[] submissions, int reviewerCount, int[] reviewStart, int[] reviewReviewer,
            double[] reviewTotal, double[] median) {
        this.submissions = submissions;
        this.reviewerCount = reviewerCount;
        this.reviewStart = reviewStart;
        this.reviewReviewer = reviewReviewer;
        this.reviewTotal = reviewTotal;
        this.median = median;
    }

    int submissionCount() {
        return submissions.length;
    }

    int reviewCount() {
        return reviewTotal.length;
    }

    /** @throws IllegalArgumentException when a (submission, reviewer, criterion) occurs twice */
    static ReviewIndex of(List<PeerScore> scores) {
        int n = scores.size();
        int[] sub = new int[n];
        int[] rev = new int[n];
        int[] crit = new int[n];
        double[] points = new double[n];
        Ids subIds = new Ids();
        Ids revIds = new Ids();
        Ids critIds = new Ids();
        for (int i = 0; i < n; i++) {
            PeerScore s = scores.get(i);
            sub[i] = subIds.id(s.submission());
            rev[i] = revIds.id(s.reviewer());
            crit[i] = critIds.id(s.criterion());
            points[i] = s.points();
        }
        int subCount = subIds.size();
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        // LSD radix order: criterion, then reviewer, then submission (each pass stable).
        int[] byCrit = stableSortBy(identity, crit, critIds.size());
        int[] bySubRevCrit = stableSortBy(stableSortBy(byCrit, rev, revIds.size()), sub, subCount);
        int[] bySubCrit = stableSortBy(byCrit, sub, subCount);

        // Reviews: runs of equal (submission, reviewer) in bySubRevCrit.
        int[] reviewStart = new int[subCount + 1];
        int[] reviewReviewer = new int[n];
        double[] reviewTotal = new double[n];
        int reviews = 0;
        for (int k = 0; k < n; k++) {
            int row = bySubRevCrit[k];
            if (k > 0) {
                int prev = bySubRevCrit[k - 1];
                if (sub[prev] == sub[row] && rev[prev] == rev[row]) {
                    if (crit[prev] == crit[row]) {
                        PeerScore s = scores.get(row);
                        throw new IllegalArgumentException("duplicate score: submission " + s.submission()
                                + ", reviewer " + s.reviewer() + ", criterion " + s.criterion());
                    }
                    reviewTotal[reviews - 1] += points[row];
                    continue;
                }
            }
            reviewReviewer[reviews] = rev[row];
            reviewTotal[reviews] = points[row];
            reviewStart[sub[row] + 1] = ++reviews;
        }
        // Submissions are contiguous and every one has a review, so the running ends are complete.
        int[] reviewerOfReview = Arrays.copyOf(reviewReviewer, reviews);
        double[] totalOfReview = Arrays.copyOf(reviewTotal, reviews);

        // Medians: runs of equal (submission, criterion) in bySubCrit.
        double[] median = new double[subCount];
        double[] scratch = new double[16];
        int k = 0;
        while (k < n) {
            int first = bySubCrit[k];
            int end = k;
            while (end < n && sub[bySubCrit[end]] == sub[first] && crit[bySubCrit[end]] == crit[first]) end++;
            int len = end - k;
            if (scratch.length < len) scratch = new double[Math.max(len, scratch.length * 2)];
            for (int j = 0; j < len; j++) scratch[j] = points[bySubCrit[k + j]];
            median[sub[first]] += median(scratch, len);
            k = end;
        }
        return new ReviewIndex(subIds.names.toArray(new String[0]), revIds.size(), reviewStart,
                reviewerOfReview, totalOfReview, median);
    }

    /** The median of {@code values[0 .. len-1]}; the mean of the two middle values for an even count. Reorders values. */
    static double median(double[] values, int len) {
        Arrays.sort(values, 0, len);
        int mid = len / 2;
        return len % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** A stable counting sort of {@code order} by {@code key[order[i]]}, keys in [0, keyCount). */
    static int[] stableSortBy(int[] order, int[] key, int keyCount) {
        int[] start = new int[keyCount + 1];
        for (int row : order) start[key[row] + 1]++;
        for (int i = 0; i < keyCount; i++) start[i + 1] += start[i];
        int[] sorted = new int[order.length];
        for (int row : order) sorted[start[key[row]]++] = row;
        return sorted;
    }

    /** Dense ids for names, in order of first appearance. */
    private static final class Ids {
        private final Map<String, Integer> ids = new HashMap<>();
        final List<String> names = new ArrayList<>();

        int id(String name) {
            Integer id = ids.get(name);
            if (id != null) return id;
            ids.put(name, names.size());
            names.add(name);
            return names.size() - 1;
        }

        int size() {
            return names.size();
        }
    }
}
