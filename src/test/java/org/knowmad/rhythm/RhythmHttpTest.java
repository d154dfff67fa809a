package org.knowmad.rhythm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * A personal sharing rhythm over four simulated weeks on two nodes: a reminder only for the weeks in which the
 * goal was missed, one per week however often and wherever the job runs; private; off by default; "never" holds.
 */
@ExtendWith(VertxExtension.class)
class RhythmHttpTest {

    private static final String C = "/courses/demo/spring";
    private static TestNode a;
    private static TestNode b;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        a = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
        b = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    private static long reminders(String email) {
        return Await.await(a.app.pool().preparedQuery("SELECT count(*) FROM outbox WHERE to_email = $1 AND dedupe_key LIKE 'rhythm:%'")
                .execute(io.vertx.sqlclient.Tuple.of(email))).iterator().next().getLong(0);
    }

    private static void runJobsOnBothNodes() {
        Await.await(io.vertx.core.Future.all(a.app.rhythm().remindOnce(), b.app.rhythm().remindOnce()));
        Await.await(a.app.rhythm().remindOnce());
    }

    @Test
    void fourWeeksRemindedOnlyInTheWeeksAfterAMissedOne() {
        ApiUser kim = ApiUser.joined(a, clock, "kim@example.org", "spring");
        ApiUser lou = ApiUser.joined(a, clock, "lou@example.org", "spring"); // no goal: off by default
        HttpResponse<Buffer> set = kim.call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().put("every", 7));
        assertEquals(200, set.statusCode(), set.bodyAsString());
        long thread = kim.call(HttpMethod.POST, "/api/v1" + C + "/modules/week-1/threads",
                new JsonObject().put("title", "Week one thoughts").put("body", "Sharing early.")).bodyAsJsonObject().getLong("id");
        lou.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "Lou was here"));

        // Weeks 1 and 3 have a post, weeks 2 and 4 none. The job runs several times inside each week and just after
        // it ends, on both nodes; the count is read an hour into the next week.
        java.time.Instant goalSet = clock.instant();
        boolean[] postIn = {true, false, true, false};
        List<Long> after = new ArrayList<>();
        for (int week = 0; week < 4; week++) {
            java.time.Instant weekStart = goalSet.plus(Duration.ofDays(7L * week));
            for (int day = 1; day <= 5; day += 2) {
                clock.set(weekStart.plus(Duration.ofDays(day)));
                if (day == 3 && postIn[week] && week > 0) {
                    assertEquals(201, kim.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                            new JsonObject().put("body", "Week " + (week + 1) + " share")).statusCode());
                }
                runJobsOnBothNodes();
            }
            clock.set(weekStart.plus(Duration.ofDays(7)).plus(Duration.ofHours(1)));
            runJobsOnBothNodes();
            runJobsOnBothNodes();
            after.add(reminders("kim@example.org"));
        }
        assertEquals(List.of(0L, 1L, 1L, 2L), after, "one reminder after each missed week, none after a week with a post");
        assertEquals(0, reminders("lou@example.org"), "no goal, no reminders");
        String text = Await.await(a.app.pool().query("SELECT body_text FROM outbox WHERE dedupe_key LIKE 'rhythm:%' LIMIT 1").execute())
                .iterator().next().getString(0);
        assertTrue(text.contains("once a week") && text.contains("/courses/demo/spring/rhythm"), text);
    }

    @Test
    void neverMeansNeverAndLeavingStopsIt() {
        ApiUser max = ApiUser.joined(a, clock, "max@example.org", "spring");
        ApiUser ned = ApiUser.joined(a, clock, "ned@example.org", "spring");
        max.call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().put("every", 7));
        ned.call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().put("every", 7));
        assertEquals(200, max.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "off")).statusCode());
        ned.call(HttpMethod.DELETE, "/api/v1" + C + "/enrolment", null);
        clock.advance(Duration.ofDays(15));
        runJobsOnBothNodes();
        assertEquals(0, reminders("max@example.org"), "never means never");
        assertEquals(0, reminders("ned@example.org"), "who left is not reminded");
    }

    @Test
    void privateToOneselfWithAPageAndBadInputRefused() {
        Browser oda = a.browser().signIn("oda@example.org");
        oda.get(C);
        oda.post(C + "/join", "acceptGuidelines", "on");
        String page = oda.get(C + "/rhythm").bodyAsString();
        assertTrue(page.contains("No goal (the default)"), "off by default");
        assertEquals(303, oda.post(C + "/rhythm", "every", "14").statusCode());
        String saved = oda.get(C + "/rhythm?saved=1").bodyAsString();
        assertTrue(saved.contains("once every two weeks") && saved.contains("streak starts"), saved);
        assertEquals(400, oda.post(C + "/rhythm", "every", "3").statusCode());
        assertEquals(400, oda.post(C + "/rhythm", "every", "").statusCode());
        assertEquals(403, oda.postWithoutCsrf(C + "/rhythm", "every", "off").statusCode());
        ApiUser odaApi = ApiUser.create(a, clock, "oda@example.org");
        assertEquals(14, odaApi.call(HttpMethod.GET, "/api/v1" + C + "/rhythm", null).bodyAsJsonObject().getInteger("every"));
        assertEquals(400, odaApi.call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().put("every", "weekly")).statusCode());
        assertNull(odaApi.call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().putNull("every")).bodyAsJsonObject().getValue("every"),
                "switched off");
        // Nobody else's: a facilitator (not enrolled) and a visitor have none, and there is no address for another person's.
        assertEquals(403, ApiUser.create(a, clock, "fac@example.org").call(HttpMethod.GET, "/api/v1" + C + "/rhythm", null).statusCode());
        assertEquals(401, a.browser().get("/api/v1" + C + "/rhythm").statusCode());
    }
}
