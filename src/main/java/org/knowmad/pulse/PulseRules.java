package org.knowmad.pulse;

import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.course.CourseDefinition;
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

    /**
     * Whether what this person does in the cohort is counted, and whether their open event streams count them as
     * online in it: participants enrolled now (not visitors, not facilitators, not members of another cohort).
     */
    public boolean recorded(CohortAccess a) {
        return a.enrolled() && !a.facilitator();
    }

    /**
     * The same for someone an organiser checks in at the meetup, known by their address only: not a facilitator of
     * the course. Whether they are enrolled is checked when the count is written ({@link #recordedSql}).
     */
    public boolean recordedAttendee(CourseDefinition course, String email) {
        return email != null && !course.isFacilitator(email);
    }

    /**
     * SQL twin of the enrolment half of {@link #recorded}, checked again when counts are written (the facilitator half
     * is decided before anything is counted: facilitators are named in the course's YAML, not in the database). The
     * caller's statement passes the course, cohort and account as SQL expressions. It covers what is counted for
     * someone other than the viewer (an organiser checks a person in) and whoever left between the event and the write.
     */
    public static String recordedSql(String course, String cohort, String account) {
        return """
                EXISTS (SELECT 1 FROM enrolment e
                        WHERE e.course_id = %1$s AND e.cohort_id = %2$s AND e.account_id = %3$s AND e.left_at IS NULL)"""
                .formatted(course, cohort, account);
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

    /** The cohort's aggregate ("142 people read this week"): its members, like the modules. */
    public boolean seeAggregate(CohortAccess a) {
        return cohorts.readModules(a).allowed();
    }

    /**
     * A personal sharing rhythm (a goal to share once a week, fortnight or month, its streak and its reminders):
     * participants enrolled now, about themselves only. Facilitators do not keep one, and nobody sees another's.
     */
    public Decision keepRhythm(CohortAccess a) {
        if (a.enrolled()) return Decision.yes();
        return Decision.no(a.viewer().signedIn() ? new HttpProblem(403, "module.joinFirst") : HttpProblem.signInRequired());
    }

    /** One's own activity on {@code /me}: anyone signed in, about themselves only. */
    public Decision seeOwnActivity(Viewer viewer) {
        return Decision.when(viewer.signedIn(), HttpProblem::signInRequired);
    }
}
