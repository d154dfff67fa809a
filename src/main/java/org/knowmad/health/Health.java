package org.knowmad.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.knowmad.live.LiveEvents;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.pulse.PresenceSampler;

/**
 * {@code /health}: every dependency of the node with its state, 503 while a critical one (database, live
 * channel) is down, so a load balancer stops sending people to a node that would fail them. The same
 * answers feed the {@code /metrics} gauges.
 */
public final class Health {

    /** A dependency that does not answer within this is down: a health probe must answer quickly itself. */
    static final long CHECK_TIMEOUT_MILLIS = 2_000;
    /** Load balancers and scrapers polling often share one round of checks per second instead of queries each. */
    static final long CACHE_MILLIS = 1_000;
    /** What a 503 tells clients; the live channel retries every 2 s at most, so a few seconds is about right. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** One round of checks: {@code checks} maps each name to its JSON. */
    public record Report(boolean up, JsonObject checks) {
    }

    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    private final MeterRegistry metrics;
    private final Supplier<JsonObject> info;
    private Future<Report> latest;
    private long latestAt;
    private volatile Report last = new Report(false, new JsonObject());

    /** {@code info}: extra facts shown on {@code /health} that are not dependencies (number of courses...). */
    public Health(MeterRegistry metrics, Supplier<JsonObject> info) {
        this.metrics = metrics;
        this.info = info;
        Gauge.builder("knowmad.outbox.oldest.due.seconds", this, h -> h.number("outbox", "oldestDueSeconds"))
                .description("Age of the oldest due, unsent mail (0: none waiting)")
                .strongReference(true)
                .register(metrics);
    }

    /** Adds a dependency, with its {@code knowmad_<name>_up} gauge. */
    public Health add(HealthCheck check) {
        checks.add(check);
        Gauge.builder("knowmad." + check.name() + ".up", this, h -> "up".equals(h.status(check.name())) ? 1 : 0)
                .description("1 while " + check.name() + " answers, as last seen by /health or /metrics")
                .strongReference(true)
                .register(metrics);
        return this;
    }

    /**
     * The database answers a trivial query. Give it the pipelined pool: there the probe rides along on a busy
     * connection instead of queueing behind a burst, which would report a merely busy node as down.
     */
    public static HealthCheck database(Pool pool) {
        HealthStore store = new HealthStore();
        return HealthCheck.of("database", true, () -> {
            long start = System.nanoTime();
            return store.ping(pool).map(v -> HealthCheck.up().put("millis", (System.nanoTime() - start) / 1_000_000));
        });
    }

    /** The LISTEN connection that carries live updates between nodes. */
    public static HealthCheck live(LiveEvents live) {
        return HealthCheck.of("live", true, () -> {
            LiveEvents.State s = live.state();
            return Future.succeededFuture((s.up() ? HealthCheck.up() : HealthCheck.down())
                    .put("since", s.since().toString())
                    .put("reconnects", s.reconnects()));
        });
    }

    /**
     * How long the oldest due mail has waited. Never "down" by itself: a backlog is a warning to watch (the gauge),
     * not a reason to take the node out of the load balancer.
     */
    public static HealthCheck outbox(Pool pool, Clock clock) {
        HealthStore store = new HealthStore();
        return HealthCheck.of("outbox", false, () -> {
            Instant now = clock.instant();
            return store.oldestDueMail(pool, now).map(oldest -> HealthCheck.up()
                    .put("oldestDueSeconds", oldest.map(o -> Math.max(0, Duration.between(o, now).toSeconds())).orElse(0L)));
        });
    }

    /**
     * The cohort pulse: whether this node's last activity flush and presence sample reached the database, and how
     * many activity keys wait in memory (and were dropped past the bound). Never critical: while the database is
     * away the counts wait, and nothing a person does depends on them.
     */
    public static HealthCheck pulse(ActivityRecorder activity, PresenceSampler presence) {
        return HealthCheck.of("pulse", false, () -> {
            ActivityRecorder.Status a = activity.status();
            PresenceSampler.Status p = presence.status();
            JsonObject o = (a.ok() && p.ok() ? HealthCheck.up() : HealthCheck.down())
                    .put("pendingKeys", a.pendingKeys()).put("dropped", a.dropped()).put("presence", p.ok() ? "up" : "down");
            if (a.lastFlush() != null) o.put("lastFlush", a.lastFlush().toString());
            if (a.lastFailure() != null) o.put("lastFlushFailure", a.lastFailure().toString());
            if (p.lastSample() != null) o.put("lastSample", p.lastSample().toString());
            if (p.lastFailure() != null) o.put("lastSampleFailure", p.lastFailure().toString());
            return Future.succeededFuture(o);
        });
    }

    /** Runs every check at once, or answers the round that is running or finished less than a second ago. */
    public synchronized Future<Report> refresh() {
        long now = System.nanoTime();
        if (latest != null && (!latest.isComplete() || now - latestAt < TimeUnit.MILLISECONDS.toNanos(CACHE_MILLIS))) return latest;
        latestAt = now;
        List<HealthCheck> round = List.copyOf(checks);
        List<Future<JsonObject>> results = new ArrayList<>();
        for (HealthCheck c : round) results.add(run(c));
        latest = Future.all(results).map(all -> {
            JsonObject byName = new JsonObject();
            boolean up = true;
            for (int i = 0; i < round.size(); i++) {
                JsonObject result = results.get(i).result();
                byName.put(round.get(i).name(), result);
                if (round.get(i).critical() && !"up".equals(result.getString("status"))) up = false;
            }
            Report report = new Report(up, byName);
            last = report;
            return report;
        });
        return latest;
    }

    private static Future<JsonObject> run(HealthCheck check) {
        Future<JsonObject> answer;
        try {
            answer = check.check();
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .map(j -> j != null && j.getString("status") != null ? j : HealthCheck.down())
                .otherwise(e -> HealthCheck.down());
    }

    /** {@code GET /health}. */
    public void handle(RoutingContext ctx) {
        refresh().onComplete(ar -> {
            Report report = ar.succeeded() ? ar.result() : new Report(false, new JsonObject());
            JsonObject body = new JsonObject().put("status", report.up() ? "up" : "down");
            // Each dependency's state at the top (simple to alert on), the details under "checks".
            report.checks().forEach(e -> body.put(e.getKey(), ((JsonObject) e.getValue()).getString("status")));
            body.put("checks", report.checks().copy());
            body.mergeIn(info.get());
            var response = ctx.response().setStatusCode(report.up() ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store");
            if (!report.up()) response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.end(body.encode());
        });
    }

    /** Placed before the Prometheus handler so that a scrape reads fresh gauges. */
    public void beforeMetrics(RoutingContext ctx) {
        refresh().onComplete(ar -> ctx.next());
    }

    private String status(String check) {
        JsonObject result = last.checks().getJsonObject(check);
        return result == null ? null : result.getString("status");
    }

    private double number(String check, String field) {
        JsonObject result = last.checks().getJsonObject(check);
        Object value = result == null ? null : result.getValue(field);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
