package org.knowmad.cohort;

import java.time.Instant;

/**
 * One person's active enrolment in a cohort.
 *
 * @param silenced a facilitator silenced them in this cohort: they may read but not write, react or flag
 */
public record Enrolled(String courseId, String cohortId, long accountId, Instant joinedAt, boolean silenced) {
}
