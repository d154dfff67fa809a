package org.knowmad.course;

import java.time.LocalDateTime;

/**
 * One run of a course. A fixed-pace cohort starts at {@code starts} (local time in the course zone);
 * a self-paced cohort ({@code pace: self}) opens every module relative to each participant's own
 * join time, and {@code starts} (optional there) is only when enrolment opens.
 */
public record CohortDefinition(
        String id,
        LocalDateTime starts,
        Pace pace,
        Enrolment enrolment,
        Integer capacity,
        CohortMeetup meetup) {

    public CohortDefinition {
        pace = pace == null ? Pace.FIXED : pace;
        enrolment = enrolment == null ? Enrolment.OPEN : enrolment;
    }

    public boolean selfPaced() {
        return pace == Pace.SELF;
    }
}
