package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

@ExtendWith(VertxExtension.class)
class DiscussionHttpTest {

    private static final String THREADS = "/api/v1/courses/demo/spring/modules/week-1/threads";
    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        Await.await(node.app.releases().runOnce());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email, String cohort) {
        ApiUser u = ApiUser.create(node, clock, email);
        assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/demo/" + cohort + "/enrolment",
                new JsonObject().put("acceptGuidelines", true)).statusCode());
        return u;
    }

    private static long startThread(ApiUser u, String title, String body, boolean anonymous) {
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, THREADS, new JsonObject().put("title", title).put("body", body).put("anonymous", anonymous));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    @Test
    void theModulesPromptOpenedAsAThreadWhenItWasReleased() {
        ApiUser u = participant("reader@example.org", "spring");
        JsonArray threads = u.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads");
        JsonObject prompt = threads.stream().map(JsonObject.class::cast).filter(t -> t.getBoolean("prompt")).findFirst().orElseThrow();
        assertEquals("Introduce yourself", prompt.getString("title"));
        JsonObject thread = u.call(HttpMethod.GET, "/api/v1/threads/" + prompt.getLong("id"), null).bodyAsJsonObject();
        assertEquals("Who are you and what brings you here?", thread.getJsonArray("posts").getJsonObject(0).getString("body"));
        Await.await(node.app.releases().runOnce());
        assertEquals(1, u.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads").stream()
                .filter(t -> ((JsonObject) t).getBoolean("prompt")).count(), "opened once");
    }

    @Test
    void participantsStartThreadsAndReplyOnPagesAndInTheApi() {
        Browser ann = node.browser().signIn("ann.d@example.org");
        ann.get("/courses/demo/spring");
        ann.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        ann.get("/courses/demo/spring/modules/week-1");
        HttpResponse<Buffer> made = ann.post("/courses/demo/spring/modules/week-1/threads", "title", "Failing forward",
                "body", "What did a **mistake** teach you? <script>alert(1)</script>");
        assertEquals(303, made.statusCode(), made.bodyAsString());
        String threadPath = made.getHeader("Location");
        assertTrue(threadPath.startsWith("/courses/demo/spring/threads/"));

        ApiUser bob = participant("bob.d@example.org", "spring");
        long id = Long.parseLong(threadPath.substring(threadPath.lastIndexOf('/') + 1));
        HttpResponse<Buffer> reply = bob.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "Plenty!").put("replyTo", 1));
        assertEquals(201, reply.statusCode(), reply.bodyAsString());
        assertEquals(2, reply.bodyAsJsonObject().getInteger("number"));

        HttpResponse<Buffer> page = ann.get(threadPath);
        assertEquals(200, page.statusCode());
        String html = page.bodyAsString();
        assertTrue(html.contains("<strong>mistake</strong>"));
        assertFalse(html.contains("<script>alert"), "sanitised");
        assertTrue(html.contains("Plenty!"));
        assertTrue(html.contains("in reply to #1"));
        assertTrue(ann.get("/courses/demo/spring/modules/week-1").bodyAsString().contains("Failing forward"));

        HttpResponse<Buffer> replied = ann.post(threadPath + "/posts", "body", "Thanks Bob");
        assertEquals(303, replied.statusCode());
        assertEquals(threadPath + "#post-3", replied.getHeader("Location"));
        assertTrue(ann.get(threadPath + "/posts?after=2").bodyAsString().contains("Thanks Bob"), "the live fragment has the new post");
    }

    @Test
    void anonymousPostsHideTheAuthorFromPeersButNotFromFacilitators() {
        ApiUser shy = participant("shy@example.org", "spring");
        long id = startThread(shy, "A confession", "I never share first.", true);
        ApiUser peer = participant("peer@example.org", "spring");
        JsonObject seenByPeer = peer.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertNull(seenByPeer.getString("author"));
        assertNull(seenByPeer.getJsonArray("posts").getJsonObject(0).getString("author"));
        assertFalse(seenByPeer.encode().contains("shy"), "nothing in the API leaks the author");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        assertEquals("shy", fay.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getString("author"));

        Browser peerBrowser = node.browser().signIn("peer@example.org");
        String html = peerBrowser.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(html.contains("Anonymous participant"));
        assertFalse(html.contains("shy@example.org") || html.contains(">shy<"));
    }

    @Test
    void outsidersLockedModulesAndVisitorsAreRefused() {
        ApiUser insider = participant("insider@example.org", "spring");
        long id = startThread(insider, "Inside", "Only for this cohort", false);
        ApiUser other = participant("other@example.org", "own-pace");
        assertEquals(403, other.call(HttpMethod.GET, "/api/v1/threads/" + id, null).statusCode());
        assertEquals(403, other.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "hi")).statusCode());
        assertEquals(403, other.call(HttpMethod.GET, THREADS, null).statusCode());
        Browser otherBrowser = node.browser().signIn("other@example.org");
        assertEquals(403, otherBrowser.get("/courses/demo/spring/threads/" + id).statusCode());
        assertEquals(404, otherBrowser.get("/courses/demo/own-pace/threads/" + id).statusCode(), "a thread of another cohort is not found there");
        assertEquals(403, otherBrowser.get("/courses/demo/spring/threads/" + id + "/events").statusCode());

        assertEquals(403, insider.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-2/threads",
                new JsonObject().put("title", "Early").put("body", "too early")).statusCode(), "week 2 is locked");
        Browser visitor = node.browser();
        assertEquals(303, visitor.get("/courses/demo/spring/threads/" + id).statusCode());
        assertEquals(401, Await.await(io.vertx.ext.web.client.WebClient.create(node.vertx)
                .get(node.port(), "localhost", "/api/v1/threads/" + id).send()).statusCode());
    }

    @Test
    void badPostsAreRefusedWithAReason() {
        ApiUser u = participant("careless@example.org", "spring");
        long id = startThread(u, "Fine", "Fine body", false);
        assertEquals(400, u.call(HttpMethod.POST, THREADS, new JsonObject().put("title", " ").put("body", "x")).statusCode());
        assertEquals(400, u.call(HttpMethod.POST, THREADS, new JsonObject().put("title", "t".repeat(201)).put("body", "x")).statusCode());
        HttpResponse<Buffer> empty = u.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", ""));
        assertEquals(400, empty.statusCode());
        assertTrue(empty.bodyAsJsonObject().getString("detail").contains("Write something"));
        assertEquals(400, u.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "x").put("replyTo", 99)).statusCode());
        assertEquals(400, u.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "x".repeat(20_001))).statusCode());
        assertEquals(404, u.call(HttpMethod.GET, "/api/v1/threads/abc", null).statusCode());
        assertEquals(404, u.call(HttpMethod.GET, "/api/v1/threads/999999", null).statusCode());
        assertEquals(1, u.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getInteger("postCount"),
                "nothing was half-written: still one post");
    }

    @Test
    void fiftySimultaneousRepliesGetFiftyDistinctNumbers() {
        ApiUser starter = participant("starter@example.org", "spring");
        long id = startThread(starter, "Busy", "Everyone at once", false);
        List<ApiUser> people = new ArrayList<>();
        for (int i = 0; i < 25; i++) people.add(participant("crowd" + i + "@example.org", "spring"));
        List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
        for (ApiUser p : people) {
            for (int k = 0; k < 2; k++) {
                replies.add(p.send(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "me too " + k)));
            }
        }
        Await.await(Future.all(replies));
        Set<Integer> numbers = new HashSet<>();
        for (Future<HttpResponse<Buffer>> r : replies) {
            assertEquals(201, r.result().statusCode(), r.result().bodyAsString());
            numbers.add(r.result().bodyAsJsonObject().getInteger("number"));
        }
        assertEquals(50, numbers.size());
        assertEquals(Set.copyOf(java.util.stream.IntStream.rangeClosed(2, 51).boxed().toList()), numbers);
        // Keyset pages: 50, then the rest, nothing twice.
        JsonObject first = starter.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertEquals(50, first.getJsonArray("posts").size());
        JsonObject second = starter.call(HttpMethod.GET, first.getString("next"), null).bodyAsJsonObject();
        assertEquals(1, second.getJsonArray("posts").size());
        assertEquals(51, second.getJsonArray("posts").getJsonObject(0).getInteger("number"));
    }

    @Test
    void postingTooFastIsSlowedDown() {
        ApiUser fast = participant("fast@example.org", "spring");
        long id = startThread(fast, "Speed", "go", false);
        int status = 0;
        for (int i = 0; i < DiscussionService.POSTS_PER_MINUTE + 1 && status != 429; i++) {
            status = fast.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "post " + i)).statusCode();
        }
        assertEquals(429, status);
    }
}
