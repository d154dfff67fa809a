package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.knowmad.db.DatabaseTarget;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** The live channel's connection is cut (the database keeps running): it comes back, and pages are told to catch up. */
class LiveChannelTest {

    private Vertx vertx;
    private DatabaseTarget db;
    private TestNode node;
    private MutableClock clock;
    private WebClient web;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.start(vertx, db, Fixtures.coursesCopy(), clock, Fixtures.tempDir());
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        node.close();
        Await.await(vertx.close());
    }

    @Test
    void aCutListenConnectionReconnectsEveryTimeAndOpenStreamsResync() throws Exception {
        ApiUser writer = ApiUser.joined(node, clock, "writer@example.org", "spring");
        ApiUser reader = ApiUser.joined(node, clock, "reader@example.org", "spring");
        long thread = writer.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Cut").put("body", "first")).bodyAsJsonObject().getLong("id");
        try (SseClient stream = SseClient.connect(vertx, node.port(), "/courses/demo/spring/threads/" + thread + "/events",
                "Authorization", "Bearer " + reader.token());
             SseClient cohortHome = SseClient.connect(vertx, node.port(), "/courses/demo/spring/events",
                "Authorization", "Bearer " + reader.token())) {
            // Not once (the old code retried once and then gave up) but every time.
            for (int cut = 1; cut <= 3; cut++) {
                long started = System.nanoTime();
                assertEquals(1, terminateListenConnection(), "one LISTEN connection per node");
                awaitReconnects(cut);
                System.out.printf("LISTEN cut %d: back in %d ms%n", cut, Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
            // Every open stream of the node hears it, whatever its address and filter.
            assertTrue(stream.awaitText("event: resync").contains("event: resync"));
            assertTrue(cohortHome.awaitText("event: resync").contains("event: resync"));
            assertEquals(201, writer.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "still live")).statusCode());
            stream.awaitText("\"number\":2");
        }
    }

    @Test
    void healthReportsEachDependencyAndMetricsExportThem() {
        // A mail due 90 s ago that nobody sent yet (no mail timer runs in tests).
        Await.await(new Outbox().enqueue(node.app.pool(), new Mail("someone@example.org", "Hi", "Hello", "health-test"), clock.instant()));
        clock.advance(Duration.ofSeconds(90));

        HttpResponse<Buffer> health = get("/health");
        assertEquals(200, health.statusCode(), health.bodyAsString());
        assertEquals("no-store", health.getHeader("Cache-Control"));
        JsonObject body = health.bodyAsJsonObject();
        assertEquals("up", body.getString("status"));
        assertEquals("up", body.getString("database"));
        assertEquals("up", body.getString("live"));
        assertEquals("up", body.getString("outbox"));
        JsonObject checks = body.getJsonObject("checks");
        assertTrue(checks.getJsonObject("database").getLong("millis") >= 0);
        assertEquals(0L, checks.getJsonObject("live").getLong("reconnects"));
        assertTrue(checks.getJsonObject("live").getString("since") != null);
        assertEquals(90L, checks.getJsonObject("outbox").getLong("oldestDueSeconds"));

        String metrics = get("/metrics").bodyAsString();
        assertTrue(metrics.contains("knowmad_live_up 1.0"), metrics);
        assertTrue(metrics.contains("knowmad_database_up 1.0"), metrics);
        assertTrue(metrics.contains("knowmad_outbox_oldest_due_seconds 90.0"), metrics);
        assertTrue(metrics.contains("knowmad_live_streams 0.0"), metrics);
    }

    @Test
    void anEmptyOutboxIsZeroSecondsBehind() {
        assertEquals(0L, get("/health").bodyAsJsonObject().getJsonObject("checks").getJsonObject("outbox").getLong("oldestDueSeconds"));
    }

    /** What a failover or an idle-connection killer does to the LISTEN connection. */
    private int terminateListenConnection() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND application_name = '" + LiveEvents.APPLICATION_NAME + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void awaitReconnects(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject live = get("/health").bodyAsJsonObject().getJsonObject("checks").getJsonObject("live");
            if (live.getLong("reconnects") == count && "up".equals(live.getString("status"))) return;
            Thread.sleep(200);
        }
        throw new AssertionError("the live channel did not reconnect a " + count + "th time within 5 s");
    }

    private HttpResponse<Buffer> get(String path) {
        return Await.await(web.get(node.port(), "localhost", path).send());
    }
}
