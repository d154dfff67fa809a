package org.knowmad.review;

/**
 * When a corrected grade may replace the median. The PG1 correction is only as good as the evidence for
 * it: with few reviews the reviewer biases are barely identified, and a wide interval or a large jump
 * away from the median means the model is extrapolating from reviewers who disagree. In those cases the
 * median is the more defensible grade to show a participant.
 */
public final class TrustRule {

    public static final String TOO_FEW_REVIEWS = "too_few_reviews";
    public static final String REVIEWERS_DISAGREE = "reviewers_disagree";

    private final int minReviews;
    private final double maxWidth;
    private final double maxDistance;

    public TrustRule(double maxTotal, PeerGrader.Settings settings) {
        this.minReviews = settings.minReviews();
        this.maxWidth = settings.maxWidthShare() * maxTotal;
        this.maxDistance = settings.maxDistanceShare() * maxTotal;
    }

    /** Why the corrected grade must not be published, or {@code null} when it may. */
    public String reason(int reviews, double intervalWidth, double distanceFromMedian) {
        if (reviews < minReviews) return TOO_FEW_REVIEWS;
        if (!(intervalWidth <= maxWidth) || !(distanceFromMedian <= maxDistance)) return REVIEWERS_DISAGREE;
        return null;
    }
}
