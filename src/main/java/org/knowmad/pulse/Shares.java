package org.knowmad.pulse;

/** Shares of a whole, as percentages: pure arithmetic the pulse shows and tests pin down. */
public final class Shares {

    private Shares() {
    }

    /** {@code part} as a percentage of {@code whole}; 0 when the whole is 0. */
    public static double percent(long part, long whole) {
        if (part < 0 || whole < 0) throw new IllegalArgumentException("negative count: " + part + " of " + whole);
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    /** The same, rounded to a whole percent for display (half up). */
    public static int roundedPercent(long part, long whole) {
        return (int) Math.round(percent(part, whole));
    }

    /**
     * Whole percentages of parts of one whole that add up to exactly 100 (largest remainder: each part gets its
     * floor, the points left go to the largest remainders, earlier parts first on ties); all 0 when the parts are.
     */
    public static int[] wholePercents(long... parts) {
        long total = 0;
        for (long p : parts) {
            if (p < 0) throw new IllegalArgumentException("negative count: " + p);
            total += p;
        }
        int[] out = new int[parts.length];
        if (total == 0) return out;
        long[] remainder = new long[parts.length];
        int given = 0;
        for (int i = 0; i < parts.length; i++) {
            out[i] = (int) (parts[i] * 100 / total);
            remainder[i] = parts[i] * 100 % total;
            given += out[i];
        }
        for (int left = 100 - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < parts.length; i++) {
                if (remainder[i] >= 0 && (best < 0 || remainder[i] > remainder[best])) best = i;
            }
            out[best]++;
            remainder[best] = -1;
        }
        return out;
    }
}
