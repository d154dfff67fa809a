package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Migrations;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestNode;

/**
 * The node's PostgreSQL really stops while counts wait in memory: flushes and presence samples fail without losing
 * or doubling anything, {@code /health} says so (without taking the node out for it), and once the database is back
 * the next flush writes exactly what was counted.
 */
class ActivityOutageTest {

    private Path pgData;
    private int pgPort;
    private EmbeddedPostgres pg;
    private Vertx vertx;
    private TestNode node;
    private MutableClock clock;
    private WebClient web;
    private DatabaseTarget db;

    @BeforeEach
    void start() throws Exception {
        pgData = Fixtures.tempDir().resolve("pgdata");
        try (ServerSocket s = new ServerSocket(0)) {
            pgPort = s.getLocalPort();
        }
        pg = startPostgres();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE knowmad");
        }
        db = new DatabaseTarget("localhost", pgPort, "knowmad", "postgres", null);
        Migrations.migrate(db);
        vertx = Vertx.vertx();
        clock = new MutableClock(ActivityHttpTest.TUESDAY);
        node = TestNode.start(vertx, db, Fixtures.coursesCopy(), clock, Fixtures.tempDir());
        web = WebClient.create(vertx);
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    @AfterEach
    void stop() throws IOException {
        if (node != null) node.close();
        if (vertx != null) Await.await(vertx.close());
        if (pg != null) pg.close();
    }

    private int reads() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(reads), 0) FROM activity_day WHERE module_id = 'week-1'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private JsonObject pulseHealth() {
        HttpResponse<Buffer> health = Await.await(web.get(node.port(), "localhost", "/health").send());
        return health.bodyAsJsonObject().getJsonObject("checks").getJsonObject("pulse");
    }

    private static Throwable failure(Future<?> f) {
        try {
            Await.await(f);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the write to fail while the database is down");
    }

    @Test
    void countsWaitThroughAnOutageAndAreWrittenOnceAfterIt() throws Exception {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        long annId = ann.call(io.vertx.core.http.HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
        String module = "/courses/demo/spring/modules/week-1";
        HttpResponse<Buffer> page = Await.await(web.get(node.port(), "localhost", module).bearerTokenAuthentication(ann.token()).send());
        assertEquals(200, page.statusCode());
        Await.await(node.app.activity().flush());
        assertEquals(1, reads());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Await.await(web.get(node.port(), "localhost", module).bearerTokenAuthentication(ann.token()).send()).statusCode());
        }
        SseClient stream = SseClient.connect(vertx, node.port(), "/courses/demo/spring/events", "Authorization", "Bearer " + ann.token());
        assertEquals("up", pulseHealth().getString("status"));

        pg.close();
        pg = null;
        ActivityRecorder activity = node.app.activity();
        ActivityRecorder.Key key = new ActivityRecorder.Key("demo", "spring", annId, LocalDate.of(2030, 3, 19), "week-1");
        failure(activity.flush());
        failure(activity.flush()); // twice: what waits is kept once, not doubled
        assertEquals(3, activity.pending(key, ActivityRecorder.Kind.READS), "kept in memory, merged");
        assertEquals(1, activity.status().pendingKeys());
        failure(node.app.presence().sampleOnce());
        Thread.sleep(1_100); // /health reuses an answer for a second
        JsonObject down = pulseHealth();
        assertEquals("down", down.getString("status"), down.encode());
        assertEquals(1, down.getInteger("pendingKeys"));
        assertEquals(0, down.getInteger("dropped"));
        assertEquals("down", down.getString("presence"));

        pg = startPostgres();
        // The pool reconnects on its own; the next flushes (every few seconds on a live node) write what waited.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                Await.await(activity.flush());
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(200);
            }
        }
        assertEquals(4, reads(), "1 before the outage and 3 during it, each once");
        assertEquals(0, activity.status().pendingKeys());
        Await.await(node.app.presence().sampleOnce());
        Thread.sleep(1_100);
        JsonObject up = pulseHealth();
        assertEquals("up", up.getString("status"), up.encode());
        assertTrue(up.containsKey("lastFlushFailure") && up.containsKey("lastSampleFailure"), up.encode());
        stream.close();
    }
}
