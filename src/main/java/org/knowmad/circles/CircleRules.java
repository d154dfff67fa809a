package org.knowmad.circles;

import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.web.HttpProblem;

/**
 * Who may see and do what with a cohort's circles: pure, no I/O, built on {@link CohortRules}. A circle and its
 * conversation are for its members (participants enrolled now who were placed in it and did not leave) and the
 * course's facilitators, nobody else: another circle's member, a participant who left it, a visitor all get 404,
 * as if it did not exist. Participants join by opting in; facilitators form the circles and read every one.
 *
 * <p>{@code switchedOn}: the course file has {@code circles}. Where it has not, everything answers 404.
 */
public class CircleRules {

    private final CohortRules cohorts;

    public CircleRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    /** The cohort's circles page: its members (participants see their own circle there, facilitators all). */
    public Decision seeCircles(CohortAccess a, boolean switchedOn) {
        return cohorts.readModules(a).and(() -> switchedOn ? Decision.yes() : Decision.no(HttpProblem.notFound()));
    }

    /** Every circle of the cohort, with its members: the course's facilitators. */
    public boolean seeAllCircles(CohortAccess a) {
        return a.facilitator();
    }

    /** One circle, its members and its conversation: its own members enrolled now, and facilitators. */
    public Decision seeCircle(CohortAccess a, boolean switchedOn, boolean member) {
        return seeCircles(a, switchedOn).and(() -> a.facilitator() || a.enrolled() && member ? Decision.yes()
                : Decision.no(HttpProblem.notFound()));
    }

    /** Writing in a circle: whoever sees it and may speak in the cohort (not silenced). */
    public Decision post(CohortAccess a, boolean switchedOn, boolean member) {
        return seeCircle(a, switchedOn, member).and(() -> cohorts.speak(a));
    }

    /** Asking to be placed in a circle, or leaving circles: participants enrolled now (facilitators read all instead). */
    public Decision takePart(CohortAccess a, boolean switchedOn) {
        return seeCircles(a, switchedOn).and(() -> a.enrolled() ? Decision.yes() : Decision.no(403, "circles.participantsOnly"));
    }

    /** Forming circles (and adding newcomers to them): the course's facilitators, where the course switched circles on. */
    public Decision form(CohortAccess a, boolean switchedOn) {
        return cohorts.manage(a).and(() -> switchedOn ? Decision.yes() : Decision.no(HttpProblem.notFound()));
    }
}
