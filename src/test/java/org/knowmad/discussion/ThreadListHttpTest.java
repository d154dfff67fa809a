package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * A module's thread list in each order and filter, paged by keyset, with its bad parameters refused. The world:
 * A (oldest, pinned), B, C (newest, unanswered); D is Ann's and the one Bob follows by replying; helpful marks
 * B 2, D 1.
 */
@ExtendWith(VertxExtension.class)
class ThreadListHttpTest {

    private static final String LIST = "/api/v1/courses/demo/spring/modules/week-1/threads";
    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser ann;
    private static ApiUser bob;
    private static ApiUser cat;
    private static ApiUser fac;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        fac = ApiUser.create(node, clock, "fac@example.org");
        ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        cat = ApiUser.joined(node, clock, "cat@example.org", "spring");
        long a = start(cat, "A");
        long b = start(cat, "B");
        long d = start(ann, "D");
        long c = start(cat, "C");
        // Replies make activity: D gets the latest reply, then B, then A (and Bob follows D by replying).
        reply(ann, a);
        reply(cat, b);
        reply(bob, d);
        fac.call(HttpMethod.PATCH, "/api/v1/threads/" + a, new JsonObject().put("pinned", true));
        helpful(ann, b, 2);
        helpful(bob, b, 2);
        helpful(cat, d, 2);
        assertEquals(4, List.of(a, b, c, d).size());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static long start(ApiUser who, String title) {
        clock.advance(Duration.ofMinutes(1));
        return who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Thread " + title)).bodyAsJsonObject().getLong("id");
    }

    private static void reply(ApiUser who, long thread) {
        clock.advance(Duration.ofMinutes(1));
        assertEquals(201, who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "A reply")).statusCode());
    }

    private static void helpful(ApiUser who, long thread, int number) {
        assertEquals(200, who.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/" + number + "/helpful", null).statusCode());
    }

    private static List<String> titles(ApiUser who, String query) {
        HttpResponse<Buffer> r = who.call(HttpMethod.GET, LIST + query, null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        List<String> titles = new ArrayList<>();
        r.bodyAsJsonObject().getJsonArray("threads").forEach(o -> titles.add(((JsonObject) o).getString("title")));
        return titles;
    }

    @Test
    void eachOrderListsTheRightThreadsInTheRightOrder() {
        assertEquals(List.of("A", "D", "B", "C"), titles(bob, ""), "latest activity, pinned first");
        assertEquals(List.of("A", "D", "B", "C"), titles(bob, "?order=latest"));
        assertEquals(List.of("C", "D", "B", "A"), titles(bob, "?order=newest"));
        assertEquals(List.of("B", "D", "C", "A"), titles(bob, "?order=helpful"), "2 helpful, 1, then ties by newest");
        assertEquals(List.of("C"), titles(bob, "?order=unanswered"));
    }

    @Test
    void filtersFollowingAndMine() {
        assertEquals(List.of("D"), titles(bob, "?filter=following"), "Bob replied to D only");
        assertEquals(List.of("D"), titles(ann, "?filter=mine"));
        assertEquals(List.of("C", "B", "A"), titles(cat, "?filter=mine&order=newest"));
        assertEquals(List.of("C"), titles(cat, "?filter=mine&order=unanswered"));
        assertEquals(List.of(), titles(bob, "?filter=mine"));
    }

    @Test
    void pagesFollowTheKeysetInEveryOrder() {
        for (String order : List.of("latest", "newest", "helpful", "unanswered")) {
            List<String> whole = titles(bob, "?order=" + order);
            List<String> paged = new ArrayList<>();
            String next = LIST + "?order=" + order + "&limit=1";
            int pages = 0;
            while (next != null && pages++ < 10) {
                JsonObject page = bob.call(HttpMethod.GET, next, null).bodyAsJsonObject();
                page.getJsonArray("threads").forEach(o -> paged.add(((JsonObject) o).getString("title")));
                next = page.getString("next");
            }
            assertEquals(whole, paged, order);
        }
    }

    @Test
    void badParametersAre400WithAMessage() {
        for (String q : List.of("?order=popular", "?filter=everyone", "?limit=0", "?limit=1000", "?limit=ten", "?after=garbage",
                "?order=helpful&after=2024-01-01T00:00:00Z_3", "?order=latest&after=2_2024-01-01T00:00:00Z_3")) {
            HttpResponse<Buffer> r = bob.call(HttpMethod.GET, LIST + q, null);
            assertEquals(400, r.statusCode(), q);
            assertTrue(r.getHeader("Content-Type").startsWith("application/problem+json"), q);
            assertTrue(r.bodyAsJsonObject().getString("detail").length() > 10, q);
        }
        assertTrue(bob.call(HttpMethod.GET, LIST + "?order=popular", null).bodyAsJsonObject().getString("detail")
                .contains("latest, newest, helpful, unanswered"));
        Browser page = node.browser().signIn("bob@example.org");
        assertEquals(400, page.get("/courses/demo/spring/modules/week-1?order=popular").statusCode());
    }

    @Test
    void theModulePageOffersTheOrdersAndShowsTheChosenOne() {
        Browser page = node.browser().signIn("bob@example.org");
        String html = page.get("/courses/demo/spring/modules/week-1?order=unanswered").bodyAsString();
        assertTrue(html.contains("Most helpful") && html.contains("Started by me"), html);
        assertTrue(html.contains("aria-current=\"true\">Unanswered"), html);
        assertTrue(html.contains(">C</a>") && !html.contains(">D</a>"), html);
        String following = page.get("/courses/demo/spring/modules/week-1?filter=following").bodyAsString();
        assertTrue(following.contains(">D</a>") && !following.contains(">B</a>"), following);
        // A facilitator's preview keeps its date when the order changes.
        String preview = node.browser().signIn("fac@example.org").get("/courses/demo/spring/modules/week-1?as=2030-03-06T10:00").bodyAsString();
        assertTrue(preview.contains("?order=newest&amp;as=2030-03-06T10%3A00#discussions"), preview);
    }

    @Test
    void theLatestOrderKeepsItsShapeInJson() {
        JsonArray threads = bob.call(HttpMethod.GET, LIST, null).bodyAsJsonObject().getJsonArray("threads");
        JsonObject first = threads.getJsonObject(0);
        assertTrue(first.getBoolean("pinned"));
        assertTrue(first.containsKey("createdAt") && first.containsKey("helpful"));
    }
}
