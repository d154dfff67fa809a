package org.knowmad.cohort;

import java.time.Instant;

/** One person's active enrolment in a cohort. */
public record Enrolled(String courseId, String cohortId, long accountId, Instant joinedAt) {
}
