package org.knowmad.cohort;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.knowmad.course.Course;
import org.knowmad.course.ReloadGuard;

/**
 * Refuses a course edit that would break a running cohort's history: removing a cohort that has
 * participants, or a module that has already opened for someone.
 */
public final class CourseReloadGuard implements ReloadGuard {

    private static final String RELEASED_MODULES = "SELECT DISTINCT module_id FROM module_release WHERE course_id = $1";

    private final Pool pool;
    private final CohortStore store;

    public CourseReloadGuard(Pool pool, CohortStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Messages for the facilitator; empty when the new version may replace the old one. */
    @Override
    public Future<List<String>> check(Course previous, Course next) {
        String courseId = previous.id();
        Future<List<String>> cohorts = store.cohortsWithEnrolments(pool, courseId);
        Future<List<String>> modules = pool.preparedQuery(RELEASED_MODULES).execute(Tuple.of(courseId)).map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getString(0)));
            return ids;
        });
        return Future.all(cohorts, modules).map(all -> {
            List<String> refusals = new ArrayList<>();
            for (String cohortId : cohorts.result()) {
                boolean inYamlBefore = previous.definition().cohort(cohortId).isPresent();
                boolean inYamlAfter = next != null && next.definition().cohort(cohortId).isPresent();
                if (inYamlBefore && !inYamlAfter) {
                    refusals.add("cohort '" + cohortId + "' has participants and cannot be removed; set its enrolment to closed instead");
                }
            }
            for (String moduleId : modules.result()) {
                if (next == null || next.definition().module(moduleId).isEmpty()) {
                    refusals.add("module '" + moduleId + "' has already opened for participants and cannot be removed");
                }
            }
            return refusals;
        });
    }
}
