package org.knowmad.schedule;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One line of a cohort home at a given moment: the shape the API answers
 * ({@code id}, {@code title}, {@code state}, {@code opensAt}).
 */
public record ModuleStatus(String id, String title, State state, Instant opensAt) {

    public boolean open() {
        return state == State.OPEN;
    }

    /** Open: content, threads and assignment are available. Locked: title and opening time only. */
    public enum State {
        @JsonProperty("open") OPEN,
        @JsonProperty("locked") LOCKED
    }
}
