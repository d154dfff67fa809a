package org.knowmad.course;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may join a cohort. */
public enum Enrolment {
    /** Anyone signed in. */
    @JsonProperty("open") OPEN,
    /** Only people holding a facilitator's invite link. */
    @JsonProperty("invite") INVITE,
    /** Nobody new. */
    @JsonProperty("closed") CLOSED
}
