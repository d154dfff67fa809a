package org.knowmad.review;

/**
 * The grade of one submission: the median of its peers' scores, the bias- and reliability-corrected
 * estimate with its 95% interval, and whether the corrected value is trustworthy enough to publish.
 *
 * @param reviews number of distinct reviewers who scored the submission
 * @param median per-criterion medians, summed over criteria
 * @param corrected PG1 estimate (Piech et al. 2013), clamped into [0, max total]
 * @param low lower end of the 95% interval, clamped into [0, max total]
 * @param high upper end of the 95% interval, clamped into [0, max total]
 * @param reason {@code null} when trusted, else {@link TrustRule#TOO_FEW_REVIEWS} or {@link TrustRule#REVIEWERS_DISAGREE}
 */
public record GradeEstimate(String submission, int reviews, double median, double corrected,
        double low, double high, boolean trusted, String reason) {

    /** The grade shown to the participant: the corrected one only when it is trusted. */
    public double published() {
        return trusted ? corrected : median;
    }
}
