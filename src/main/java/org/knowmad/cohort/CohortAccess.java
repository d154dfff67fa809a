package org.knowmad.cohort;

import java.time.Instant;
import java.util.Optional;
import org.knowmad.web.Viewer;

/**
 * What one viewer may do in one cohort: the single place that answers "who may see this?" for
 * cohort pages and the API. Facilitators of the course see everything; enrolled participants see
 * open modules; everyone else sees the overview only.
 */
public record CohortAccess(Viewer viewer, CohortRef ref, boolean facilitator, Optional<Enrolled> enrolment) {

    public boolean enrolled() {
        return enrolment.isPresent();
    }

    /** The time a self-paced schedule counts from for this viewer: their join time, else null. */
    public Instant joinedAt() {
        return enrolment.map(Enrolled::joinedAt).orElse(null);
    }

    public boolean mayReadModules() {
        return facilitator || enrolled();
    }
}
