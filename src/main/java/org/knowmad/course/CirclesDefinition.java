package org.knowmad.course;

import java.util.List;

/**
 * Small circles inside each cohort, for the course's duration: participants who opt in are placed by the meetup's
 * mixer in circles of about {@code size} (one fewer to one more), mixing the {@code backgrounds} they chose, if
 * the course offers any. A facilitator forms a cohort's circles on the web.
 */
public record CirclesDefinition(Integer size, List<String> backgrounds) {

    public static final int DEFAULT_SIZE = 5;

    public CirclesDefinition {
        size = size == null ? DEFAULT_SIZE : size;
        backgrounds = backgrounds == null ? List.of() : List.copyOf(backgrounds);
    }
}
