package org.knowmad.review;

import java.util.Comparator;

/**
 * The two ways of ranking submissions that still need reviews. Both put on-time submissions before
 * late ones and end with oldest first, then lowest id, so that the order is total and does not depend
 * on the order of the snapshot's rows.
 */
public enum ReviewOrder {

    /**
     * Fewest reviews (finished + in progress) first: spreads feedback so every author gets some early.
     * Right while there are enough reviewers to bring every submission to {@code k} anyway.
     */
    FEWEST_FIRST(Comparator.comparingInt(Candidate::taken)),

    /**
     * Closest to done first: most reviews (still below {@code k}) first. When reviewers run short,
     * fewest-first leaves many submissions stuck one review short; finishing what is nearly finished
     * leaves fewer short submissions for the facilitator.
     */
    CLOSEST_TO_DONE(Comparator.comparingInt(Candidate::taken).reversed());

    private final Comparator<Candidate> comparator;

    ReviewOrder(Comparator<Candidate> byReviews) {
        this.comparator = Comparator.comparing(Candidate::late) // false (on time) sorts first
                .thenComparing(byReviews)
                .thenComparing(Candidate::submittedAt)
                .thenComparingLong(Candidate::id);
    }

    /** Best first. */
    public Comparator<Candidate> comparator() {
        return comparator;
    }

    /**
     * Closest-to-done exactly when the reviews still expected cannot cover what the on-time
     * submissions lack; fewest-first otherwise (also when both are zero: nothing to save).
     */
    public static ReviewOrder forDemand(int expectedRemainingReviews, int onTimeShortfall) {
        return expectedRemainingReviews < onTimeShortfall ? CLOSEST_TO_DONE : FEWEST_FIRST;
    }
}
