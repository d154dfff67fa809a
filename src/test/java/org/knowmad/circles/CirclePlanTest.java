package org.knowmad.circles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowmad.meetup.Round;
import org.knowmad.meetup.TableAllocator;

/** Circle sizes (pure arithmetic) and the mixer placing people in them, property-style over many inputs. */
class CirclePlanTest {

    @Test
    void firstFormingKeepsEveryCircleWithinTheBandWheneverThatIsPossible() {
        for (int size = 3; size <= 8; size++) {
            for (int n = 0; n <= 400; n++) {
                int[] sizes = CirclePlan.sizes(n, size);
                String cell = "n=" + n + " size=" + size + " " + Arrays.toString(sizes);
                assertEquals(n < CirclePlan.FEWEST ? 0 : n, Arrays.stream(sizes).sum(), cell);
                if (sizes.length > 0) {
                    int min = Arrays.stream(sizes).min().getAsInt();
                    int max = Arrays.stream(sizes).max().getAsInt();
                    assertTrue(max - min <= 1, cell);
                    assertTrue(max <= size + 1, cell);
                    if (CirclePlan.fits(n, size)) assertTrue(min >= size - 1, cell);
                }
            }
        }
        assertArrayEquals(new int[] {5, 5}, CirclePlan.sizes(10, 5));
        assertArrayEquals(new int[] {6}, CirclePlan.sizes(6, 5));
        assertArrayEquals(new int[] {4, 3}, CirclePlan.sizes(7, 5)); // 7 cannot make 4-6: as large as allowed, no larger
        assertArrayEquals(new int[] {3}, CirclePlan.sizes(3, 5));
        assertArrayEquals(new int[0], CirclePlan.sizes(1, 5));
        for (int n : new int[] {4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 637}) assertTrue(CirclePlan.fits(n, 5), "n=" + n);
        for (int n : new int[] {1, 2, 3, 7}) assertTrue(!CirclePlan.fits(n, 5), "n=" + n);
    }

    @Test
    void refillingNeverShrinksACircleAndPlacesEveryNewcomer() {
        Random random = new Random(7);
        for (int run = 0; run < 5_000; run++) {
            int size = 3 + random.nextInt(6);
            int[] existing = new int[random.nextInt(6)];
            for (int i = 0; i < existing.length; i++) existing[i] = random.nextInt(size + 2);
            int newcomers = random.nextInt(30);
            int[] seats = CirclePlan.refill(existing, newcomers, size);
            String cell = Arrays.toString(existing) + " +" + newcomers + " size " + size + " -> " + Arrays.toString(seats);
            int before = Arrays.stream(existing).sum();
            int placed = existing.length == 0 && newcomers < CirclePlan.FEWEST ? 0 : newcomers;
            assertEquals(before + placed, Arrays.stream(seats).sum(), cell);
            for (int i = 0; i < existing.length; i++) assertTrue(seats[i] >= existing[i], cell);
            for (int i = existing.length; i < seats.length; i++) {
                assertTrue(seats[i] <= size + 1 && seats[i] >= CirclePlan.FEWEST, cell);
            }
            // A circle grows past the largest size only for a lone newcomer with no room anywhere.
            for (int i = 0; i < existing.length; i++) {
                if (seats[i] > size + 1) assertEquals(existing[i] + 1, seats[i], cell);
            }
        }
    }

    @Test
    void theMixerSeatsEveryoneOnceKeepsMembersAndSpreadsBackgrounds() {
        Random random = new Random(11);
        for (int run = 0; run < 300; run++) {
            int size = 4 + random.nextInt(3);
            int n = 4 + random.nextInt(60);
            List<Long> people = new ArrayList<>();
            for (long p = 1; p <= n; p++) people.add(p * 10);
            // Some are already in circles; the rest are new.
            int circles = CirclePlan.count(n / 2, size);
            Map<Long, Integer> fixed = new HashMap<>();
            int[] existing = new int[circles];
            for (int i = 0; i < n / 2 && circles > 0; i++) {
                int t = i % circles;
                fixed.put(people.get(i), t);
                existing[t]++;
            }
            int newcomers = n - fixed.size();
            int[] seats = CirclePlan.refill(existing, newcomers, size);
            Map<Long, Integer> background = new HashMap<>();
            for (Long p : people) background.put(p, random.nextInt(4));
            Round round = TableAllocator.fill(seats, people, fixed, List.of(new Round(0, background)), run);
            String cell = "run " + run + " seats " + Arrays.toString(seats);
            assertEquals(n, round.tableOf().size(), cell);
            fixed.forEach((p, t) -> assertEquals(t, round.tableOf().get(p), cell + " moved " + p));
            int[] sorted = round.sizes().clone();
            Arrays.sort(sorted);
            int[] want = seats.clone();
            Arrays.sort(want);
            assertArrayEquals(want, sorted, cell);
        }
        // Twelve people of three backgrounds in three circles: the mixer puts no two of one background together.
        List<Long> twelve = new ArrayList<>();
        Map<Long, Integer> bg = new HashMap<>();
        for (long p = 1; p <= 12; p++) {
            twelve.add(p);
            bg.put(p, (int) (p % 4));
        }
        Round mixed = TableAllocator.fill(new int[] {4, 4, 4}, twelve, Map.of(), List.of(new Round(0, bg)), 1);
        for (int t = 0; t < 3; t++) {
            assertEquals(4, mixed.at(t).stream().map(bg::get).distinct().count(), "circle " + t + " " + mixed.at(t));
        }
    }
}
