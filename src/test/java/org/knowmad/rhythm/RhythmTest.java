package org.knowmad.rhythm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RhythmTest {

    private static final Instant SET = Instant.parse("2030-03-04T09:00:00Z");
    private static final Rhythm WEEKLY = new Rhythm(SET, 7);

    private static Instant day(double d) {
        return SET.plusSeconds((long) (d * 86400));
    }

    @Test
    void periodsAreCountedFromTheMomentTheGoalWasSet() {
        assertEquals(-1, WEEKLY.periodIndex(day(-0.001)));
        assertEquals(0, WEEKLY.periodIndex(SET));
        assertEquals(0, WEEKLY.periodIndex(day(6.999)));
        assertEquals(1, WEEKLY.periodIndex(day(7)));
        assertEquals(day(14), WEEKLY.periodStart(2));
        assertEquals(-1, WEEKLY.lastCompletePeriod(day(3)));
        assertEquals(0, WEEKLY.lastCompletePeriod(day(8)));
        assertThrows(IllegalArgumentException.class, () -> new Rhythm(SET, 10));
    }

    @Test
    void theStreakCountsMetPeriodsInARowAndAnOpenPeriodDoesNotBreakIt() {
        List<Instant> posts = List.of(day(1), day(8), day(9), day(20));
        assertEquals(3, WEEKLY.streak(posts, day(21)), "weeks 0, 1 and 2 met, the third counts as it is met");
        assertEquals(2, WEEKLY.streak(List.of(day(1), day(8), day(9)), day(15)), "week 2 not met yet: still a streak of two");
        assertEquals(0, WEEKLY.streak(posts, day(29)), "week 3 missed");
        assertEquals(0, WEEKLY.streak(List.of(), day(3)));
        assertTrue(WEEKLY.met(1, posts));
        assertFalse(WEEKLY.met(3, posts));
    }

    @Test
    void propertyTheStreakIsNeverMoreThanThePeriodsSoFarAndGrowsByOneWithAPostInAnEmptyCurrentPeriod() {
        Random random = new Random(12);
        for (int run = 0; run < 2_000; run++) {
            Rhythm r = new Rhythm(SET, Rhythm.PERIODS.get(random.nextInt(3)));
            List<Instant> posts = new ArrayList<>();
            Instant now = day(random.nextDouble() * 120);
            double upTo = Math.max(0.001, Duration.between(SET, now).toSeconds() / 86400.0);
            for (int i = random.nextInt(12); i > 0; i--) posts.add(day(random.nextDouble() * upTo)); // posts are never in the future
            int streak = r.streak(posts, now);
            assertTrue(streak >= 0 && streak <= r.periodIndex(now) + 1, "streak " + streak + " at period " + r.periodIndex(now));
            long k = r.periodIndex(now);
            if (!r.met(k, posts)) {
                List<Instant> more = new ArrayList<>(posts);
                more.add(r.periodStart(k).plus(Duration.ofSeconds(1)));
                if (!more.get(more.size() - 1).isAfter(now)) assertEquals(streak + 1, r.streak(more, now));
            }
        }
    }
}
