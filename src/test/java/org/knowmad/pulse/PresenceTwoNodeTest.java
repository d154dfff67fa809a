package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.live.StreamHub;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Presence over two nodes on one database: 25 people with live pages open (13 on one node, 12 on the other, some
 * with two tabs) are 25 online in the minute's rows summed over nodes; facilitators and visitors are not counted;
 * someone on both nodes counts twice (documented); closing pages lowers the next minute.
 */
class PresenceTwoNodeTest {

    /** 11:01 in Amsterdam on a Tuesday of the café course's autumn cohort (the spring cohort's weeks are all open). */
    static final Instant MINUTE = Instant.parse("2030-09-03T09:01:00Z");

    private Vertx vertxA;
    private Vertx vertxB;
    private TestNode a;
    private TestNode b;
    private MutableClock clock;
    private final List<SseClient> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        clock = new MutableClock(MINUTE);
        a = TestNode.start(vertxA, db, courses, clock, Fixtures.tempDir());
        b = TestNode.start(vertxB, db, courses, clock, Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        streams.forEach(SseClient::close);
        a.close();
        b.close();
        Await.await(vertxA.close());
        Await.await(vertxB.close());
    }

    private SseClient open(TestNode node, ApiUser who, String path) {
        SseClient s = SseClient.connect(node.vertx, node.port(), path, "Authorization", "Bearer " + who.token());
        streams.add(s);
        return s;
    }

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(a.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    /** The rows of one minute: "course/cohort node" → people. */
    private Map<String, Integer> minute(Instant at) {
        Map<String, Integer> rows = new TreeMap<>();
        for (Row r : sql("SELECT * FROM presence_minute WHERE minute = $1", at.atOffset(java.time.ZoneOffset.UTC))) {
            String node = r.getString("node").equals(a.app.presence().node()) ? "A" : r.getString("node").equals(b.app.presence().node()) ? "B" : "?";
            rows.put(r.getString("course_id") + "/" + r.getString("cohort_id") + " " + node, r.getInteger("people"));
        }
        return rows;
    }

    private long online(Instant at, String course, String cohort) {
        return sql("SELECT coalesce(sum(people), 0) FROM presence_minute WHERE minute = $1 AND course_id = $2 AND cohort_id = $3",
                at.atOffset(java.time.ZoneOffset.UTC), course, cohort).get(0).getLong(0);
    }

    private void sampleBoth() {
        Await.await(a.app.presence().sampleOnce());
        Await.await(b.app.presence().sampleOnce());
    }

    /** Streams close asynchronously on the server: waits until this node counts {@code expected} in the cohort. */
    private static void awaitOnline(TestNode node, String course, String cohort, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        StreamHub.Cohort key = new StreamHub.Cohort(course, cohort);
        while (true) {
            int now = node.app.streams().onlinePeople().getOrDefault(key, 0);
            if (now == expected) return;
            if (System.nanoTime() > deadline) throw new AssertionError(now + " online, expected " + expected);
            Thread.sleep(20);
        }
    }

    @Test
    void twentyFivePeopleOnTwoNodesAreTwentyFiveOnline() throws InterruptedException {
        List<ApiUser> people = new ArrayList<>();
        for (int i = 0; i < 25; i++) people.add(ApiUser.joined(a, clock, "live" + i + "@example.org", "spring"));
        long thread = people.get(0).call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Live").put("body", "first")).bodyAsJsonObject().getLong("id");
        String cohortStream = "/courses/demo/spring/events";
        String threadStream = "/courses/demo/spring/threads/" + thread + "/events";
        // 13 people on A, 12 on B, each on the cohort page or a thread; five of them with a second tab on the same node.
        Map<Integer, List<SseClient>> tabs = new TreeMap<>();
        for (int i = 0; i < 25; i++) {
            TestNode node = i < 13 ? a : b;
            ApiUser who = i < 13 ? people.get(i) : people.get(i).on(b);
            List<SseClient> mine = new ArrayList<>();
            mine.add(open(node, who, i % 2 == 0 ? cohortStream : threadStream));
            if (i < 3 || (i >= 13 && i < 15)) mine.add(open(node, who, threadStream));
            tabs.put(i, mine);
        }
        // Not counted: the facilitator (on both nodes); counted elsewhere: a member of another cohort, two café registrants.
        ApiUser fac = ApiUser.create(a, clock, "fac@example.org");
        open(a, fac, cohortStream);
        open(b, fac.on(b), threadStream);
        ApiUser eve = ApiUser.joined(a, clock, "eve@example.org", "small");
        open(b, eve.on(b), "/courses/demo/small/events");
        for (int i = 0; i < 2; i++) {
            ApiUser guest = ApiUser.create(a, clock, "cafe" + i + "@example.org");
            assertEquals(200, guest.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
            assertEquals("confirmed", guest.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/meetup/registration", null).bodyAsJsonObject().getString("status"));
            open(b, guest.on(b), "/courses/cafe/autumn/meetup/events");
        }
        assertEquals(30 + 2 + 1 + 2, a.app.streams().openStreams() + b.app.streams().openStreams(),
                "30 participants' streams, the facilitator's 2, Eve's and the café's 2");

        // A timer a few milliseconds early still writes its minute.
        clock.set(MINUTE.minusMillis(3));
        sampleBoth();
        assertNotEquals(a.app.presence().node(), b.app.presence().node(), "every node writes under its own name");
        assertEquals(Map.of("demo/spring A", 13, "demo/spring B", 12, "demo/small B", 1, "cafe/autumn B", 2), minute(MINUTE));
        assertEquals(25, online(MINUTE, "demo", "spring"));

        // The next minute Live0 also opens the thread on node B: each node counts him, so the sum counts him twice.
        Instant next = MINUTE.plus(Duration.ofMinutes(1));
        clock.set(next);
        open(b, people.get(0).on(b), threadStream);
        sampleBoth();
        assertEquals(26, online(next, "demo", "spring"));

        // Then four people on A close their pages, and Live1 closes one of his two tabs (and stays online).
        for (int i = 3; i < 7; i++) tabs.get(i).forEach(SseClient::close);
        tabs.get(1).get(1).close();
        awaitOnline(a, "demo", "spring", 9);
        Instant third = next.plus(Duration.ofMinutes(1));
        clock.set(third);
        sampleBoth();
        assertEquals(Map.of("demo/spring A", 9, "demo/spring B", 13, "demo/small B", 1, "cafe/autumn B", 2), minute(third));

        // Sampling the same minute again (a timer restarted) keeps one row per node and cohort, with the latest count.
        sampleBoth();
        assertEquals(4 + 4 + 4, sql("SELECT count(*) FROM presence_minute").get(0).getLong(0), "no row twice");

        // Nobody online: nothing written.
        streams.forEach(SseClient::close);
        awaitOnline(a, "demo", "spring", 0);
        awaitOnline(b, "demo", "spring", 0);
        awaitOnline(b, "cafe", "autumn", 0);
        awaitOnline(b, "demo", "small", 0);
        clock.set(third.plus(Duration.ofMinutes(1)));
        assertEquals(0, Await.await(a.app.presence().sampleOnce()));
        assertEquals(0, Await.await(b.app.presence().sampleOnce()));
        assertTrue(minute(third.plus(Duration.ofMinutes(1))).isEmpty());
    }
}
