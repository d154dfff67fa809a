package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Checks and baselines shared by the meetup tests, written independently of the allocator. */
final class Allocations {

    private Allocations() {
    }

    static List<Long> people(int count) {
        List<Long> people = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            people.add(id * 7 + 100); // not 0..n-1, so no code can confuse ids with indices
        }
        return people;
    }

    static void assertEveryoneSeatedOnce(List<Long> people, Round round) {
        assertEquals(people.size(), round.tableOf().size(), "seat count");
        assertEquals(new HashSet<>(people), round.tableOf().keySet(), "seated people");
        assertEquals(people.size(), round.seats().size(), "seats()");
    }

    static void assertBalanced(Round round) {
        int[] sizes = round.sizes();
        int max = Arrays.stream(sizes).max().orElse(0);
        int min = Arrays.stream(sizes).min().orElse(0);
        assertTrue(max - min <= 1, "sizes " + Arrays.toString(sizes));
    }

    /**
     * The most choices a balanced round can honour, by trying every set of tables that could get the
     * extra seat (at most C(8, 4) = 70 sets for 8 tables).
     */
    static int bestHonoured(int people, int tables, Map<Long, Integer> choices) {
        int[] choosers = new int[tables];
        choices.values().forEach(t -> choosers[t]++);
        int base = people / tables;
        int extra = people % tables;
        int best = 0;
        for (int mask = 0; mask < 1 << tables; mask++) {
            if (Integer.bitCount(mask) != extra) {
                continue;
            }
            int honoured = 0;
            for (int t = 0; t < tables; t++) {
                int seats = base + ((mask >> t) & 1);
                honoured += Math.min(choosers[t], seats);
            }
            best = Math.max(best, honoured);
        }
        return best;
    }

    /** A balanced round with no regard for anyone: shuffle and deal the people round the tables. */
    static Round randomRound(int number, int tables, List<Long> people, Random random) {
        List<Long> shuffled = new ArrayList<>(people);
        Collections.shuffle(shuffled, random);
        Map<Long, Integer> tableOf = new HashMap<>();
        for (int i = 0; i < shuffled.size(); i++) {
            tableOf.put(shuffled.get(i), i % tables);
        }
        return new Round(number, tableOf, Map.of(), tables);
    }

    /**
     * The same round with the free people (not at their chosen table) shuffled over the seats they
     * hold: the same sizes and honoured choices, mixed by chance instead of on purpose.
     */
    static Round shuffleFree(Round round, Random random) {
        List<Long> free = new ArrayList<>();
        List<Integer> seats = new ArrayList<>();
        round.tableOf().forEach((person, table) -> {
            if (!table.equals(round.choices().get(person))) {
                free.add(person);
                seats.add(table);
            }
        });
        Collections.shuffle(seats, random);
        Map<Long, Integer> tableOf = new HashMap<>(round.tableOf());
        for (int i = 0; i < free.size(); i++) {
            tableOf.put(free.get(i), seats.get(i));
        }
        return new Round(round.number(), tableOf, round.choices(), round.tables());
    }

    /** Random choices: each person chooses with probability {@code share}, table by {@code weights}. */
    static Map<Long, Integer> choices(List<Long> people, double share, double[] weights, Random random) {
        double total = Arrays.stream(weights).sum();
        Map<Long, Integer> choices = new HashMap<>();
        for (long person : people) {
            if (random.nextDouble() >= share) {
                continue;
            }
            double r = random.nextDouble() * total;
            int t = 0;
            while (t < weights.length - 1 && r >= weights[t]) {
                r -= weights[t];
                t++;
            }
            choices.put(person, t);
        }
        return choices;
    }
}
