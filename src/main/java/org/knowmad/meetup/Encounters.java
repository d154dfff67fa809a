package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each pair of this round's attendees already shared a table in earlier rounds.
 *
 * <p>Kept sparse (per person, the sorted indices of the people they met and how often) rather than
 * as an n x n matrix: a person meets only a table's worth of people per round, so memory grows with
 * rounds x table size instead of with the square of the attendance.
 */
final class Encounters {

    private final int[][] met;    // met[i] = sorted indices of people i sat with before
    private final int[][] times;  // times[i][k] = how often i sat with met[i][k]

    private Encounters(int[][] met, int[][] times) {
        this.met = met;
        this.times = times;
    }

    /** @param people this round's attendees; index in this list = the index used everywhere else */
    static Encounters of(List<Long> people, List<Round> earlier) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < people.size(); i++) {
            index.put(people.get(i), i);
        }
        List<TreeMap<Integer, Integer>> counts = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            counts.add(new TreeMap<>());
        }
        for (Round round : earlier) {
            List<List<Integer>> atTable = new ArrayList<>();
            for (int t = 0; t < round.tables(); t++) {
                atTable.add(new ArrayList<>());
            }
            // Only people present now matter: absent ones cannot be seated with anyone this round.
            round.tableOf().forEach((person, table) -> {
                Integer i = index.get(person);
                if (i != null) {
                    atTable.get(table).add(i);
                }
            });
            for (List<Integer> table : atTable) {
                for (int a : table) {
                    for (int b : table) {
                        if (a != b) {
                            counts.get(a).merge(b, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        int[][] met = new int[people.size()][];
        int[][] times = new int[people.size()][];
        for (int i = 0; i < people.size(); i++) {
            TreeMap<Integer, Integer> c = counts.get(i);
            met[i] = c.keySet().stream().mapToInt(Integer::intValue).toArray();
            times[i] = c.values().stream().mapToInt(Integer::intValue).toArray();
        }
        return new Encounters(met, times);
    }

    /** The people {@code i} sat with before (sorted indices). */
    int[] metBy(int i) {
        return met[i];
    }

    /** How often {@code i} sat with {@code metBy(i)[k]}. */
    int[] timesOf(int i) {
        return times[i];
    }

    /** How often {@code a} and {@code b} sat together before. */
    int between(int a, int b) {
        int k = Arrays.binarySearch(met[a], b);
        return k < 0 ? 0 : times[a][k];
    }
}
