package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
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
 * Drill: the node's PostgreSQL really stops for more than five seconds and comes back on the same port and data.
 * Meanwhile the node says so (health 503) and refuses politely (503 + Retry-After, not a bare 500); afterwards
 * open pages are told to catch up and live updates flow again, all without a restart.
 */
class DatabaseOutageDrillTest {

    private static final long OUTAGE_MILLIS = 5_500;

    private Path pgData;
    private int pgPort;
    private EmbeddedPostgres pg;
    private Vertx vertx;
    private TestNode node;
    private MutableClock clock;
    private WebClient web;

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
        DatabaseTarget db = new DatabaseTarget("localhost", pgPort, "knowmad", "postgres", null);
        Migrations.migrate(db);
        vertx = Vertx.vertx();
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
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

    @Test
    void liveUpdatesResumeAndPagesCatchUpAfterAFiveSecondOutage() throws Exception {
        ApiUser writer = ApiUser.joined(node, clock, "writer@example.org", "spring");
        ApiUser reader = ApiUser.joined(node, clock, "reader@example.org", "spring");
        long thread = writer.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Through the outage").put("body", "first")).bodyAsJsonObject().getLong("id");
        String posts = "/api/v1/threads/" + thread + "/posts";
        assertEquals(200, get("/health").statusCode());

        try (SseClient stream = SseClient.connect(vertx, node.port(), "/courses/demo/spring/threads/" + thread + "/events",
                "Authorization", "Bearer " + reader.token())) {
            pg.close();
            long down = System.nanoTime();
            pg = null;

            // The node notices and says so within a moment (health answers are reused for a second).
            HttpResponse<Buffer> health = awaitHealth(503);
            JsonObject report = health.bodyAsJsonObject();
            assertEquals("down", report.getString("status"));
            assertEquals("down", report.getString("database"));
            assertEquals("down", report.getString("live"));
            assertEquals("5", health.getHeader("Retry-After"));
            String metrics = get("/metrics").bodyAsString();
            assertTrue(metrics.contains("knowmad_live_up 0.0"), metrics);
            assertTrue(metrics.contains("knowmad_database_up 0.0"), metrics);

            // Requests that need the database: 503 with Retry-After, as problem JSON for the API...
            HttpResponse<Buffer> api = writer.call(HttpMethod.POST, posts, new JsonObject().put("body", "while down"));
            assertEquals(503, api.statusCode(), api.bodyAsString());
            assertEquals("5", api.getHeader("Retry-After"));
            assertEquals("application/problem+json", api.getHeader("Content-Type"));
            assertEquals("error.unavailable", api.bodyAsJsonObject().getString("code"));
            // ...and as a page in the reader's language.
            HttpResponse<Buffer> page = Await.await(web.get(node.port(), "localhost", "/courses/demo/spring/threads/" + thread)
                    .putHeader("Accept", "text/html").putHeader("Accept-Language", "nl")
                    .putHeader("Authorization", "Bearer " + reader.token()).send());
            assertEquals(503, page.statusCode());
            assertEquals("5", page.getHeader("Retry-After"));
            assertTrue(page.bodyAsString().contains("We kunnen onze database even niet bereiken"), page.bodyAsString());
            // A new event stream is refused the same way (knowmad.js opens it again later).
            assertEquals(503, get("/courses/demo/spring/threads/" + thread + "/events").statusCode());

            long left = OUTAGE_MILLIS - Duration.ofNanos(System.nanoTime() - down).toMillis();
            if (left > 0) Thread.sleep(left);
            assertEquals(503, get("/health").statusCode(), "still down after five seconds");

            pg = startPostgres();
            long back = System.nanoTime();

            // The open page is told to catch up, and a reply written now reaches it live.
            stream.awaitText("event: resync");
            long resyncMillis = Duration.ofNanos(System.nanoTime() - back).toMillis();
            assertTrue(resyncMillis <= 5_000, "resync " + resyncMillis + " ms after the database came back");
            assertEquals(201, writer.call(HttpMethod.POST, posts, new JsonObject().put("body", "after the outage")).statusCode());
            stream.awaitText("\"number\":2");
            long liveMillis = Duration.ofNanos(System.nanoTime() - back).toMillis();
            assertTrue(liveMillis <= 5_000, "live again " + liveMillis + " ms after the database came back");
            System.out.printf("outage drill: resync %d ms and a reply live %d ms after recovery%n", resyncMillis, liveMillis);
        }

        HttpResponse<Buffer> health = awaitHealth(200);
        JsonObject live = health.bodyAsJsonObject().getJsonObject("checks").getJsonObject("live");
        assertEquals("up", live.getString("status"));
        assertEquals(1L, live.getLong("reconnects"));
        // The catch-up fetch a page makes on resync shows the reply; the one refused during the outage never happened.
        String fragment = reader.call(HttpMethod.GET, "/courses/demo/spring/threads/" + thread + "/posts?after=1", null).bodyAsString();
        assertTrue(fragment.contains("after the outage"), fragment);
        assertTrue(!fragment.contains("while down"), fragment);
    }

    private HttpResponse<Buffer> awaitHealth(int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (true) {
            HttpResponse<Buffer> health = get("/health");
            if (health.statusCode() == status || System.nanoTime() > deadline) {
                assertEquals(status, health.statusCode(), health.bodyAsString());
                return health;
            }
            Thread.sleep(100);
        }
    }

    private HttpResponse<Buffer> get(String path) {
        return Await.await(web.get(node.port(), "localhost", path).send());
    }
}
