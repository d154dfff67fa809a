package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What it costs to seat two of this round's attendees together, from how often they already shared
 * a table in earlier rounds.
 *
 * <p>Kept sparse (per person, the sorted indices of the people they met and the cost) rather than
 * as an n x n matrix: a person meets only a table's worth of people per round, so memory grows with
 * rounds x table size instead of with the square of the attendance.
 */
final class Encounters {

    private final int[][] met;    // met[i] = sorted indices of people i sat with before
    private final int[][] costs;  // costs[i][k] = cost(how often i sat with met[i][k])

    private Encounters(int[][] met, int[][] costs) {
        this.met = met;
        this.costs = costs;
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
        int[][] costs = new int[people.size()][];
        for (int i = 0; i < people.size(); i++) {
            TreeMap<Integer, Integer> c = counts.get(i);
            met[i] = c.keySet().stream().mapToInt(Integer::intValue).toArray();
            costs[i] = c.values().stream().mapToInt(Encounters::cost).toArray();
        }
        return new Encounters(met, costs);
    }

    /**
     * What seating a pair together once more costs, given how often they met before. Meeting a
     * second time makes a new repeated pair and loses a chance to meet someone new: 2. Meeting a
     * third time only loses that chance: 1. (Counting the meetings themselves instead, 2 for the
     * third, measured worse: with 637 people at 8 tables, whose round-1 tables cannot all be spread
     * apart, it made 2.6 times as many repeated pairs and fewer distinct acquaintances, to avoid
     * third meetings.)
     */
    static int cost(int timesMet) {
        return timesMet == 1 ? 2 : 1;
    }

    /** The people {@code i} sat with before (sorted indices). */
    int[] metBy(int i) {
        return met[i];
    }

    /** The {@link #cost} of seating {@code i} with {@code metBy(i)[k]} again. */
    int[] costsOf(int i) {
        return costs[i];
    }

    /** The {@link #cost} of seating {@code a} with {@code b} again; 0 if they never met. */
    int between(int a, int b) {
        int k = Arrays.binarySearch(met[a], b);
        return k < 0 ? 0 : costs[a][k];
    }
}
