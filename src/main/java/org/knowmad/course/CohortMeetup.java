package org.knowmad.course;

import org.knowmad.schedule.When;

/** A cohort's own meetup date, venue or capacity, overriding the course's {@code meetup}. */
public record CohortMeetup(When starts, String venue, String onlineUrl, Integer capacity) {
}
