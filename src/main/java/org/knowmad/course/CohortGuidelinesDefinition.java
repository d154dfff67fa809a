package org.knowmad.course;

import java.time.Duration;

/**
 * Guidelines each cohort writes itself: for {@code proposeFor} after the cohort starts, participants propose
 * guidelines and vote them up; facilitators adopt some (with or without the course's own) as a new version.
 * A facilitator may open or close a cohort's proposals from the web whatever the file says.
 */
public record CohortGuidelinesDefinition(Duration proposeFor) {

    public CohortGuidelinesDefinition {
        proposeFor = proposeFor == null ? Duration.ofDays(7) : proposeFor;
    }
}
