package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every attendance from 0 to 20 people and every table count from 1 to 8, with several choice
 * patterns each (none, some, everyone, all on one table, skewed), over two rounds so that the second
 * one has a history to be fair about.
 */
class ExhaustiveAllocationTest {

    private static final double[][] SHARES_AND_SKEW = {
        {0.0, 0}, {0.5, 0}, {1.0, 0}, {1.0, 1}, {0.7, 2}, {0.9, 2},
    };

    @Test
    void everySmallRoundIsBalancedSeatsEveryoneOnceAndHonoursTheMostChoices() {
        Random random = new Random(20240611L);
        int rounds = 0;
        for (int count = 0; count <= 20; count++) {
            List<Long> people = Allocations.people(count);
            for (int tables = 1; tables <= 8; tables++) {
                for (double[] pattern : SHARES_AND_SKEW) {
                    double[] weights = weights(tables, (int) pattern[1]);
                    List<Round> earlier = new ArrayList<>();
                    for (int number = 1; number <= 2; number++) {
                        Map<Long, Integer> choices = Allocations.choices(people, pattern[0], weights, random);
                        Round round = TableAllocator.allocate(number, tables, people, choices, earlier, 42L);
                        String where = count + " people, " + tables + " tables, pattern " + pattern[0]
                                + "/" + pattern[1] + ", round " + number;
                        Allocations.assertEveryoneSeatedOnce(people, round);
                        Allocations.assertBalanced(round);
                        assertEquals(tables, round.tables(), where);
                        assertEquals(choices, round.choices(), where);
                        assertEquals(Allocations.bestHonoured(count, tables, choices), round.honouredCount(),
                                where);
                        assertOverruledOnlyByPriority(round, earlier, where);
                        earlier.add(round);
                        rounds++;
                    }
                }
            }
        }
        assertEquals(21 * 8 * SHARES_AND_SKEW.length * 2, rounds);
    }

    /**
     * An overruled chooser lost their table to people who all chose it and all came first: overruled
     * more often before, else honoured less often before, else a lower id. Never to someone without
     * that choice.
     */
    private static void assertOverruledOnlyByPriority(Round round, List<Round> earlier, String where) {
        Map<Long, Integer> overruledBefore = new HashMap<>();
        Map<Long, Integer> honouredBefore = new HashMap<>();
        for (Round r : earlier) {
            r.choices().forEach((person, wanted) -> (wanted.equals(r.tableOf().get(person))
                    ? honouredBefore : overruledBefore).merge(person, 1, Integer::sum));
        }
        Comparator<Long> first = Comparator.comparingInt((Long p) -> -overruledBefore.getOrDefault(p, 0))
                .thenComparingInt(p -> honouredBefore.getOrDefault(p, 0))
                .thenComparingLong(p -> p);
        for (long loser : round.overruled()) {
            int wanted = round.choices().get(loser);
            for (long winner : round.at(wanted)) {
                assertEquals(wanted, round.choices().get(winner), where + ": " + winner
                        + " holds a seat at table " + wanted + " that " + loser + " chose");
                assertTrue(first.compare(winner, loser) < 0, where + ": " + winner + " before " + loser);
            }
        }
    }

    /** 0: uniform; 1: everyone on table 0; 2: table t weighs 1 / (t + 1), a few popular questions. */
    private static double[] weights(int tables, int skew) {
        double[] weights = new double[tables];
        for (int t = 0; t < tables; t++) {
            weights[t] = switch (skew) {
                case 0 -> 1;
                case 1 -> t == 0 ? 1 : 0;
                default -> 1.0 / (t + 1);
            };
        }
        return weights;
    }
}
