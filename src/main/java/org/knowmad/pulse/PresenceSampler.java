package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.knowmad.live.StreamHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a minute, on the minute, writes how many distinct people have an event stream of each cohort open on this
 * node ({@code presence_minute}, one statement). Every node writes its own rows under its own name; the cohort's
 * online count at a minute is the sum over nodes, so someone with pages open on two nodes counts twice.
 */
public final class PresenceSampler {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceSampler.class);
    private static final long MINUTE = 60_000;

    /** How sampling stands, for {@code /health}. */
    public record Status(boolean ok, Instant lastSample, Instant lastFailure) {
    }

    private final Vertx vertx;
    private final Pool pool;
    private final Clock clock;
    private final StreamHub streams;
    private final ActivityStore store;
    private final String node;
    private volatile long timer = -1;
    private volatile boolean stopped;
    private volatile boolean ok = true;
    private volatile Instant lastSample;
    private volatile Instant lastFailure;

    public PresenceSampler(Vertx vertx, Pool pool, Clock clock, StreamHub streams, ActivityStore store, String node) {
        this.vertx = vertx;
        this.pool = pool;
        this.clock = clock;
        this.streams = streams;
        this.store = store;
        this.node = node;
    }

    /** A name for this node, new at every start: the host's name and a random suffix (two nodes may share a host). */
    public static String newNodeName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) host = "node";
        return host.strip() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24, 1 << 30), 36);
    }

    public String node() {
        return node;
    }

    /** Samples at every minute boundary of the clock from now on. */
    public void start() {
        if (stopped) return;
        long now = clock.millis();
        timer = vertx.setTimer(Math.max(1, MINUTE - Math.floorMod(now, MINUTE)), id -> {
            sampleOnce();
            start();
        });
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) vertx.cancelTimer(timer);
        timer = -1;
    }

    /**
     * Writes this node's counts for the minute nearest the clock (a timer a little early or late still names its
     * boundary); answers how many cohorts had someone online. Nothing is written when nobody is.
     */
    public Future<Integer> sampleOnce() {
        long now = clock.millis();
        Instant minute = Instant.ofEpochMilli(Math.floorDiv(now + MINUTE / 2, MINUTE) * MINUTE);
        Map<StreamHub.Cohort, Integer> people = streams.onlinePeople();
        if (people.isEmpty()) {
            lastSample = minute;
            ok = true;
            return Future.succeededFuture(0);
        }
        return store.presence(pool, node, minute, people).map(v -> {
            lastSample = minute;
            ok = true;
            return people.size();
        }).onFailure(e -> {
            if (ok) LOG.warn("pulse: presence for {} not written: {}", minute, e.toString());
            ok = false;
            lastFailure = clock.instant();
        });
    }

    public Status status() {
        return new Status(ok, lastSample, lastFailure);
    }
}
