package org.knowmad.course;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a cohort moves through the modules. */
public enum Pace {
    /** Everyone together, from the cohort's start. */
    @JsonProperty("fixed") FIXED,
    /** Each participant from their own join time. */
    @JsonProperty("self") SELF
}
