package org.knowmad.cohort;

import java.time.Instant;

/**
 * One person's active enrolment in a cohort.
 *
 * @param silenced a facilitator silenced them in this cohort: they may read but not write, react or flag
 * @param guidelinesAcceptedAt when they last accepted the cohort's guidelines (at joining, or a newer version since)
 */
public record Enrolled(String courseId, String cohortId, long accountId, Instant joinedAt, boolean silenced, Instant guidelinesAcceptedAt) {

    public Enrolled(String courseId, String cohortId, long accountId, Instant joinedAt, boolean silenced) {
        this(courseId, cohortId, accountId, joinedAt, silenced, joinedAt);
    }
}
