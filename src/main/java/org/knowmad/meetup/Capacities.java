package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How many seats each table gets in a balanced round: {@code people / tables} everywhere, plus one
 * extra seat at {@code people % tables} tables.
 *
 * <p>Which tables get the extra seat is the only freedom balance leaves, and it decides how many
 * choices can be honoured: an extra seat at a table chosen by more people than the base size honours
 * one more choice, anywhere else it honours none. So over-chosen tables get them first, and the
 * maximum is {@code sum(min(choosers, base)) + min(extra, overChosenTables)}.
 */
final class Capacities {

    private Capacities() {
    }

    /**
     * @param choosers per table, how many attendees chose it
     * @return per table, its seat count; sums to {@code people}, max - min is at most 1
     */
    static int[] balanced(int people, int[] choosers) {
        int tables = choosers.length;
        int base = people / tables;
        int extra = people % tables;
        int[] seats = new int[tables];
        Arrays.fill(seats, base);
        // The most over-chosen first: any order among over-chosen tables honours as many choices,
        // but this one keeps the fewest people waiting at the busiest table. Then by index, so the
        // result does not depend on anything but the counts.
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            order.add(t);
        }
        order.sort(Comparator.comparingInt((Integer t) -> -choosers[t]).thenComparingInt(t -> t));
        for (int i = 0; i < extra; i++) {
            seats[order.get(i)]++;
        }
        return seats;
    }
}
