package org.knowmad.cohort;

import java.util.List;
import java.util.Map;
import org.knowmad.course.CourseDefinition;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Viewer;

/**
 * Who may see and do what in a cohort, decided from the viewer's standing ({@link CohortAccess}) alone: pure,
 * no I/O. Every feature's rules ({@code ThreadRules}, {@code ReviewRules}, {@code MeetupRules}) are built on
 * these. Facilitators of the course see everything; participants enrolled in the cohort (and not gone) see the
 * modules open for them; anyone else sees the cohort's overview only.
 *
 * <p>{@link #SEES_MODULE_SQL} is the same rule for choosing recipients in SQL (mails, digests, mentions):
 * keep the two together, {@code RulesSqlTwinTest} checks that they agree.
 */
public class CohortRules {

    /** Facilitates the course (named in its YAML): the standing everything else about facilitators follows from. */
    public static boolean facilitates(Viewer viewer, CourseDefinition course) {
        return viewer.signedIn() && course.isFacilitator(viewer.email());
    }

    /** Members: facilitators, and participants enrolled now. */
    public Decision readModules(CohortAccess a) {
        if (a.facilitator() || a.enrolled()) return Decision.yes();
        return Decision.no(a.viewer().signedIn() ? new HttpProblem(403, "module.joinFirst") : HttpProblem.signInRequired());
    }

    /** A module's content, threads and assignment: members once it is open for them; facilitators always. */
    public Decision seeModule(CohortAccess a, ModuleView module) {
        if (a.facilitator()) return Decision.yes();
        return readModules(a).and(() -> module.open() ? Decision.yes()
                : Decision.no(new HttpProblem(403, Map.of("opensAt", module.opensAt()), "module.locked", module.opensAt(), module.title())));
    }

    /** The ids of the modules this viewer may read, of the cohort's {@code modules} at one moment. */
    public List<String> readableModules(CohortAccess a, List<ModuleView> modules) {
        if (!readModules(a).allowed()) return List.of();
        return modules.stream().filter(m -> seeModule(a, m).allowed()).map(ModuleView::id).toList();
    }

    /** Write in the cohort (post, react, flag, vote): members who were not silenced. */
    public Decision speak(CohortAccess a) {
        if (a.facilitator()) return Decision.yes();
        return readModules(a).and(() -> a.silenced() ? Decision.no(403, "discussion.silenced") : Decision.yes());
    }

    /** Run the cohort: invites, previews, moderation queue, member counts, starting cohorts. */
    public Decision manage(CohortAccess a) {
        if (a.facilitator()) return Decision.yes();
        return Decision.no(a.viewer().signedIn() ? HttpProblem.forbidden() : HttpProblem.signInRequired());
    }

    /**
     * An entry of the cohort's Atom feed: that a module opened (its title and date, as the cohort page shows
     * anyone) is public; everything else (the meetup's harvest) is for members, like the page it links to.
     */
    public boolean seeFeedEntry(CohortAccess a, String kind) {
        return "module-opened".equals(kind) || readModules(a).allowed();
    }

    /** The meetup's online link (a video call): members only; its date and venue are public like the schedule. */
    public boolean seeMeetupLink(CohortAccess a) {
        return readModules(a).allowed();
    }

    /** How many have joined: facilitators, and anyone when places are limited. */
    public boolean seeEnrolledCount(CohortAccess a) {
        return a.facilitator() || a.ref().cohort().capacity() != null;
    }

    /**
     * SQL twin of {@link #seeModule} for a possible recipient, as a boolean expression. The caller's statement
     * names the account {@code a} (columns {@code id}, {@code email}) and passes, as SQL expressions: the course,
     * cohort and module; the course's facilitators' addresses (lower case, {@code text[]}); and whether the
     * module is open for the whole cohort now ({@code boolean}, from the schedule: true in a fixed-pace cohort
     * once it opened, false in a self-paced one). Otherwise "open for them" is the release the release job
     * recorded for that participant (self-paced), which lags the clock by at most one round and never leads it.
     */
    public static String seesModuleSql(String course, String cohort, String module, String facilitators, String openForCohort) {
        return """
                (lower(a.email) = ANY(%4$s) OR EXISTS (
                    SELECT 1 FROM enrolment e
                    WHERE e.account_id = a.id AND e.course_id = %1$s AND e.cohort_id = %2$s AND e.left_at IS NULL
                      AND (%5$s OR EXISTS (SELECT 1 FROM module_release r
                           WHERE r.course_id = e.course_id AND r.cohort_id = e.cohort_id AND r.module_id = %3$s
                             AND (r.participant_id IS NULL OR r.participant_id = e.account_id)))))"""
                .formatted(course, cohort, module, facilitators, openForCohort);
    }

    /**
     * SQL twin of {@link #readModules} for an account {@code a}: a facilitator or enrolled now. Enough to check
     * again later that someone may still be told about a thread they could read once: a module, once open for
     * someone, stays open (opening times only move forward, re-joining keeps the first join time), so only
     * leaving ends it.
     */
    public static String memberSql(String course, String cohort, String facilitators) {
        return """
                (lower(a.email) = ANY(%3$s) OR EXISTS (SELECT 1 FROM enrolment e
                    WHERE e.account_id = a.id AND e.course_id = %1$s AND e.cohort_id = %2$s AND e.left_at IS NULL))"""
                .formatted(course, cohort, facilitators);
    }
}
