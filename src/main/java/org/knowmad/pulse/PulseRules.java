package org.knowmad.pulse;

import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Viewer;

/**
 * Who may see and do what with a cohort's participation facts: pure, no I/O, built on {@link CohortRules}.
 * Facilitators see the pulse and the roster and act on them; a participant sees their own activity and the
 * cohort's aggregate only, never anyone else's numbers; only what members do inside their cohort is recorded.
 */
public class PulseRules {

    private final CohortRules cohorts;

    public PulseRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    /** Whether what this person does in the cohort is counted: participants enrolled now (not facilitators). */
    public boolean recorded(CohortAccess a) {
        return a.enrolled();
    }

    /** The pulse page and its API: the course's facilitators. */
    public Decision seePulse(CohortAccess a) {
        return cohorts.manage(a);
    }

    /** The roster (per-person numbers) and its CSV: the course's facilitators. */
    public Decision seeRoster(CohortAccess a) {
        return cohorts.manage(a);
    }

    /** Send an announcement to the cohort or to a roster filter, or a nudge: the course's facilitators. */
    public Decision announce(CohortAccess a) {
        return cohorts.manage(a);
    }

    /**
     * An announcement (its page and the cohort home's banner): facilitators read every one; a member reads those sent
     * to the whole cohort and those they were among the recipients of (a roster filter's); to anyone else it does
     * not exist (404), so who was sent what is not told.
     */
    public Decision readAnnouncement(CohortAccess a, boolean toEveryone, boolean recipient) {
        if (a.facilitator()) return Decision.yes();
        return cohorts.readModules(a).and(() -> Decision.when(toEveryone || recipient, HttpProblem::notFound));
    }

    /** The cohort's aggregate ("142 people read this week"): its members, like the modules. */
    public boolean seeAggregate(CohortAccess a) {
        return cohorts.readModules(a).allowed();
    }

    /** One's own activity on {@code /me}: anyone signed in, about themselves only. */
    public Decision seeOwnActivity(Viewer viewer) {
        return Decision.when(viewer.signedIn(), HttpProblem::signInRequired);
    }
}
