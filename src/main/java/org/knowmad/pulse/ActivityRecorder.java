package org.knowmad.pulse;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.db.Outages;
import org.knowmad.live.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what participants do in their cohort, in memory on this node, and adds the counts to {@code activity_day}
 * every few seconds (and when the node stops) in one statement. Recording is a map update, never a query, so the
 * busiest pages pay nothing for it. While the database is away the counts stay here, merged per key, and the next
 * flush writes them; memory grows with the number of distinct keys only (person, cohort, module, day), and past
 * {@link #maxKeys} new keys are dropped, logged once.
 */
public final class ActivityRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);

    /** Keys held before new ones are dropped: about 200 bytes each, so some 20 MB at most. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    /** What is counted; each is a column of {@code activity_day}. */
    public enum Kind {
        VISITS, READS, REACTIONS, THREADS, REPLIES, SUBMISSIONS, REVIEWS, REGISTRATIONS, ATTENDANCES;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One row of {@code activity_day}: person, cohort, local day in the course's time zone, module ('' for none). */
    public record Key(String courseId, String cohortId, long accountId, LocalDate day, String moduleId) {
    }

    /** The primary key's order: every node writes its rows in it (see {@link ActivityStore}). */
    static final Comparator<Key> LOCK_ORDER = Comparator.comparing(Key::courseId).thenComparing(Key::cohortId)
            .thenComparing(Key::day).thenComparingLong(Key::accountId).thenComparing(Key::moduleId);

    /** The counts of one key; changed only inside the map's compute for that key. */
    static final class Counts {
        private final int[] n = new int[Kind.values().length];
        private Instant lastAt;

        void add(Kind kind, Instant at) {
            n[kind.ordinal()]++;
            if (lastAt == null || at.isAfter(lastAt)) lastAt = at;
        }

        Counts addAll(Counts other) {
            for (int i = 0; i < n.length; i++) n[i] += other.n[i];
            if (lastAt == null || other.lastAt.isAfter(lastAt)) lastAt = other.lastAt;
            return this;
        }

        int count(int kind) {
            return n[kind];
        }

        int count(Kind kind) {
            return n[kind.ordinal()];
        }

        long total() {
            long sum = 0;
            for (int c : n) sum += c;
            return sum;
        }

        Instant lastAt() {
            return lastAt;
        }
    }

    /** How recording stands, for {@code /health}; {@code dropped}: events lost so far. */
    public record Status(boolean ok, int pendingKeys, long dropped, Instant lastFlush, Instant lastFailure) {
    }

    private final Pool pool;
    private final Clock clock;
    private final ActivityStore store;
    private final PulseRules rules;
    private final int maxKeys;
    private final Map<Key, Counts> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private volatile boolean droppingLogged;
    private volatile boolean failingLogged;
    private volatile Instant lastFlush;
    private volatile Instant lastFailure;
    private volatile boolean ok = true;
    private Future<Void> flushing = Future.succeededFuture();

    public ActivityRecorder(Pool pool, Clock clock, ActivityStore store, PulseRules rules, int maxKeys) {
        this.pool = pool;
        this.clock = clock;
        this.store = store;
        this.rules = rules;
        this.maxKeys = maxKeys;
    }

    /** Counts one {@code kind} for the viewer in their cohort, if the pulse records them there. */
    public void record(CohortAccess access, String moduleId, Kind kind) {
        if (!rules.recorded(access)) return;
        add(access.ref(), access.viewer().accountId(), moduleId, kind);
    }

    /**
     * Counts an attendance for someone an organiser checked in (not the viewer). Whether they are enrolled is checked
     * when the counts are written ({@link PulseRules#recordedSql}).
     */
    public void attended(CohortRef ref, long accountId, String email) {
        if (!rules.recordedAttendee(ref.course().definition(), email)) return;
        add(ref, accountId, "", Kind.ATTENDANCES);
    }

    /** The same test the counts pass, for a stream that shows its viewer online in the cohort; null when it does not. */
    public StreamHub.Presence presence(CohortAccess access) {
        return rules.recorded(access) ? new StreamHub.Presence(access.ref().courseId(), access.ref().cohortId(), access.viewer().accountId()) : null;
    }

    private void add(CohortRef ref, long accountId, String moduleId, Kind kind) {
        Instant now = clock.instant();
        Key key = new Key(ref.courseId(), ref.cohortId(), accountId, day(ref.course().definition().timezone(), now), moduleId == null ? "" : moduleId);
        // Approximate under concurrency (a few keys over), which is all a memory bound needs.
        if (pending.size() >= maxKeys && !pending.containsKey(key)) {
            dropped.incrementAndGet();
            if (!droppingLogged) {
                droppingLogged = true;
                LOG.warn("pulse: {} activity keys wait unwritten; new ones are dropped until a flush succeeds", maxKeys);
            }
            return;
        }
        pending.compute(key, (k, c) -> {
            Counts counts = c == null ? new Counts() : c;
            counts.add(kind, now);
            return counts;
        });
    }

    /** A local day and the instants it spans in one time zone. */
    private record Day(LocalDate date, Instant from, Instant until) {
    }

    /** Per time zone, the local day last asked for: working the day out anew costs more than the rest of a recording. */
    private final Map<String, Day> days = new ConcurrentHashMap<>();

    private LocalDate day(String timezone, Instant now) {
        Day d = days.get(timezone);
        if (d != null && !now.isBefore(d.from()) && now.isBefore(d.until())) return d.date();
        ZoneId zone = ZoneId.of(timezone);
        LocalDate date = LocalDate.ofInstant(now, zone);
        days.put(timezone, new Day(date, date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant()));
        return date;
    }

    /**
     * Writes everything counted so far in one statement, after any flush already running. Fails when the write
     * failed; counts the database could not take because it was unreachable, or because the statement lost a deadlock
     * (two nodes flushing the same people's enrolments), are kept for the next flush.
     */
    public synchronized Future<Void> flush() {
        flushing = flushing.transform(previous -> flushNow());
        return flushing;
    }

    /**
     * The timer's flush: skipped while one is still running (a database that hangs must not queue a flush per tick;
     * what is counted meanwhile goes with the next).
     */
    public synchronized void flushIfIdle() {
        if (flushing.isComplete()) flush();
    }

    private Future<Void> flushNow() {
        if (pending.isEmpty()) return Future.succeededFuture();
        List<Key> keys = new ArrayList<>(pending.keySet());
        keys.sort(LOCK_ORDER);
        List<Map.Entry<Key, Counts>> batch = new ArrayList<>(keys.size());
        for (Key k : keys) {
            // Taken out whole: an event arriving now starts a fresh entry for the next flush.
            Counts c = pending.remove(k);
            if (c != null) batch.add(Map.entry(k, c));
        }
        statements.incrementAndGet();
        return store.add(pool, batch).andThen(ar -> {
            if (ar.succeeded()) {
                rowsWritten.addAndGet(batch.size());
                lastFlush = clock.instant();
                ok = true;
                if (failingLogged || droppingLogged) LOG.info("pulse: activity counts written again");
                failingLogged = false;
                droppingLogged = false;
                return;
            }
            lastFailure = clock.instant();
            ok = false;
            if (Outages.isDatabaseUnavailable(ar.cause()) || Outages.isTransientConflict(ar.cause())) {
                for (Map.Entry<Key, Counts> e : batch) pending.merge(e.getKey(), e.getValue(), Counts::addAll);
                if (!failingLogged) {
                    failingLogged = true;
                    LOG.warn("pulse: database unreachable, {} activity keys kept for the next flush", batch.size());
                }
            } else {
                // A statement the database refuses would be refused again: retrying would only block every later count.
                dropped.addAndGet(batch.stream().mapToLong(e -> e.getValue().total()).sum());
                LOG.error("pulse: activity counts refused, {} keys dropped", batch.size(), ar.cause());
            }
        });
    }

    /** What waits unwritten for one key and kind (tests). */
    int pending(Key key, Kind kind) {
        Counts c = pending.get(key);
        return c == null ? 0 : c.count(kind);
    }

    public Status status() {
        return new Status(ok, pending.size(), dropped.get(), lastFlush, lastFailure);
    }

    /** Statements written so far (one per flush with anything to write). */
    public long statements() {
        return statements.get();
    }

    public void registerMetrics(MeterRegistry metrics) {
        Gauge.builder("knowmad.pulse.pending.keys", pending, Map::size).description("Activity keys counted but not yet written")
                .register(metrics);
        FunctionCounter.builder("knowmad.pulse.dropped", dropped, AtomicLong::get)
                .description("Activity events dropped (memory bound reached, or refused by the database)").register(metrics);
        FunctionCounter.builder("knowmad.pulse.flushes", statements, AtomicLong::get)
                .description("Activity flushes, one statement each").register(metrics);
        FunctionCounter.builder("knowmad.pulse.rows", rowsWritten, AtomicLong::get)
                .description("Activity rows added or updated").register(metrics);
    }
}
