package org.knowmad.cohort;

import java.time.Instant;

/**
 * A module as one viewer sees it at one moment.
 *
 * @param opensAt null only in a self-paced cohort the viewer has not joined (then {@code offsetDays} says when)
 */
public record ModuleView(String id, String title, boolean open, Instant opensAt, boolean hasAssignment, String path) {

    public boolean locked() {
        return !open;
    }
}
