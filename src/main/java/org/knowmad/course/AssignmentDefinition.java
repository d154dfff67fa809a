package org.knowmad.course;

import java.util.List;
import org.knowmad.schedule.When;

/** A peer-reviewed assignment in a module. */
public record AssignmentDefinition(
        String title,
        String instructions,
        When submitBy,
        When reviewBy,
        int reviewsPerSubmission,
        List<Criterion> rubric,
        boolean selfAssessment) {

    public AssignmentDefinition {
        rubric = rubric == null ? List.of() : List.copyOf(rubric);
    }
}
