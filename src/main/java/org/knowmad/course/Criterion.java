package org.knowmad.course;

import java.util.List;

/** One rubric criterion with its levels, lowest first. */
public record Criterion(String id, String title, List<Level> levels) {

    public Criterion {
        levels = levels == null ? List.of() : List.copyOf(levels);
    }

    /** One level of a criterion. */
    public record Level(int points, String label) {
    }
}
