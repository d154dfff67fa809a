package org.knowmad.guidelines;

import java.time.Instant;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.web.HttpProblem;

/**
 * Who may do what with the guidelines a cohort writes itself: pure, no I/O, built on {@link CohortRules}.
 * Members read the proposals and the adopted set; while proposals are open, members who may speak propose and
 * vote (not for their own); facilitators adopt versions and open or close proposals. A proposer's name is shown
 * unless they proposed anonymously; facilitators, and the proposer, always know.
 *
 * @see GuidelineService the facts these answers need: whether the course switched the feature on, and whether
 *      the cohort's window is open now
 */
public class GuidelineRules {

    private final CohortRules cohorts;

    public GuidelineRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    /** The guidelines page: members, like the modules. */
    public Decision see(CohortAccess a) {
        return cohorts.readModules(a);
    }

    public Decision propose(CohortAccess a, boolean switchedOn, boolean windowOpen) {
        return see(a).and(() -> switchedOn ? Decision.yes() : Decision.no(HttpProblem.notFound()))
                .and(() -> cohorts.speak(a))
                .and(() -> windowOpen ? Decision.yes() : Decision.no(409, "guidelines.closed"));
    }

    public Decision vote(CohortAccess a, boolean switchedOn, boolean windowOpen, boolean ownProposal) {
        return propose(a, switchedOn, windowOpen).and(() -> ownProposal ? Decision.no(409, "guidelines.ownProposal") : Decision.yes());
    }

    /** Taking one's own proposal back, while proposals are open. */
    public Decision withdraw(CohortAccess a, boolean switchedOn, boolean windowOpen, boolean ownProposal) {
        return propose(a, switchedOn, windowOpen).and(() -> ownProposal ? Decision.yes() : Decision.no(HttpProblem.forbidden()));
    }

    /** Adopt a version, open or close proposals: the course's facilitators, where the course switched it on. */
    public Decision adopt(CohortAccess a, boolean switchedOn) {
        return cohorts.manage(a).and(() -> switchedOn ? Decision.yes() : Decision.no(HttpProblem.notFound()));
    }

    public boolean knowProposer(CohortAccess a, boolean anonymous, long proposerId) {
        return !anonymous || a.facilitator() || (a.viewer().signedIn() && a.viewer().accountId() == proposerId);
    }

    /** Asked to accept the adopted version: participants who accepted guidelines before it was adopted. */
    public boolean askToAccept(CohortAccess a, Instant adoptedAt) {
        if (adoptedAt == null || !a.enrolled()) return false;
        Instant accepted = a.enrolment().get().guidelinesAcceptedAt();
        return accepted == null || accepted.isBefore(adoptedAt);
    }

    /** Accepting the adopted guidelines: participants enrolled now, where the course switched the feature on. */
    public Decision accept(CohortAccess a, boolean switchedOn) {
        return Decision.when(a.enrolled(), () -> a.viewer().signedIn() ? HttpProblem.forbidden() : HttpProblem.signInRequired())
                .and(() -> switchedOn ? Decision.yes() : Decision.no(HttpProblem.notFound()));
    }
}
