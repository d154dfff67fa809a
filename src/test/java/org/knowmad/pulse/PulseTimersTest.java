package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.App;
import org.knowmad.Config;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;

/** On a node with its timers on, counts reach the database by themselves every few seconds, and when the node stops. */
class PulseTimersTest {

    private Vertx vertx;
    private DatabaseTarget db;
    private App app;
    private final MutableClock clock = new MutableClock(ActivityHttpTest.TUESDAY);

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
    }

    @AfterEach
    void stop() {
        if (app != null) Await.await(app.stop());
        Await.await(vertx.close());
    }

    private App node(long pulseMillis) {
        Config config = new Config(db.url(), 0, "http://localhost", Fixtures.coursesCopy(), null, "test-secret-shared-by-nodes", Fixtures.tempDir(), 3);
        return Await.await(App.start(vertx, config, clock, db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new App.Timers(0, 0, 0, pulseMillis)));
    }

    private int visits() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(visits), 0) FROM activity_day")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void visitAsParticipant(App node, String email) {
        String token = Await.await(new org.knowmad.account.SigninService(node.pool(), clock, new org.knowmad.notify.Outbox(),
                new org.knowmad.account.AccountStore(), new org.knowmad.account.SessionStore(), new org.knowmad.web.Messages(), "http://localhost")
                .createApiToken(email, "test"));
        WebClient web = WebClient.create(vertx);
        HttpResponse<Buffer> joined = Await.await(web.post(node.port(), "localhost", "/api/v1/courses/demo/spring/enrolment")
                .bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("acceptGuidelines", true)));
        assertEquals(200, joined.statusCode(), joined.bodyAsString());
        assertEquals(200, Await.await(web.request(HttpMethod.GET, node.port(), "localhost", "/courses/demo/spring")
                .bearerTokenAuthentication(token).send()).statusCode());
    }

    @Test
    void theTimerFlushesWithoutBeingAsked() throws Exception {
        app = node(100);
        visitAsParticipant(app, "ann@example.org");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (visits() == 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("not flushed within 10 s");
            Thread.sleep(50);
        }
        assertEquals(1, visits());
    }

    @Test
    void stoppingANodeWritesWhatItCounted() throws Exception {
        app = node(3_600_000);
        visitAsParticipant(app, "bob@example.org");
        assertEquals(0, visits(), "the hourly timer has not run");
        Await.await(app.stop());
        app = null;
        assertEquals(1, visits());
    }
}
