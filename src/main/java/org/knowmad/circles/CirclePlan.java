package org.knowmad.circles;

import java.util.Arrays;

/**
 * How many circles, and how big: pure arithmetic, no people. A course asks for circles of {@code size}; a circle
 * of {@code size - 1} to {@code size + 1} is fine (4 to 6 for the usual 5). Who sits in which circle is the
 * meetup's mixer's job ({@link org.knowmad.meetup.TableAllocator#fill}); this only says how many seats each gets.
 */
public final class CirclePlan {

    /** Fewer people than this wait for more: a circle of one is no circle. */
    static final int FEWEST = 2;

    private CirclePlan() {
    }

    static int smallest(int size) {
        return size - 1;
    }

    static int largest(int size) {
        return size + 1;
    }

    /** Whether {@code people} split into circles that are all within the band. */
    static boolean fits(int people, int size) {
        for (int k = 1; k * smallest(size) <= people; k++) {
            if (people <= k * largest(size)) return true;
        }
        return false;
    }

    /**
     * How many circles {@code people} make: within the band when that is possible, then the count closest to
     * {@code people / size}; when it is not (7 people for circles of 5), as few circles as keep each within the
     * largest size. None for fewer than {@link #FEWEST}.
     */
    static int count(int people, int size) {
        if (people < FEWEST) return 0;
        int best = 0;
        double ideal = (double) people / size;
        for (int k = 1; k * smallest(size) <= people; k++) {
            if (people <= k * largest(size) && (best == 0 || Math.abs(k - ideal) < Math.abs(best - ideal))) best = k;
        }
        return best > 0 ? best : (people + largest(size) - 1) / largest(size);
    }

    /** The sizes of the circles {@code people} make, balanced (within one of each other). */
    static int[] sizes(int people, int size) {
        int k = count(people, size);
        int[] sizes = new int[k];
        for (int i = 0; i < k; i++) sizes[i] = people / k + (i < people % k ? 1 : 0);
        return sizes;
    }

    /**
     * The seats of each circle after {@code newcomers} join circles that already have {@code existing} members:
     * existing circles first (same order), then any new ones. Nobody moves, so no circle shrinks. Newcomers fill the
     * smallest circles up to {@code size}; enough of them for circles of their own make new ones; a number that
     * cannot make circles of their own goes to the smallest circles up to the largest size, if there is room for all.
     * A lone newcomer with no room anywhere joins the smallest circle anyway (better one too many than a circle of one).
     */
    static int[] refill(int[] existing, int newcomers, int size) {
        if (existing.length == 0) return sizes(newcomers, size);
        int[] seats = existing.clone();
        int left = newcomers;
        while (left > 0 && seats[smallestAt(seats)] < size) {
            seats[smallestAt(seats)]++;
            left--;
        }
        int room = 0;
        for (int s : seats) room += Math.max(0, largest(size) - s);
        // Too few (or an awkward number) for circles of their own: into circles with room, if they all fit there.
        if (left > 0 && !fits(left, size) && left <= room) {
            while (left > 0) {
                seats[smallestAt(seats)]++;
                left--;
            }
        }
        if (left == 1) {
            seats[smallestAt(seats)]++;
            left = 0;
        }
        int[] added = sizes(left, size);
        int[] all = Arrays.copyOf(seats, seats.length + added.length);
        System.arraycopy(added, 0, all, seats.length, added.length);
        return all;
    }

    private static int smallestAt(int[] seats) {
        int at = 0;
        for (int i = 1; i < seats.length; i++) if (seats[i] < seats[at]) at = i;
        return at;
    }
}
