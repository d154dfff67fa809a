package org.knowmad.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happens at one instant in a cohort's (or a participant's) course: a module opens,
 * an assignment deadline passes, the meetup starts or ends.
 *
 * @param moduleId the module it belongs to; {@code null} for the meetup's events
 */
public record Event(Kind kind, String moduleId, Instant at) {

    public Event {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(at);
    }

    /** What happens. */
    public enum Kind {
        MODULE_OPENS, SUBMIT_BY, REVIEW_BY, MEETUP_STARTS, MEETUP_ENDS
    }
}
