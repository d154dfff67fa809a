package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The answer that helped (solved) and a post's edit history, through the API and the pages. */
@ExtendWith(VertxExtension.class)
class AnswerHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser facilitator;
    private static ApiUser asker;
    private static ApiUser helper;
    private static ApiUser peer;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        facilitator = ApiUser.create(node, clock, "fac@example.org");
        asker = ApiUser.joined(node, clock, "asker@example.org", "spring");
        helper = ApiUser.joined(node, clock, "helper@example.org", "spring");
        peer = ApiUser.joined(node, clock, "peer@example.org", "spring");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static long thread(ApiUser author, String title, boolean anonymous) {
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<Buffer> r = author.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "What helps with " + title + "?").put("anonymous", anonymous));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private static int reply(ApiUser who, long thread, String body) {
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<Buffer> r = who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", body));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getInteger("number");
    }

    private static HttpResponse<Buffer> mark(ApiUser who, long thread, int number) {
        return who.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/" + number + "/solution", null);
    }

    private static JsonObject get(ApiUser who, long thread) {
        return who.call(HttpMethod.GET, "/api/v1/threads/" + thread, null).bodyAsJsonObject();
    }

    @Test
    void theAskerMarksTheAnswerOnceAndCanChangeOrUnmarkIt() {
        long t = thread(asker, "sleep", false);
        int first = reply(helper, t, "Go to bed earlier.");
        int second = reply(peer, t, "Read before sleeping.");

        assertEquals(200, mark(asker, t, first).statusCode());
        assertEquals(first, get(peer, t).getInteger("solved"));
        // Twice is the same as once: still one answer, still the first.
        HttpResponse<Buffer> again = mark(asker, t, first);
        assertEquals(200, again.statusCode());
        assertEquals(first, again.bodyAsJsonObject().getInteger("solved"));
        JsonArray posts = get(asker, t).getJsonArray("posts");
        assertTrue(posts.getJsonObject(first - 1).getBoolean("answer"));
        assertFalse(posts.getJsonObject(second - 1).getBoolean("answer"));

        // Changing it moves the one mark.
        assertEquals(200, mark(asker, t, second).statusCode());
        JsonObject after = get(asker, t);
        assertEquals(second, after.getInteger("solved"));
        assertFalse(after.getJsonArray("posts").getJsonObject(first - 1).getBoolean("answer"));

        // The list shows it solved; unmarking (also twice) clears it.
        JsonArray list = asker.call(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1/threads", null).bodyAsJsonObject().getJsonArray("threads");
        assertEquals(second, list.stream().map(o -> (JsonObject) o).filter(o -> o.getLong("id") == t).findFirst().orElseThrow().getInteger("solved"));
        assertEquals(200, asker.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/solution", null).statusCode());
        assertEquals(200, asker.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/solution", null).statusCode());
        assertNull(get(asker, t).getInteger("solved"));
    }

    @Test
    void othersMayNotMarkButFacilitatorsMay() {
        long t = thread(asker, "focus", false);
        int answer = reply(helper, t, "Turn off notifications.");
        HttpResponse<Buffer> byPeer = mark(peer, t, answer);
        assertEquals(403, byPeer.statusCode());
        assertTrue(byPeer.bodyAsString().contains("Only the person who asked"), byPeer.bodyAsString());
        assertEquals(403, mark(helper, t, answer).statusCode(), "not even the one who answered");
        assertEquals(403, peer.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/solution", null).statusCode());
        assertNull(get(asker, t).getInteger("solved"));

        assertEquals(200, mark(facilitator, t, answer).statusCode());
        assertEquals(answer, get(peer, t).getInteger("solved"));
        // The question is not its own answer; a post that is not there is a 404.
        assertEquals(400, mark(asker, t, 1).statusCode());
        assertEquals(404, mark(asker, t, 99).statusCode());
        // A closed thread: the asker can no longer change it; a facilitator still can.
        facilitator.call(HttpMethod.PATCH, "/api/v1/threads/" + t, new JsonObject().put("closed", true));
        assertEquals(409, asker.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/solution", null).statusCode());
        assertEquals(200, facilitator.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/solution", null).statusCode());
    }

    @Test
    void theThreadPageShowsTheAnswerAtTheTopAndOffersTheButtonToTheAskerOnly() {
        long t = thread(asker, "habits", false);
        int answer = reply(helper, t, "Start *tiny*.");
        Browser askerPage = node.browser().signIn("asker@example.org");
        Browser peerPage = node.browser().signIn("peer@example.org");
        String path = "/courses/demo/spring/threads/" + t;
        assertTrue(askerPage.get(path).bodyAsString().contains("/posts/" + answer + "/solution"));
        assertFalse(peerPage.get(path).bodyAsString().contains("/solution"));
        HttpResponse<Buffer> marked = askerPage.post(path + "/posts/" + answer + "/solution");
        assertEquals(303, marked.statusCode());
        String page = peerPage.get(path).bodyAsString();
        assertTrue(page.contains("id=\"solution\""), page);
        assertTrue(page.contains("<em>tiny</em>"), page);
        String module = peerPage.get("/courses/demo/spring/modules/week-1").bodyAsString();
        assertTrue(module.contains("tag solved"), module);
        // Unmark from the page.
        assertEquals(303, askerPage.post(path + "/posts/" + answer + "/solution", "solved", "off").statusCode());
        assertFalse(peerPage.get(path).bodyAsString().contains("id=\"solution\""));
    }

    @Test
    void historyShowsEveryVersionToWhoeverSeesThePost() {
        long t = thread(asker, "reading", false);
        int n = reply(helper, t, "First thought.");
        for (String body : new String[] {"Second thought.", "Third thought, **final**."}) {
            clock.advance(Duration.ofMinutes(1));
            assertEquals(200, helper.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/posts/" + n, new JsonObject().put("body", body)).statusCode());
        }
        HttpResponse<Buffer> r = peer.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonArray versions = r.bodyAsJsonObject().getJsonArray("versions");
        assertEquals(3, versions.size());
        assertEquals("First thought.", versions.getJsonObject(0).getString("body"));
        assertEquals("Second thought.", versions.getJsonObject(1).getString("body"));
        assertTrue(versions.getJsonObject(2).getBoolean("current"));
        assertFalse(versions.getJsonObject(1).getBoolean("current"));
        assertTrue(versions.getJsonObject(2).getString("html").contains("<strong>final</strong>"));
        // Each version's time: the first when posted, later ones when the edit happened, in order.
        assertTrue(versions.getJsonObject(0).getString("at").compareTo(versions.getJsonObject(1).getString("at")) < 0);
        // The post links its history; the page lists the versions and what changed.
        JsonObject post = get(peer, t).getJsonArray("posts").getJsonObject(n - 1);
        assertEquals("/api/v1/threads/" + t + "/posts/" + n + "/history", post.getString("history"));
        Browser b = node.browser().signIn("peer@example.org");
        assertTrue(b.get("/courses/demo/spring/threads/" + t).bodyAsString().contains("/posts/" + n + "/history"));
        String page = b.get("/courses/demo/spring/threads/" + t + "/posts/" + n + "/history").bodyAsString();
        assertTrue(page.contains("Version 3") && page.contains("Version 1"), page);
        assertTrue(page.contains("diff-removed") && page.contains("diff-added"), page);
        // Nobody outside the cohort; an unknown post is a 404.
        ApiUser stranger = ApiUser.create(node, clock, "stranger@example.org");
        assertEquals(403, stranger.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null).statusCode());
        assertEquals(404, peer.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/77/history", null).statusCode());
        // Markup in an old version is sanitised like any post.
        clock.advance(Duration.ofMinutes(1));
        helper.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/posts/" + n, new JsonObject().put("body", "<script>alert(1)</script>clean"));
        clock.advance(Duration.ofMinutes(1));
        helper.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/posts/" + n, new JsonObject().put("body", "clean again"));
        String json = peer.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null).bodyAsString();
        String html = b.get("/courses/demo/spring/threads/" + t + "/posts/" + n + "/history").bodyAsString();
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(new JsonObject(json).getJsonArray("versions").getJsonObject(3).getString("html").contains("<script"));
    }

    @Test
    void anAnonymousPostsHistoryNeverNamesItsAuthor() {
        long t = thread(asker, "a secret worry", true);
        clock.advance(Duration.ofMinutes(1));
        asker.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/posts/1", new JsonObject().put("body", "A worry, said better."));
        String json = peer.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/1/history", null).bodyAsString();
        assertTrue(json.contains("said better"), json);
        assertFalse(json.toLowerCase().contains("asker"), json);
        String page = node.browser().signIn("peer@example.org").get("/courses/demo/spring/threads/" + t + "/posts/1/history").bodyAsString();
        assertFalse(page.contains("asker@") || page.contains(">asker<"), page);
    }

    @Test
    void aRemovedPostsHistoryIsForFacilitatorsOnly() {
        long t = thread(asker, "regrets", false);
        int n = reply(helper, t, "Something I regret writing.");
        clock.advance(Duration.ofMinutes(1));
        helper.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/posts/" + n, new JsonObject().put("body", "Something I regret, edited."));
        assertEquals(200, helper.call(HttpMethod.DELETE, "/api/v1/threads/" + t + "/posts/" + n, null).statusCode());
        assertEquals(410, peer.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null).statusCode());
        assertEquals(410, helper.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null).statusCode());
        HttpResponse<Buffer> fac = facilitator.call(HttpMethod.GET, "/api/v1/threads/" + t + "/posts/" + n + "/history", null);
        assertEquals(200, fac.statusCode());
        assertTrue(fac.bodyAsJsonObject().getBoolean("deleted"));
        assertEquals(2, fac.bodyAsJsonObject().getJsonArray("versions").size());
        // A removed post cannot become the answer.
        assertEquals(410, mark(asker, t, n).statusCode());
    }
}
