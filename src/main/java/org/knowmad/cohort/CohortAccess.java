package org.knowmad.cohort;

import java.time.Instant;
import java.util.Optional;
import org.knowmad.web.Viewer;

/**
 * One viewer's standing in one cohort, worked out once per request: facilitator of the course or not,
 * enrolled (and since when, silenced or not) or not. What follows from it is decided by the rules
 * ({@link CohortRules} and the features' rules built on it), never here or in a route.
 */
public record CohortAccess(Viewer viewer, CohortRef ref, boolean facilitator, Optional<Enrolled> enrolment) {

    public boolean enrolled() {
        return enrolment.isPresent();
    }

    /** The time a self-paced schedule counts from for this viewer: their join time, else null. */
    public Instant joinedAt() {
        return enrolment.map(Enrolled::joinedAt).orElse(null);
    }

    /** Silenced by a facilitator in this cohort: may read, not write. */
    public boolean silenced() {
        return enrolment.map(Enrolled::silenced).orElse(false);
    }
}
