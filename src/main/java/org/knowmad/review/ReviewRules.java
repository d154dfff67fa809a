package org.knowmad.review;

import java.time.Instant;
import java.util.Map;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.review.ReviewService.AssignmentAccess;
import org.knowmad.review.ReviewService.Phase;
import org.knowmad.web.HttpProblem;

/**
 * Who may submit, review, read feedback and oversee an assignment, and when: pure, no I/O. Built on
 * {@link CohortRules} (the assignment lives in a module, which the viewer must be able to read).
 * {@link ReviewService} enforces these answers and the assignment page shows its forms from the same ones.
 *
 * <p>Reviews are anonymous both ways: a review is visible to its reviewer, to the author of the reviewed
 * work once the author's review window closed, and to facilitators — to nobody else, and a review someone
 * else wrote answers 404, not 403, so its existence is not told either.
 */
public class ReviewRules {

    private final CohortRules cohorts;

    public ReviewRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    /** Submit, draft, review, self-assess: participants of the cohort (facilitators look, they do not take part). */
    public Decision takePart(AssignmentAccess a) {
        if (!a.access().viewer().signedIn()) return Decision.no(HttpProblem.signInRequired());
        return Decision.when(a.access().enrolled(), () -> new HttpProblem(403, "assignment.participantsOnly"));
    }

    /** Change a draft or the submitted text: until the review deadline; submitted work is final once submitting ends. */
    public Decision changeSubmission(AssignmentAccess a, boolean submitted, Instant now) {
        return takePart(a)
                .and(() -> Decision.when(now.isBefore(a.reviewBy()), () -> new HttpProblem(409, "submission.closed")))
                .and(() -> Decision.when(!submitted || now.isBefore(a.submitBy()), () -> new HttpProblem(409, "submission.final")));
    }

    /** "Review next": during the review window (the claim itself then needs the reviewer's own submission). */
    public Decision claimReview(AssignmentAccess a, Instant now) {
        return takePart(a).and(() -> switch (a.phase(now)) {
            case SUBMITTING -> Decision.no(new HttpProblem(409, Map.of("opensAt", a.submitBy()), "review.notYet", a.submitBy()));
            case CLOSED -> Decision.no(409, "review.closed");
            case REVIEWING -> Decision.yes();
        });
    }

    /** Save a claimed review: before the reviewer's deadline and the author's (self-paced windows differ). */
    public Decision saveReview(AssignmentAccess a, Instant authorDeadline, Instant now) {
        boolean open = now.isBefore(a.reviewBy()) && (authorDeadline == null || now.isBefore(authorDeadline));
        return Decision.when(open, () -> new HttpProblem(409, "review.closed"));
    }

    /** The author scores their own work, when the assignment asks for it, until the review deadline. */
    public Decision selfAssess(AssignmentAccess a, Instant now) {
        if (!a.assignment().selfAssessment()) return Decision.no(HttpProblem.notFound());
        return takePart(a).and(() -> Decision.when(now.isBefore(a.reviewBy()), () -> new HttpProblem(409, "review.closed")));
    }

    /** A review, for the person asking: its reviewer, or the author of the work once their window closed. */
    public Decision seeReview(long viewerId, long reviewerId, long authorId, boolean completed, boolean removed, Phase authorPhase) {
        if (viewerId == reviewerId) return Decision.yes();
        boolean authorMaySee = viewerId == authorId && completed && !removed && authorPhase == Phase.CLOSED;
        return Decision.when(authorMaySee, HttpProblem::notFound);
    }

    /** Every submission, review, flag and grade, overrides and the CSV: facilitators. */
    public Decision oversee(AssignmentAccess a) {
        return cohorts.manage(a.access());
    }

    /** What the assignment page offers, from the same answers. */
    public boolean offerEdit(AssignmentAccess a, boolean submitted, Instant now) {
        return changeSubmission(a, submitted, now).allowed();
    }

    public boolean offerReview(AssignmentAccess a, boolean submitted, Instant now) {
        return submitted && claimReview(a, now).allowed();
    }
}
