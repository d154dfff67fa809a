package org.knowmad.review;

import java.time.Instant;
import java.util.Objects;

/**
 * A submission as the picker sees it at one moment: a row of the snapshot the server loads inside
 * the claiming transaction.
 *
 * @param id the submission's id; ids are unique within one pool
 * @param authorId the participant who submitted it
 * @param late submitted after the module's deadline
 * @param submittedAt when it was submitted; late submissions only appear in pools taken after it
 * @param completed finished reviews
 * @param openClaims unexpired, unfinished claims: reviews in progress that still count as taken
 */
public record Candidate(long id, long authorId, boolean late, Instant submittedAt, int completed, int openClaims) {

    public Candidate {
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (completed < 0 || openClaims < 0) {
            throw new IllegalArgumentException("negative review counts on submission " + id
                    + ": completed=" + completed + ", openClaims=" + openClaims);
        }
    }

    /**
     * Review slots already spoken for, finished or in progress. An open claim counts like a finished
     * review so that two reviewers asking at the same time do not both take the last slot.
     */
    public int taken() {
        return completed + openClaims;
    }

    /** The reviews it still lacks to reach {@code k}, counting open claims as if they will finish. */
    public int missing(int k) {
        return Math.max(0, k - taken());
    }
}
