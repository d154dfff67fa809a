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
    FEWEST_FIRST,

    /**
     * Closest to done first: most reviews (still below {@code k}) first. When reviewers run short,
     * fewest-first leaves many submissions stuck one review short; finishing what is nearly finished
     * leaves fewer short submissions for the facilitator.
     */
    CLOSEST_TO_DONE;

    // Written out rather than chained Comparator.comparing calls: the server sorts a whole module's
    // submissions on every "review next", and the chain boxes on every comparison.
    private final Comparator<Candidate> comparator = this::compare;

    /** Best first. */
    public Comparator<Candidate> comparator() {
        return comparator;
    }

    private int compare(Candidate a, Candidate b) {
        if (a.late() != b.late()) {
            return a.late() ? 1 : -1; // on time first
        }
        int byReviews = Integer.compare(a.taken(), b.taken());
        if (byReviews != 0) {
            return this == FEWEST_FIRST ? byReviews : -byReviews;
        }
        int byAge = a.submittedAt().compareTo(b.submittedAt());
        return byAge != 0 ? byAge : Long.compare(a.id(), b.id());
    }

    /**
     * Closest-to-done exactly when the reviews still expected cannot cover what the on-time
     * submissions lack; fewest-first otherwise (also when both are zero: nothing to save).
     */
    public static ReviewOrder forDemand(int expectedRemainingReviews, int onTimeShortfall) {
        return expectedRemainingReviews < onTimeShortfall ? CLOSEST_TO_DONE : FEWEST_FIRST;
    }
}
