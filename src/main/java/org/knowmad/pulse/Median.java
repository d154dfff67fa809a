package org.knowmad.pulse;

import java.util.Arrays;
import java.util.OptionalDouble;

/** The median of a list of numbers (the middle one; the mean of the two middle ones for an even count). */
public final class Median {

    private Median() {
    }

    public static OptionalDouble of(long[] values) {
        if (values == null || values.length == 0) return OptionalDouble.empty();
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double) sorted[mid]) / 2);
    }
}
