package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Repeated pairs over a whole café, compared with chance: the same rounds dealt at random (no
 * choices), or with the same honoured choices and the free people shuffled (with choices).
 */
class MixingPropertyTest {

    private static final int BASELINE_SAMPLES = 5;
    private static final double[] POPULAR = {4, 3, 2, 1, 1, 1, 1, 1};

    // Measured ratios (ours / chance) are in the comments; the bounds leave some room.

    @Test
    void seventyPeopleEightTablesThreeRoundsWithoutChoices() {
        assertFarBelowChance(70, 8, 3, 0.0, 101L, 0.5);    // 10 vs 87.4: 0.11
    }

    /**
     * Six in ten choose, table 0 four times as popular as the last five: seated choosers cannot be
     * moved, so chance and we share their repeats and the ratio is higher.
     */
    @Test
    void seventyPeopleEightTablesThreeRoundsWithChoices() {
        assertFarBelowChance(70, 8, 3, 0.6, 102L, 0.6);    // 41 vs 84.6: 0.48
    }

    @Test
    void sixHundredThirtySevenPeopleEightTablesThreeRoundsWithoutChoices() {
        assertFarBelowChance(637, 8, 3, 0.0, 103L, 0.5);   // 3065 vs 8522.4: 0.36
    }

    /** Here over 80 % of the seats go to choosers, leaving little to mix. */
    @Test
    void sixHundredThirtySevenPeopleEightTablesThreeRoundsWithChoices() {
        assertFarBelowChance(637, 8, 3, 0.6, 104L, 0.9);   // 6870 vs 8528.4: 0.81
    }

    /** Tables of 6 over 5 tables: every round-1 table must leave a pair together in round 2. */
    @Test
    void thirtyPeopleFiveTablesTwoRounds() {
        assertFarBelowChance(30, 5, 2, 0.3, 105L, 0.8);    // 9 vs 14.0: 0.64
    }

    /**
     * A round-1 table of s people spread over T tables leaves at least the pairs of an even spread
     * together in round 2; without choices the second round should reach that bound.
     */
    @Test
    void secondRoundWithoutChoicesReachesThePigeonholeBound() {
        for (int[] size : new int[][] {{70, 8}, {637, 8}, {100, 7}, {45, 3}}) {
            List<Long> people = Allocations.people(size[0]);
            Round one = TableAllocator.allocate(1, size[1], people, Map.of(), List.of(), 9L);
            Round two = TableAllocator.allocate(2, size[1], people, Map.of(), List.of(one), 9L);
            int bound = 0;
            for (int s : one.sizes()) {
                int q = s / size[1];
                int r = s % size[1];
                bound += r * (q + 1) * q / 2 + (size[1] - r) * q * (q - 1) / 2;
            }
            assertEquals(bound, TableAllocator.repeatedPairs(List.of(one, two)),
                    size[0] + " people at " + size[1] + " tables");
        }
    }

    private static void assertFarBelowChance(int count, int tables, int rounds, double share, long seed,
            double ratio) {
        List<Long> people = Allocations.people(count);
        Random random = new Random(seed);
        List<Round> allocated = new ArrayList<>();
        for (int number = 1; number <= rounds; number++) {
            Map<Long, Integer> choices = Allocations.choices(people, share, Arrays.copyOf(POPULAR, tables), random);
            Round round = TableAllocator.allocate(number, tables, people, choices, allocated, seed);
            Allocations.assertEveryoneSeatedOnce(people, round);
            Allocations.assertBalanced(round);
            assertEquals(Allocations.bestHonoured(count, tables, choices), round.honouredCount());
            allocated.add(round);
        }
        int ours = TableAllocator.repeatedPairs(allocated);

        long chance = 0;
        for (int sample = 0; sample < BASELINE_SAMPLES; sample++) {
            List<Round> baseline = new ArrayList<>();
            for (Round round : allocated) {
                baseline.add(share == 0
                        ? Allocations.randomRound(round.number(), tables, people, random)
                        : Allocations.shuffleFree(round, random));
            }
            chance += TableAllocator.repeatedPairs(baseline);
        }
        double average = (double) chance / BASELINE_SAMPLES;
        assertTrue(ours <= ratio * average, count + " people, " + tables + " tables, " + rounds
                + " rounds: " + ours + " repeated pairs, chance gives " + average);
    }
}
