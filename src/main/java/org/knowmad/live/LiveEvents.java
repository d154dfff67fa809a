package org.knowmad.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out between nodes: a transaction anywhere does {@code NOTIFY knowmad_events}; every node
 * LISTENs on one dedicated connection and republishes each event on its local event bus, where
 * server-sent-event streams pick them up.
 *
 * <p>The channel heals itself: when the connection drops (database restarted, network cut) it reconnects
 * forever with capped exponential backoff, and after every reconnect it runs the {@link #onReconnect}
 * hook, because notifications sent while nobody listened are gone and open pages must catch up.
 */
public final class LiveEvents {

    public static final String CHANNEL = "knowmad_events";
    public static final String APPLICATION_NAME = "knowmad-live";
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    /** First retry soon (a blip), doubling up to the cap, so the channel is back at most ~2 s after the database is. */
    static final long FIRST_RETRY_MILLIS = 250;
    static final long MAX_RETRY_MILLIS = 2_000;
    /** A connect attempt to a host that does not answer at all must not hold the next attempt back for a minute. */
    static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    /**
     * A connection whose server vanished without closing it (a cut network) never fires its close handler, so it
     * is asked a trivial question now and then; no answer in time means it is dead.
     */
    static final long PROBE_MILLIS = 10_000;
    static final long PROBE_TIMEOUT_MILLIS = 5_000;

    /** What {@code /health} and {@code /metrics} show of the channel. */
    public record State(boolean up, Instant since, long reconnects) {
    }

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Clock clock;
    // Every callback of the channel runs on this one context, so its fields need no locks.
    private final Context context;
    private PgConnection connection;
    private Runnable onReconnect = () -> { };
    private volatile boolean closed;
    private long retryTimer = -1;
    private long probeTimer = -1;
    private int failedAttempts;
    private long downAtNanos; // for the log line only: the injected clock may stand still in tests
    // Written on the event loop, read by /health and /metrics from any thread.
    private volatile State state;

    public LiveEvents(Vertx vertx, PgConnectOptions options, Clock clock) {
        this.vertx = vertx;
        // Named, so that pg_stat_activity shows which connection carries the live channel.
        this.options = new PgConnectOptions(options);
        this.options.addProperty("application_name", APPLICATION_NAME);
        this.clock = clock;
        this.context = vertx.getOrCreateContext();
        this.state = new State(false, clock.instant(), 0);
    }

    /** Event-bus address for a cohort's events. */
    public static String cohortAddress(String courseId, String cohortId) {
        return "cohort:" + courseId + "/" + cohortId;
    }

    /** Runs after every reconnect (not after the first connect), on an event loop. */
    public LiveEvents onReconnect(Runnable hook) {
        this.onReconnect = hook;
        return this;
    }

    public State state() {
        return state;
    }

    /** Waiting this long before attempt {@code failures + 1}: 250 ms, 500 ms, 1 s, 2 s, 2 s, ... */
    static long backoffMillis(int failures) {
        long delay = FIRST_RETRY_MILLIS << Math.min(failures, 10);
        return Math.min(delay, MAX_RETRY_MILLIS);
    }

    /** The first connection: the node does not start without it (the database was just migrated, so it answers). */
    public Future<Void> start() {
        Promise<Void> started = Promise.promise();
        context.runOnContext(x -> {
            probeTimer = vertx.setPeriodic(PROBE_MILLIS, id -> probe());
            connect().onSuccess(v -> up(false)).onFailure(e -> {
                closed = true; // the node is not starting: nothing to heal
                vertx.cancelTimer(probeTimer);
            }).onComplete(started);
        });
        return started.future();
    }

    private Future<Void> connect() {
        Future<PgConnection> connecting = PgConnection.connect(vertx, options);
        return connecting.timeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .onFailure(e -> connecting.onSuccess(PgConnection::close)) // it answered too late: let it go
                .compose(conn -> {
                    if (closed) return conn.close();
                    connection = conn;
                    conn.notificationHandler(n -> {
                        if (!CHANNEL.equals(n.getChannel())) return;
                        try {
                            JsonObject event = new JsonObject(n.getPayload());
                            String course = event.getString("course");
                            String cohort = event.getString("cohort");
                            if (course != null && cohort != null) vertx.eventBus().publish(cohortAddress(course, cohort), event);
                        } catch (RuntimeException e) {
                            LOG.warn("Ignoring malformed live event: {}", n.getPayload());
                        }
                    });
                    // A server going down says so (57P01) before closing; the close handler does the rest.
                    conn.exceptionHandler(e -> LOG.debug("Live channel: {}", e.toString()));
                    conn.closeHandler(v -> {
                        if (connection == conn) connection = null;
                        if (!closed) down("connection closed");
                    });
                    return conn.query("LISTEN " + CHANNEL).execute()
                            .onFailure(e -> conn.close())
                            .<Void>mapEmpty();
                });
    }

    private void up(boolean reconnect) {
        State was = state;
        Instant now = clock.instant();
        state = new State(true, now, was.reconnects() + (reconnect ? 1 : 0));
        if (reconnect) {
            LOG.info("Live channel up again after {} ms down and {} failed attempts",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAtNanos), failedAttempts);
            onReconnect.run();
        }
        failedAttempts = 0;
    }

    /** Logs the fall once; the attempts that follow are quiet until one succeeds. */
    private void down(String why) {
        if (state.up()) {
            state = new State(false, clock.instant(), state.reconnects());
            downAtNanos = System.nanoTime();
            LOG.warn("Live channel down ({}); reconnecting until the database answers", why);
        }
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (closed || retryTimer >= 0) return;
        retryTimer = vertx.setTimer(backoffMillis(failedAttempts), id -> {
            retryTimer = -1;
            if (closed || connection != null) return;
            connect().onComplete(ar -> {
                if (ar.succeeded()) {
                    up(true);
                } else {
                    failedAttempts++;
                    LOG.debug("Live channel reconnect attempt {} failed: {}", failedAttempts, ar.cause().toString());
                    scheduleRetry();
                }
            });
        });
    }

    private void probe() {
        PgConnection conn = connection;
        if (conn == null || closed) return;
        conn.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).onFailure(e -> {
            if (connection != conn) return;
            LOG.warn("Live channel does not answer ({}); dropping the connection", e.toString());
            conn.close(); // fires the close handler, which reconnects
        });
    }

    public Future<Void> close() {
        closed = true;
        Promise<Void> done = Promise.promise();
        context.runOnContext(x -> {
            if (retryTimer >= 0) vertx.cancelTimer(retryTimer);
            if (probeTimer >= 0) vertx.cancelTimer(probeTimer);
            PgConnection conn = connection;
            connection = null;
            (conn == null ? Future.<Void>succeededFuture() : conn.close()).onComplete(done);
        });
        return done.future();
    }
}
