package org.knowmad.review;

import java.util.Objects;

/**
 * One row of a peer review: the points one reviewer gave one submission on one rubric criterion.
 * Points are checked here so that every producer (CSV import, server) gets the same rules.
 */
public record PeerScore(String submission, String reviewer, String criterion, double points) {

    public PeerScore {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(criterion, "criterion");
        if (!Double.isFinite(points) || points < 0) {
            throw new IllegalArgumentException("points must be a finite number >= 0, got " + points
                    + " (submission " + submission + ", reviewer " + reviewer + ", criterion " + criterion + ")");
        }
    }
}
