package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * The pulse of a scripted cohort of 100 in the demo course's "spring" cohort (weeks start Monday 4, 11 and 18 March
 * 2030): 90 only read, 9 post once, 1 posts 20 times, and 10 of the readers never come back after week 1.
 * People, enrolments, threads, replies and the helpful mark go through the real HTTP API. What they read and
 * visited, and the per-day counters, are seeded straight into {@code activity_day} (written with overwriting upserts,
 * so a recorder counting the same posts on the same rows cannot make the numbers drift); presence rows of two nodes
 * are seeded into {@code presence_minute}.
 */
@ExtendWith(VertxExtension.class)
class PulseHttpTest {

    private static final String API = "/api/v1/courses/demo/spring/pulse";
    private static final String PAGE = "/courses/demo/spring/pulse";
    /** Tuesday 5 March 2030, 11:00 Amsterdam: week 1. */
    private static final Instant WEEK_1 = Fixtures.SPRING_DAY_2;
    /** Monday 18 March 2030, 09:00 Amsterdam: week 3 has just begun, week 2 is the last one finished. */
    private static final Instant MONDAY = Instant.parse("2030-03-18T08:00:00Z");

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser facilitator;
    private static ApiUser reader;

    @BeforeAll
    static void scriptTheCohort(Vertx vertx) {
        clock = new MutableClock(WEEK_1);
        node = TestNode.demo(vertx, clock);
        facilitator = ApiUser.create(node, clock, "fac@example.org");
        List<ApiUser> people = new ArrayList<>();
        for (int i = 0; i < 100; i++) people.add(ApiUser.joined(node, clock, "p" + i + "@example.org", "spring"));
        // p0..p8 post once (a question each), p9 posts 20 times, p10..p99 only read; p90..p99 never come back.
        Instant asked = clock.instant();
        List<Long> threads = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            threads.add(people.get(i).call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                    new JsonObject().put("title", "Question " + i).put("body", "What about " + i + "?")).bodyAsJsonObject().getLong("id"));
        }
        ApiUser frequent = people.get(9);
        long own = frequent.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "My notes").put("body", "Thinking out loud.").put("anonymous", true))
                .bodyAsJsonObject().getLong("id");
        // First replies 1..9 minutes after the questions: the median wait is 5 minutes.
        for (int i = 0; i < 9; i++) {
            clock.set(asked.plus(Duration.ofMinutes(i + 1)));
            assertEquals(201, frequent.call(HttpMethod.POST, "/api/v1/threads/" + threads.get(i) + "/posts",
                    new JsonObject().put("body", "An answer to " + i)).statusCode());
        }
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertEquals(201, frequent.call(HttpMethod.POST, "/api/v1/threads/" + threads.get(i % 9) + "/posts",
                    new JsonObject().put("body", "More on " + i)).statusCode());
        }
        reader = people.get(10);
        assertEquals(200, reader.call(HttpMethod.PUT, "/api/v1/threads/" + threads.get(0) + "/posts/2/helpful", null).statusCode());
        assertEquals(200, people.get(11).call(HttpMethod.PUT, "/api/v1/threads/" + threads.get(0) + "/posts/2/helpful", null).statusCode());

        // Reads and visits (the recorder of issue 11 is built in parallel): week 1 everybody, week 2 all but p90..p99.
        for (int i = 0; i < 100; i++) {
            long posts = i < 9 ? 1 : i == 9 ? 20 : 0;
            seed(i, LocalDate.of(2030, 3, 5), 3, i == 10 || i == 11 ? 1 : 0, i <= 9 ? 1 : 0, Math.max(0, posts - 1), WEEK_1.plusSeconds(3600));
            if (i < 90) seed(i, LocalDate.of(2030, 3, 12), 2, 0, 0, 0, Instant.parse("2030-03-12T12:00:00Z"));
        }
        // Online: two nodes. 25 at once on Wednesday 6 March 19:30 Amsterdam (the peak); 23 earlier that evening; 14 on the 12th.
        presence("2030-03-06T18:30:00Z", "node-a", 15);
        presence("2030-03-06T18:30:00Z", "node-b", 10);
        presence("2030-03-06T17:00:00Z", "node-a", 20);
        presence("2030-03-06T17:00:00Z", "node-b", 3);
        presence("2030-03-12T19:00:00Z", "node-a", 7);
        presence("2030-03-12T19:00:00Z", "node-b", 7);
        clock.set(MONDAY);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void seed(int person, LocalDate day, int reads, int reactions, int threads, long replies, Instant lastAt) {
        seed("spring", "p" + person + "@example.org", day, reads, reactions, threads, replies, lastAt);
    }

    private static void seed(String cohort, String email, LocalDate day, int reads, int reactions, int threads, long replies, Instant lastAt) {
        Await.await(node.app.pool().preparedQuery("""
                INSERT INTO activity_day (course_id, cohort_id, account_id, day, module_id, visits, reads, reactions, threads, replies, last_at)
                SELECT 'demo', $8, a.id, $2, 'week-1', 1, $3, $4, $5, $6, $7 FROM account a WHERE a.email = $1
                ON CONFLICT (course_id, cohort_id, day, account_id, module_id) DO UPDATE SET visits = 1, reads = EXCLUDED.reads,
                    reactions = EXCLUDED.reactions, threads = EXCLUDED.threads, replies = EXCLUDED.replies, last_at = EXCLUDED.last_at""")
                .execute(Tuple.of(email, day, reads, reactions, threads, (int) replies, lastAt.atOffset(java.time.ZoneOffset.UTC))
                        .addValue(cohort)));
    }

    private static void presence(String minute, String nodeName, int people) {
        presence(node, "demo/spring", minute, nodeName, people);
    }

    private static void presence(TestNode on, String cohort, String minute, String nodeName, int people) {
        String[] c = cohort.split("/");
        Await.await(on.app.pool().preparedQuery("INSERT INTO presence_minute (course_id, cohort_id, minute, node, people) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(c[0], c[1], Instant.parse(minute).atOffset(java.time.ZoneOffset.UTC), nodeName, people)));
    }

    private static JsonObject pulse(String query) {
        var r = facilitator.call(HttpMethod.GET, API + query, null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static void assertFunnel(JsonObject funnel, long... counts) {
        for (int i = 0; i < counts.length; i++) {
            assertEquals(counts[i], funnel.getJsonObject(Funnel.STAGES.get(i)).getLong("count"), Funnel.STAGES.get(i) + " in " + funnel);
        }
    }

    private static void assertShape(JsonObject shape, int lurkers, int occasional, int frequent) {
        assertEquals(lurkers, shape.getJsonObject("lurkers").getInteger("percent"), shape.encode());
        assertEquals(occasional, shape.getJsonObject("occasional").getInteger("percent"), shape.encode());
        assertEquals(frequent, shape.getJsonObject("frequent").getInteger("percent"), shape.encode());
    }

    @Test
    void theFunnelTheShapeAndWhoDriftedAwayComeOutExactly() {
        JsonObject p = pulse("");
        assertEquals(2, p.getInteger("week"), "on Monday of week 3 the pulse opens on week 2, the last one finished");
        JsonArray weeks = p.getJsonArray("weeks");
        assertEquals(3, weeks.size());
        JsonObject w1 = weeks.getJsonObject(0);
        assertEquals("2030-03-04", w1.getString("from"));
        assertEquals("2030-03-11", w1.getString("until"));
        assertFunnel(w1.getJsonObject("funnel"), 100, 100, 100, 2, 10, 0);
        assertEquals(10, w1.getJsonObject("funnel").getJsonObject("posted").getInteger("percent"));
        assertShape(w1.getJsonObject("shape"), 90, 9, 1);
        assertEquals(90, w1.getJsonObject("shape").getJsonObject("lurkers").getLong("count"));
        assertEquals(9, w1.getJsonObject("shape").getJsonObject("occasional").getLong("count"));
        assertEquals(1, w1.getJsonObject("shape").getJsonObject("frequent").getLong("count"));

        JsonObject w2 = weeks.getJsonObject(1);
        assertFunnel(w2.getJsonObject("funnel"), 100, 90, 90, 0, 0, 0);
        assertEquals(90, w2.getJsonObject("funnel").getJsonObject("visited").getInteger("percent"));
        assertShape(w2.getJsonObject("shape"), 100, 0, 0);

        JsonObject overall = p.getJsonObject("overall");
        assertFunnel(overall.getJsonObject("funnel"), 100, 100, 100, 2, 10, 0);
        assertShape(overall.getJsonObject("shape"), 90, 9, 1);

        for (int i = 0; i < weeks.size(); i++) {
            JsonObject f = weeks.getJsonObject(i).getJsonObject("funnel");
            long[] c = new long[6];
            for (int k = 0; k < 6; k++) c[k] = f.getJsonObject(Funnel.STAGES.get(k)).getLong("count");
            assertTrue(new Funnel(c[0], c[1], c[2], c[3], c[4], c[5]).consistent(), "week " + (i + 1) + " shrinks where it must");
        }
        assertFunnel(weeks.getJsonObject(2).getJsonObject("funnel"), 100, 0, 0, 0, 0, 0);

        assertEquals(10, p.getLong("drifted"), "p90..p99 were last seen in week 1");
        assertEquals("/courses/demo/spring/roster?filter=unseen", p.getString("roster"));

        assertEquals(25, p.getJsonObject("peak").getLong("online"), "the sum over both nodes at the same minute");
        assertEquals("2030-03-06T18:30:00Z", p.getJsonObject("peak").getString("at"));
        JsonArray peaks = p.getJsonArray("peaks");
        assertEquals(2, peaks.size());
        assertEquals("2030-03-06", peaks.getJsonObject(0).getString("day"));
        assertEquals(14, peaks.getJsonObject(1).getLong("online"));

        JsonObject d = p.getJsonObject("discussion");
        assertEquals(10, d.getLong("threads"));
        assertEquals(1, d.getLong("unanswered"), "only the frequent poster's own notes wait for someone else");
        assertEquals(300.0, d.getDouble("medianFirstReplySeconds"));
        JsonObject best = d.getJsonArray("mostHelpful").getJsonObject(0);
        assertEquals(2, best.getInteger("helpful"));
        assertEquals("Question 0", best.getString("title"));
        assertEquals("p9", best.getString("author"));

        // A week chosen by hand; nonsense is refused with a message.
        assertEquals(1, pulse("?week=1").getInteger("week"));
        assertEquals(400, facilitator.call(HttpMethod.GET, API + "?week=9", null).statusCode());
        assertEquals(400, facilitator.call(HttpMethod.GET, API + "?week=two", null).statusCode());
    }

    @Test
    void aSelfPacedCohortCountsEachPersonsOwnWeeks() {
        // Joined on Monday 18 March: their week 1 is under way, so the pulse shows week 1.
        ApiUser.joined(node, clock, "own1@example.org", "own-pace");
        ApiUser.joined(node, clock, "own2@example.org", "own-pace");
        seed("own-pace", "own1@example.org", LocalDate.of(2030, 3, 18), 2, 0, 1, 0, MONDAY);
        var r = facilitator.call(HttpMethod.GET, "/api/v1/courses/demo/own-pace/pulse", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject p = r.bodyAsJsonObject();
        assertTrue(p.getBoolean("selfPaced"));
        assertEquals(1, p.getInteger("week"));
        JsonObject w1 = p.getJsonArray("weeks").getJsonObject(0);
        assertFalse(w1.containsKey("from"), "a self-paced week has no calendar dates of its own");
        assertFunnel(w1.getJsonObject("funnel"), 2, 1, 1, 0, 1, 0);
        assertFunnel(p.getJsonArray("weeks").getJsonObject(1).getJsonObject("funnel"), 0, 0, 0, 0, 0, 0);
        assertShape(w1.getJsonObject("shape"), 0, 100, 0);
        assertEquals(0, p.getLong("drifted"));
        Browser fac = node.browser().signIn("fac@example.org");
        assertTrue(fac.get("/courses/demo/own-pace/pulse").bodyAsString().contains("each person&#x27;s weeks count from the day they joined"));
    }

    @Test
    void thePageDrawsChartsWithTablesAndLinksTheRoster() {
        Browser fac = node.browser().signIn("fac@example.org");
        String home = fac.get("/courses/demo/spring").bodyAsString();
        assertTrue(home.contains("href=\"/courses/demo/spring/pulse\""), "the cohort home links the pulse for facilitators");
        var r = fac.get(PAGE);
        assertEquals(200, r.statusCode());
        String html = r.bodyAsString();
        assertTrue(html.contains("Cohort pulse"));
        assertTrue(html.contains("role=\"img\""));
        assertEquals(4, html.split("<svg ", -1).length - 1, "funnel of the week, funnel overall, shape, peaks");
        assertTrue(html.contains("<title>Funnel of Week 2: Week two"), html);
        assertTrue(html.contains("10 participants have not been seen for 7 days or more"));
        assertTrue(html.contains("href=\"/courses/demo/spring/roster?filter=unseen\""));
        assertTrue(html.contains("Median time to a first reply: 5 min"));
        assertTrue(html.contains("<td>90 (90%)</td>") && html.contains("<td>9 (9%)</td>") && html.contains("<td>1 (1%)</td>"), "the shape table");
        assertTrue(html.contains("Peak: 25 people online at once"));
        assertTrue(html.contains("Wednesday 6 March 2030, 19:30"), "the moment in the course's time zone");
        assertFalse(html.contains("<script>"), "no script of its own");
        assertEquals(400, fac.get(PAGE + "?week=0").statusCode());
    }

    @Test
    void participantsAndVisitorsAreRefused() {
        assertEquals(403, reader.call(HttpMethod.GET, API, null).statusCode());
        Browser participant = node.browser().signIn("p10@example.org");
        assertEquals(403, participant.get(PAGE).statusCode());
        assertFalse(participant.get("/courses/demo/spring").bodyAsString().contains("/pulse\""), "no link for participants");
        Browser visitor = node.browser();
        int status = visitor.get(PAGE).statusCode();
        assertTrue(status == 401 || status == 303, "visitors are sent to sign in: " + status);
        assertEquals(401, visitor.json(HttpMethod.GET, API, null).statusCode());
        assertEquals(404, facilitator.call(HttpMethod.GET, "/api/v1/courses/demo/nope/pulse", null).statusCode());
    }

    @Test
    void theDutchExampleCoursePulseIsInDutch(Vertx vertx) {
        TestNode dutch = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses").toAbsolutePath(),
                new MutableClock(Instant.parse("2017-01-23T08:00:00Z")), Fixtures.tempDir());
        try {
            presence(dutch, "knowmad/2017-01", "2017-01-16T19:00:00Z", "node-a", 40);
            Browser anna = dutch.browser().signIn("anna@example.org");
            var r = anna.get("/courses/knowmad/2017-01/pulse");
            assertEquals(200, r.statusCode(), r.bodyAsString());
            String html = r.bodyAsString();
            assertTrue(html.contains("<html lang=\"nl\""));
            assertTrue(html.contains("Hartslag van de groep"));
            assertTrue(html.contains("Trechter"));
            assertTrue(html.contains("Meelezers"));
            assertTrue(html.contains("Niemand is uit beeld geraakt"));
            assertTrue(html.contains("Europe/Amsterdam"));
            assertFalse(html.contains("Lurkers"), "no English left");

            // Days that are over are kept by the node; today's minutes are read on every view.
            String api = "/api/v1/courses/knowmad/2017-01/pulse";
            ApiUser joost = ApiUser.create(dutch, dutch.clock, "joost@example.org");
            assertEquals(40, joost.call(HttpMethod.GET, api, null).bodyAsJsonObject().getJsonObject("peak").getLong("online"));
            presence(dutch, "knowmad/2017-01", "2017-01-23T07:30:00Z", "node-a", 30);
            presence(dutch, "knowmad/2017-01", "2017-01-23T07:30:00Z", "node-b", 20);
            JsonObject now = joost.call(HttpMethod.GET, api, null).bodyAsJsonObject();
            assertEquals(50, now.getJsonObject("peak").getLong("online"), "today's minutes count at once");
            assertEquals("2017-01-23T07:30:00Z", now.getJsonObject("peak").getString("at"));
            assertEquals(2, now.getJsonArray("peaks").size());
        } finally {
            dutch.close();
        }
    }
}
