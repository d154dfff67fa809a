package org.knowmad.cohort;

import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;

/** A cohort found by its path: the course it belongs to and its definition (from YAML or started on the web). */
public record CohortRef(Course course, CohortDefinition cohort, boolean startedOnWeb) {

    public String courseId() {
        return course.id();
    }

    public String cohortId() {
        return cohort.id();
    }

    public String path() {
        return "/courses/" + course.id() + "/" + cohort.id();
    }
}
