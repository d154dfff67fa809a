package org.knowmad.pulse;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peaks of days that are over, kept by this node so a pulse view reads only the presence minutes of yesterday
 * and today. Presence is kept per minute for the course's life (some 2,900 rows a day per node), and nodes write
 * each minute as it passes, so a day that ended more than a day ago no longer changes. Entries are forgotten
 * after an hour, which bounds what a correction or a retention clean-up of old rows takes to show.
 */
final class PeakCache {

    static final Duration KEEP = Duration.ofHours(1);

    /** The peaks of the days up to and including {@code through}, as computed at {@code at}. */
    record Entry(LocalDate through, List<PulseStore.DayPeak> days, Instant at) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The last day that can no longer change on {@code today}: the day before yesterday. */
    static LocalDate finalThrough(LocalDate today) {
        return today.minusDays(2);
    }

    /** The kept final days of a cohort, if they are still current on {@code today} at {@code now}. */
    Entry get(String cohort, LocalDate today, Instant now) {
        Entry e = entries.get(cohort);
        if (e == null || !e.through().equals(finalThrough(today)) || e.at().plus(KEEP).isBefore(now)) return null;
        return e;
    }

    /** Keeps the final days of a full read of the cohort's peaks. */
    void put(String cohort, List<PulseStore.DayPeak> all, LocalDate today, Instant now) {
        LocalDate through = finalThrough(today);
        List<PulseStore.DayPeak> fin = new ArrayList<>();
        for (PulseStore.DayPeak d : all) if (!d.day().isAfter(through)) fin.add(d);
        entries.put(cohort, new Entry(through, List.copyOf(fin), now));
    }

    /** Final days, then the live ones read after them. */
    static List<PulseStore.DayPeak> join(Entry kept, List<PulseStore.DayPeak> live) {
        List<PulseStore.DayPeak> all = new ArrayList<>(kept.days());
        for (PulseStore.DayPeak d : live) if (d.day().isAfter(kept.through())) all.add(d);
        return all;
    }
}
