package org.knowmad.pulse;

/**
 * The participation shape of a group of active people (those who did anything in the period): lurkers read and
 * did not post, occasional contributors posted 1–4 times, frequent contributors 5 or more (threads and replies
 * together, in the period shown: one week, or the whole course so far). Set against Nielsen's 90-9-1.
 */
public record ParticipationShape(long lurkers, long occasional, long frequent) {

    /** The least posts that make someone an occasional contributor. */
    public static final int OCCASIONAL_FROM = 1;
    /** The least posts in the period that make someone a frequent contributor. */
    public static final int FREQUENT_FROM = 5;
    /** The shape most online groups have (Nielsen, 2006): 90% lurk, 9% contribute now and then, 1% a lot. */
    public static final int[] NINETY_NINE_ONE = {90, 9, 1};

    public enum Kind { LURKER, OCCASIONAL, FREQUENT }

    public ParticipationShape {
        if (lurkers < 0 || occasional < 0 || frequent < 0) throw new IllegalArgumentException("negative count");
    }

    public static Kind classify(long posts) {
        if (posts < 0) throw new IllegalArgumentException("negative posts: " + posts);
        if (posts >= FREQUENT_FROM) return Kind.FREQUENT;
        return posts >= OCCASIONAL_FROM ? Kind.OCCASIONAL : Kind.LURKER;
    }

    public long active() {
        return lurkers + occasional + frequent;
    }

    /** Whole percentages of the active people, adding up to 100 (0, 0, 0 when nobody was active). */
    public int[] percents() {
        return Shares.wholePercents(lurkers, occasional, frequent);
    }

    public int lurkerPercent() {
        return percents()[0];
    }

    public int occasionalPercent() {
        return percents()[1];
    }

    public int frequentPercent() {
        return percents()[2];
    }

    /** How far the contributors' share (occasional + frequent) is from 90-9-1's 10%, in percentage points. */
    public int contributorsAgainstNorm() {
        if (active() == 0) return 0;
        int[] p = percents();
        return p[1] + p[2] - (NINETY_NINE_ONE[1] + NINETY_NINE_ONE[2]);
    }
}
