package org.knowmad.pulse;

import java.util.List;

/**
 * One period's funnel: participants enrolled in it, and how many of them visited (did anything at all: nobody
 * reads, reacts, posts or reviews without coming by), read a module or thread, reacted, posted (a thread or a
 * reply) and reviewed. Visited is at most enrolled and every later stage at most visited; the later stages are
 * not nested in each other (someone may post without a counted read), so they are shown side by side.
 */
public record Funnel(long enrolled, long visited, long read, long reacted, long posted, long reviewed) {

    public static final List<String> STAGES = List.of("enrolled", "visited", "read", "reacted", "posted", "reviewed");

    public static final Funnel EMPTY = new Funnel(0, 0, 0, 0, 0, 0);

    public Funnel {
        long[] c = {enrolled, visited, read, reacted, posted, reviewed};
        for (long v : c) if (v < 0) throw new IllegalArgumentException("negative count");
    }

    public long[] counts() {
        return new long[] {enrolled, visited, read, reacted, posted, reviewed};
    }

    /** Each stage as a whole percentage of enrolled. */
    public int[] percents() {
        long[] c = counts();
        int[] out = new int[c.length];
        for (int i = 0; i < c.length; i++) out[i] = Shares.roundedPercent(c[i], enrolled);
        return out;
    }

    /** Whether the stages that must shrink do: enrolled ≥ visited ≥ each of read, reacted, posted, reviewed. */
    public boolean consistent() {
        return enrolled >= visited && visited >= read && visited >= reacted && visited >= posted && visited >= reviewed;
    }
}
