package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * The pulse from nothing but what people do: a cohort of 100 reads, reacts and posts through the API, the node's
 * own recorder counts it, and on the Monday of week 3 the facilitator's pulse shows the funnel, the 90-9-1 shape
 * and who drifted away exactly; a participant sees only their own week.
 */
@ExtendWith(VertxExtension.class)
class PulseEndToEndTest {

    private static final String C = "/courses/demo/spring";
    private static final Instant WEEK_1 = Fixtures.SPRING_DAY_2;                 // Tuesday 5 March 2030, 11:00 Amsterdam
    private static final Instant WEEK_2 = Instant.parse("2030-03-12T10:00:00Z");  // Tuesday of week 2
    private static final Instant MONDAY = Instant.parse("2030-03-18T08:00:00Z");  // Monday of week 3, 09:00 Amsterdam

    private static TestNode node;
    private static MutableClock clock;
    private static final List<ApiUser> people = new ArrayList<>();
    private static JsonObject myWeekInWeek2;

    @BeforeAll
    static void aTermOfActivity(Vertx vertx) {
        clock = new MutableClock(WEEK_1);
        node = TestNode.demo(vertx, clock);
        for (int i = 0; i < 100; i++) people.add(ApiUser.joined(node, clock, "e2e" + i + "@example.org", "spring"));
        long thread = people.get(0).call(HttpMethod.POST, "/api/v1" + C + "/modules/week-1/threads",
                new JsonObject().put("title", "What do you share?").put("body", "A first question.")).bodyAsJsonObject().getLong("id");
        // Week 1: everybody opens the cohort and the thread; e2e1..e2e8 reply once (with e2e0's thread: nine posting once),
        // e2e9 posts twenty times, e2e10 marks the first post helpful.
        for (ApiUser p : people) {
            assertEquals(200, p.call(HttpMethod.GET, "/api/v1" + C, null).statusCode());
            assertEquals(200, p.call(HttpMethod.GET, "/api/v1/threads/" + thread, null).statusCode());
        }
        for (int i = 1; i < 9; i++) {
            assertEquals(201, people.get(i).call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                    new JsonObject().put("body", "Something I tried, " + i)).statusCode());
        }
        for (int n = 0; n < 20; n++) {
            clock.advance(Duration.ofSeconds(30)); // under the ten posts a minute anyone may write
            assertEquals(201, people.get(9).call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                    new JsonObject().put("body", "Working out loud, note " + n)).statusCode());
        }
        assertEquals(200, people.get(10).call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/1/helpful", null).statusCode());
        // Week 2: all but e2e90..e2e99 come back and read.
        clock.set(WEEK_2);
        for (int i = 0; i < 90; i++) {
            assertEquals(200, people.get(i).call(HttpMethod.GET, "/api/v1" + C, null).statusCode());
            assertEquals(200, people.get(i).call(HttpMethod.GET, "/api/v1/threads/" + thread, null).statusCode());
        }
        Await.await(node.app.activity().flush());
        myWeekInWeek2 = people.get(5).call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject();
        clock.set(MONDAY);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static long count(JsonObject funnel, String stage) {
        return funnel.getJsonObject(stage).getLong("count");
    }

    private static long share(JsonObject shape, String kind) {
        return shape.getJsonObject(kind).getLong("percent");
    }

    @Test
    void onMondayTheFacilitatorSeesLastWeeksFunnelTheShapeAndWhoDriftedAway() {
        HttpResponse<Buffer> r = ApiUser.create(node, clock, "fac@example.org").call(HttpMethod.GET, "/api/v1" + C + "/pulse", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject p = r.bodyAsJsonObject();
        assertEquals(2, p.getInteger("week"), "Monday of week 3: the pulse opens on week 2");
        JsonObject w1 = p.getJsonArray("weeks").getJsonObject(0);
        JsonObject f1 = w1.getJsonObject("funnel");
        assertEquals(List.of(100L, 100L, 100L, 1L, 10L, 0L), List.of(count(f1, "enrolled"), count(f1, "visited"), count(f1, "read"),
                count(f1, "reacted"), count(f1, "posted"), count(f1, "reviewed")), f1.encode());
        assertEquals(List.of(90L, 9L, 1L), List.of(share(w1.getJsonObject("shape"), "lurkers"), share(w1.getJsonObject("shape"), "occasional"),
                share(w1.getJsonObject("shape"), "frequent")), "the 90-9-1 shape, counted by the recorder");
        JsonObject f2 = p.getJsonArray("weeks").getJsonObject(1).getJsonObject("funnel");
        assertEquals(List.of(100L, 90L, 90L, 0L, 0L), List.of(count(f2, "enrolled"), count(f2, "visited"), count(f2, "read"),
                count(f2, "reacted"), count(f2, "posted")), f2.encode());
        assertEquals(10, p.getLong("drifted"), "e2e90..e2e99 were last seen in week 1");
    }

    @Test
    void anUnansweredHelpRequestComesFirstOnThePulsePage() {
        ApiUser asker = people.get(20);
        long thread = asker.call(HttpMethod.POST, "/api/v1" + C + "/modules/week-1/threads",
                new JsonObject().put("title", "Stuck on my first post").put("body", "How do I start?")).bodyAsJsonObject().getLong("id");
        assertEquals(200, asker.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/1/mark", new JsonObject().put("mark", "help")).statusCode());
        assertEquals(200, people.get(21).call(HttpMethod.PUT, "/api/v1" + C + "/rhythm", new JsonObject().put("every", 14)).statusCode());
        org.knowmad.support.Browser fay = node.browser().signIn("fac@example.org");
        String page = fay.get(C + "/pulse").bodyAsString();
        int help = page.indexOf("id=\"help-requests\"");
        assertTrue(help > 0 && help < page.indexOf("id=\"funnel\""), "the help requests section comes before the funnel");
        assertTrue(page.substring(help).contains("Stuck on my first post"), "and lists the open request");
        assertTrue(page.contains("1 asking for help"), "the principles section counts it");
        JsonObject principles = ApiUser.create(node, clock, "fac@example.org").call(HttpMethod.GET, "/api/v1" + C + "/pulse", null)
                .bodyAsJsonObject().getJsonObject("principles");
        assertEquals(1, principles.getLong("helpRequestPosts"), principles.encode());
        assertEquals(1, principles.getLong("sharingGoals"), "one participant keeps a rhythm (only the count, never who)");
        assertTrue(page.contains("1 of 100 participants keep a sharing rhythm"), "said on the page too");
    }

    @Test
    void aParticipantSeesOnlyTheirOwnWeekAndNoPulse() {
        assertEquals(403, people.get(5).call(HttpMethod.GET, "/api/v1" + C + "/pulse", null).statusCode());
        JsonObject week = myWeekInWeek2.getJsonArray("cohorts").getJsonObject(0).getJsonObject("week");
        assertEquals(1, week.getInteger("daysActive"), week.encode());
        assertEquals(1, week.getInteger("reads"), "their own one thread read of that week");
        assertEquals(0, week.getInteger("posts"));
        assertFalse(myWeekInWeek2.encode().contains("e2e6@"), "nothing about anyone else");
        assertTrue(people.get(5).call(HttpMethod.GET, "/api/v1" + C, null).statusCode() == 200);
    }
}
