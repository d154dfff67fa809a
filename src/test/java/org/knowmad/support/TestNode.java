package org.knowmad.support;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.knowmad.App;
import org.knowmad.Config;
import org.knowmad.db.DatabaseTarget;

/** One Knowmad node for a test: real HTTP on a free port, a real database, a hand-moved clock, no timers. */
public final class TestNode implements AutoCloseable {

    public final App app;
    public final Vertx vertx;
    public final MutableClock clock;

    private TestNode(App app, Vertx vertx, MutableClock clock) {
        this.app = app;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** A node on a fresh database serving a copy of the demo test course. */
    public static TestNode demo(Vertx vertx, MutableClock clock) {
        return start(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), clock, Fixtures.tempDir());
    }

    /**
     * The same listening as {@code java -jar} does, one HTTP server per core on a fixed port (a test node's port 0
     * gives a single server), for the benchmarks that measure what a real node can do.
     */
    public static TestNode demoLikeServer(Vertx vertx, MutableClock clock) {
        return demoLikeServer(vertx, clock, Fixtures.coursesCopy());
    }

    /** The same, on the given copy of the test courses. */
    public static TestNode demoLikeServer(Vertx vertx, MutableClock clock, Path coursesDir) {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return start(vertx, TestDatabase.fresh(), coursesDir, clock, Fixtures.tempDir(), null, org.knowmad.Rules.standard(), port);
    }

    public static TestNode start(Vertx vertx, DatabaseTarget db, Path coursesDir, MutableClock clock, Path dataDir) {
        return start(vertx, db, coursesDir, clock, dataDir, null);
    }

    public static TestNode start(Vertx vertx, DatabaseTarget db, Path coursesDir, MutableClock clock, Path dataDir, String smtpUrl) {
        return start(vertx, db, coursesDir, clock, dataDir, smtpUrl, org.knowmad.Rules.standard());
    }

    /** A node deciding by the given rules (a test of the access matrix breaks one on purpose). */
    public static TestNode start(Vertx vertx, DatabaseTarget db, Path coursesDir, MutableClock clock, Path dataDir, String smtpUrl,
                                 org.knowmad.Rules rules) {
        return start(vertx, db, coursesDir, clock, dataDir, smtpUrl, rules, 0);
    }

    private static TestNode start(Vertx vertx, DatabaseTarget db, Path coursesDir, MutableClock clock, Path dataDir, String smtpUrl,
                                  org.knowmad.Rules rules, int port) {
        Config config = new Config(db.url(), port, "http://localhost", coursesDir, smtpUrl, "test-secret-shared-by-nodes", dataDir, 3);
        App app = Await.await(App.start(vertx, config, clock, db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), App.Timers.NONE,
                rules));
        return new TestNode(app, vertx, clock);
    }

    public int port() {
        return app.port();
    }

    public Browser browser() {
        return new Browser(vertx, port());
    }

    @Override
    public void close() {
        Await.await(app.stop());
    }
}
