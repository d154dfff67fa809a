package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seats the people who are free to move (no choice, or a choice that could not be honoured) so that
 * few of them sit again with someone they already met.
 *
 * <p>The cost of a round is the sum, over pairs at the same table, of {@link Encounters#cost}: a pair
 * meeting a second time costs most (a new repeated pair), a third time less, strangers nothing.
 * Greedy placement (each person to the open table where they know the
 * fewest) gets close; local search then swaps two free people, or moves one from a larger table to a
 * smaller one, while that lowers the cost. Neither step touches a seated chooser or lets table
 * sizes differ by more than one, so balance and honoured choices survive. A few seeded restarts
 * with different greedy orders keep the best result, because local search stops in local minima.
 */
final class Mixer {

    /** Restarts of greedy + local search; beyond a handful the gain is tiny for café sizes. */
    static final int ATTEMPTS = 6;

    private final Encounters encounters;
    private final int[] table;   // person index -> table, -1 while unseated
    private final int[] size;    // table -> people seated so far
    private final int[][] load;  // load[i][t] = cost of i sitting with the people now at t

    private Mixer(Encounters encounters, int people, int tables) {
        this.encounters = encounters;
        this.table = new int[people];
        this.size = new int[tables];
        this.load = new int[people][tables];
        Arrays.fill(table, -1);
    }

    /**
     * @param fixed person index -> table for seated choosers, -1 for people free to move
     * @param seats per table, how many seats it has in total (choosers included)
     * @return person index -> table for everyone; sizes equal {@code seats} up to moves between a
     *     table of size base + 1 and one of size base
     */
    static int[] seat(int[] fixed, int[] seats, Encounters encounters, Random random) {
        int[] best = null;
        long bestCost = Long.MAX_VALUE;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Mixer mixer = new Mixer(encounters, fixed.length, seats.length);
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < fixed.length; i++) {
                if (fixed[i] >= 0) {
                    mixer.place(i, fixed[i]);
                } else {
                    free.add(i);
                }
            }
            Collections.shuffle(free, random);
            mixer.greedy(free, seats);
            mixer.improve(free);
            long cost = mixer.cost();
            if (cost < bestCost) {
                bestCost = cost;
                best = mixer.table.clone();
            }
            if (cost == 0) {
                break; // nobody meets anyone twice: nothing left to gain
            }
        }
        return best;
    }

    private void greedy(List<Integer> free, int[] seats) {
        for (int p : free) {
            int best = -1;
            for (int t = 0; t < size.length; t++) {
                if (size[t] >= seats[t]) {
                    continue;
                }
                // Fewest acquaintances first; on a tie the emptier table, so that later people
                // still find room where they know nobody.
                if (best < 0 || load[p][t] < load[p][best]
                        || load[p][t] == load[p][best] && seats[t] - size[t] > seats[best] - size[best]) {
                    best = t;
                }
            }
            place(p, best);
        }
    }

    private void improve(List<Integer> free) {
        int people = table.length;
        int base = people / size.length;
        boolean improved = true;
        while (improved) {
            improved = false;
            for (int ia = 0; ia < free.size(); ia++) {
                int a = free.get(ia);
                // A move from a table of base + 1 to one of base swaps their sizes: still balanced.
                if (size[table[a]] == base + 1) {
                    for (int y = 0; y < size.length; y++) {
                        if (size[y] == base && load[a][y] < load[a][table[a]]) {
                            relocate(a, y);
                            improved = true;
                            break;
                        }
                    }
                }
                for (int ib = ia + 1; ib < free.size(); ib++) {
                    int b = free.get(ib);
                    int x = table[a];
                    int y = table[b];
                    if (x == y) {
                        continue;
                    }
                    int gain = load[a][x] + load[b][y] - load[a][y] - load[b][x];
                    // After the swap a and b are at each other's old table, not with each other:
                    // load[a][y] counted b, load[b][x] counted a, which the swap leaves behind.
                    if (gain > 0 || gain + 2 * encounters.between(a, b) > 0) {
                        relocate(a, y);
                        relocate(b, x);
                        improved = true;
                    }
                }
            }
        }
    }

    private void place(int person, int t) {
        table[person] = t;
        size[t]++;
        shift(person, t, +1);
    }

    private void relocate(int person, int t) {
        int from = table[person];
        size[from]--;
        shift(person, from, -1);
        table[person] = t;
        size[t]++;
        shift(person, t, +1);
    }

    private void shift(int person, int t, int sign) {
        int[] met = encounters.metBy(person);
        int[] costs = encounters.costsOf(person);
        for (int k = 0; k < met.length; k++) {
            load[met[k]][t] += sign * costs[k];
        }
    }

    /** Twice the round's cost (each pair is seen from both sides); only compared, so that is fine. */
    private long cost() {
        long cost = 0;
        for (int i = 0; i < table.length; i++) {
            cost += load[i][table[i]];
        }
        return cost;
    }
}
