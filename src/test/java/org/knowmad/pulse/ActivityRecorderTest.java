package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.pulse.ActivityRecorder.Key;
import org.knowmad.pulse.ActivityRecorder.Kind;
import org.knowmad.support.MutableClock;

/** What the recorder keeps in memory before a flush: who is counted, on which local day, merged per key, bounded. */
class ActivityRecorderTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-03-04T22:30:00Z"));

    private ActivityRecorder recorder(int maxKeys) {
        return new ActivityRecorder(null, clock, new ActivityStore(), new PulseRules(new CohortRules()), maxKeys);
    }

    private static CohortAccess participant() {
        return PulseRulesTest.access("participant", true, false, true, false);
    }

    private static Key key(LocalDate day, String module) {
        return new Key("c", "k", 7, day, module);
    }

    @Test
    void countsOnTheCoursesLocalDayAndMergesPerKey() {
        ActivityRecorder r = recorder(100);
        // 22:30 UTC on Monday 4 March is 23:30 in Amsterdam; an hour later it is Tuesday there.
        r.record(participant(), "week-1", Kind.READS);
        r.record(participant(), "week-1", Kind.READS);
        r.record(participant(), "week-1", Kind.REACTIONS);
        r.record(participant(), null, Kind.VISITS);
        clock.set(Instant.parse("2030-03-04T23:30:00Z"));
        r.record(participant(), "week-1", Kind.READS);
        LocalDate monday = LocalDate.of(2030, 3, 4);
        assertEquals(2, r.pending(key(monday, "week-1"), Kind.READS));
        assertEquals(1, r.pending(key(monday, "week-1"), Kind.REACTIONS));
        assertEquals(1, r.pending(key(monday, ""), Kind.VISITS), "no module: ''");
        assertEquals(1, r.pending(key(monday.plusDays(1), "week-1"), Kind.READS), "after local midnight: the next day");
        assertEquals(3, r.status().pendingKeys());
    }

    @Test
    void nobodyButEnrolledParticipantsIsCounted() {
        ActivityRecorder r = recorder(100);
        for (PulseRulesTest.Case c : PulseRulesTest.CASES) {
            if (c.recorded()) continue;
            CohortAccess a = PulseRulesTest.access(c.name(), c.signedIn(), c.facilitator(), c.enrolled(), c.silenced());
            for (Kind k : Kind.values()) r.record(a, "week-1", k);
            assertEquals(null, r.presence(a), c.name() + " is not shown online");
        }
        assertEquals(0, r.status().pendingKeys());
        r.attended(PulseRulesTest.REF, 9, "fac@x.org");
        assertEquals(0, r.status().pendingKeys(), "a facilitator checked in is not counted");
        r.attended(PulseRulesTest.REF, 9, "someone@x.org");
        assertEquals(1, r.pending(new Key("c", "k", 9, LocalDate.of(2030, 3, 4), ""), Kind.ATTENDANCES));
        assertEquals(7, r.presence(participant()).accountId());
    }

    @Test
    void pastTheBoundNewKeysAreDroppedAndKnownKeysStillCount() {
        ActivityRecorder r = recorder(2);
        r.record(participant(), "week-1", Kind.READS);
        r.record(participant(), "week-2", Kind.READS);
        r.record(participant(), "week-3", Kind.READS);
        r.record(participant(), "week-3", Kind.READS);
        r.record(participant(), "week-1", Kind.READS);
        LocalDate day = LocalDate.of(2030, 3, 4);
        assertEquals(2, r.pending(key(day, "week-1"), Kind.READS));
        assertEquals(0, r.pending(key(day, "week-3"), Kind.READS));
        assertEquals(2, r.status().pendingKeys());
        assertEquals(2, r.status().dropped());
    }

    @Test
    void rowsAreWrittenInPrimaryKeyOrder() {
        LocalDate d = LocalDate.of(2030, 3, 4);
        List<Key> keys = new ArrayList<>(List.of(new Key("c", "k", 2, d, "b"), new Key("c", "k", 2, d, "a"), new Key("c", "k", 1, d.plusDays(1), ""),
                new Key("c", "j", 9, d, ""), new Key("b", "z", 1, d, ""), new Key("c", "k", 10, d, "")));
        keys.sort(ActivityRecorder.LOCK_ORDER);
        assertEquals(List.of(new Key("b", "z", 1, d, ""), new Key("c", "j", 9, d, ""), new Key("c", "k", 2, d, "a"), new Key("c", "k", 2, d, "b"),
                new Key("c", "k", 10, d, ""), new Key("c", "k", 1, d.plusDays(1), "")), keys);
    }

    @Test
    void weeksBeginOnMondayInTheCoursesZone() {
        ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
        // Sunday 10 March 23:30 UTC is already Monday 11 March in Amsterdam.
        assertEquals(LocalDate.of(2030, 3, 11), WeekSummaries.weekStart(Instant.parse("2030-03-10T23:30:00Z"), amsterdam));
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-10T22:30:00Z"), amsterdam));
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-04T00:00:00Z"), amsterdam));
        assertEquals(LocalDate.of(2030, 3, 11), WeekSummaries.weekStart(Instant.parse("2030-03-11T07:00:00Z"), ZoneId.of("America/New_York")));
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-11T03:00:00Z"), ZoneId.of("America/New_York")));
    }

    /** The cost on a hot page: one recording is a map update; printed, and bounded loosely so a regression shows. */
    @Test
    void recordingIsAnInMemoryIncrement() {
        ActivityRecorder r = recorder(ActivityRecorder.DEFAULT_MAX_KEYS);
        List<CohortAccess> people = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            people.add(new CohortAccess(new org.knowmad.web.Viewer(new org.knowmad.account.Account(i + 1, "p" + i + "@x.org", "P", null), "c", false),
                    PulseRulesTest.REF, false, java.util.Optional.of(new org.knowmad.cohort.Enrolled("c", "k", i + 1, Instant.EPOCH, false))));
        }
        int n = 2_000_000;
        for (int i = 0; i < n / 4; i++) r.record(people.get(i % 1_000), "week-1", Kind.READS); // warm up
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) r.record(people.get(i % 1_000), "week-1", Kind.READS);
        double nsPerRecord = (System.nanoTime() - start) / (double) n;
        System.out.printf("pulse: %.0f ns per recorded event (%d events over 1,000 keys)%n", nsPerRecord, n);
        assertEquals(1_000, r.status().pendingKeys());
        assertTrue(nsPerRecord < 5_000, nsPerRecord + " ns per event");
    }
}
