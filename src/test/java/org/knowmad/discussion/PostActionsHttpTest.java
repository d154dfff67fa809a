package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
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
import org.knowmad.support.TestNode;

/** Edit with history, remove with a marker, helpful marks, endorsement, pin and close. */
@ExtendWith(VertxExtension.class)
class PostActionsHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser author;
    private static ApiUser peer;
    private static ApiUser facilitator;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        author = participant("author@example.org");
        peer = participant("peer@example.org");
        facilitator = ApiUser.create(node, clock, "fac@example.org");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        return ApiUser.joined(node, clock, email, "spring");
    }

    private static long thread(String title) {
        return author.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "original text")).bodyAsJsonObject().getLong("id");
    }

    private static JsonObject post(ApiUser who, long thread, int number) {
        return who.call(HttpMethod.GET, "/api/v1/threads/" + thread, null).bodyAsJsonObject().getJsonArray("posts").getJsonObject(number - 1);
    }

    private static long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    @Test
    void onlyTheAuthorEditsAndTheOldTextIsKept() {
        long id = thread("Editing");
        assertEquals(403, peer.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1", new JsonObject().put("body", "hijack")).statusCode());
        assertEquals(200, author.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1", new JsonObject().put("body", "better text")).statusCode());
        JsonObject p = post(peer, id, 1);
        assertEquals("better text", p.getString("body"));
        assertTrue(p.getBoolean("edited"));
        assertEquals(1, count("SELECT count(*) FROM post_revision r JOIN post p ON p.id = r.post_id WHERE p.thread_id = " + id + " AND r.body = 'original text'"));
        assertEquals(400, author.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1", new JsonObject().put("body", "")).statusCode());
        assertEquals(404, author.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/9", new JsonObject().put("body", "x")).statusCode());
    }

    @Test
    void removedPostsLeaveAMarkerAndNothingElse() {
        long id = thread("Removing");
        assertEquals(201, peer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "secret regret")).statusCode());
        assertEquals(403, author.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/posts/2", null).statusCode(), "not your post");
        assertEquals(200, peer.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/posts/2", null).statusCode());
        JsonObject removed = post(author, id, 2);
        assertTrue(removed.getBoolean("deleted"));
        assertNull(removed.getString("body"));
        assertEquals(410, peer.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/2", new JsonObject().put("body", "undo")).statusCode());
        assertEquals(200, facilitator.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/posts/1", null).statusCode(), "facilitators remove any post");

        Browser b = node.browser().signIn("author@example.org");
        String html = b.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(html.contains("This post was removed."));
        assertFalse(html.contains("secret regret"));
        assertFalse(b.get("/courses/demo/spring/threads/" + id + "/posts?after=1").bodyAsString().contains("secret regret"));
    }

    @Test
    void helpfulMarksCountOncePerPersonAlsoWhenSimultaneous() {
        long id = thread("Helpful");
        String helpful = "/api/v1/threads/" + id + "/posts/1/helpful";
        assertEquals(400, author.call(HttpMethod.PUT, helpful, null).statusCode(), "not on your own post");
        assertEquals(1, peer.call(HttpMethod.PUT, helpful, null).bodyAsJsonObject().getInteger("helpful"));
        assertEquals(1, peer.call(HttpMethod.PUT, helpful, null).bodyAsJsonObject().getInteger("helpful"), "twice is once");
        assertEquals(0, peer.call(HttpMethod.DELETE, helpful, null).bodyAsJsonObject().getInteger("helpful"));
        assertEquals(0, peer.call(HttpMethod.DELETE, helpful, null).bodyAsJsonObject().getInteger("helpful"));

        List<ApiUser> crowd = new ArrayList<>();
        for (int i = 0; i < 20; i++) crowd.add(participant("fan" + i + "@example.org"));
        List<Future<HttpResponse<Buffer>>> marks = new ArrayList<>();
        for (ApiUser u : crowd) {
            marks.add(u.send(HttpMethod.PUT, helpful, null));
            marks.add(u.send(HttpMethod.PUT, helpful, null));
        }
        Await.await(Future.join(new ArrayList<>(marks)));
        JsonObject p = post(author, id, 1);
        assertEquals(20, p.getInteger("helpful"));
        assertEquals(20, count("SELECT count(*) FROM reaction r JOIN post p ON p.id = r.post_id WHERE p.thread_id = " + id));
        assertTrue(post(crowd.get(0), id, 1).getBoolean("reactedByMe"));
    }

    @Test
    void facilitatorsEndorsePinAndClose() {
        long id = thread("Moderated");
        assertEquals(403, peer.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1/endorsement", null).statusCode());
        assertEquals(200, facilitator.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1/endorsement", null).statusCode());
        assertTrue(post(peer, id, 1).getBoolean("endorsed"));

        assertEquals(403, peer.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("pinned", true)).statusCode());
        assertEquals(400, facilitator.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("pinned", "yes")).statusCode());
        JsonObject pinned = facilitator.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("pinned", true)).bodyAsJsonObject();
        assertTrue(pinned.getBoolean("pinned"));
        thread("Newer but not pinned");
        JsonObject first = peer.call(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1/threads", null).bodyAsJsonObject()
                .getJsonArray("threads").getJsonObject(0);
        assertEquals(id, first.getLong("id"), "pinned threads come first");

        assertTrue(facilitator.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("closed", true)).bodyAsJsonObject().getBoolean("closed"));
        HttpResponse<Buffer> late = peer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "too late"));
        assertEquals(409, late.statusCode());
        assertTrue(late.bodyAsJsonObject().getString("detail").contains("closed"));
        facilitator.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("closed", false));
        assertEquals(201, peer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "reopened")).statusCode());
    }

    @Test
    void theFormsWorkWithoutJavaScript() {
        long id = thread("Forms");
        Browser p = node.browser().signIn("peer@example.org");
        String path = "/courses/demo/spring/threads/" + id;
        String html = p.get(path).bodyAsString();
        assertTrue(html.contains(path + "/posts/1/helpful"));
        assertEquals(303, p.post(path + "/posts/1/helpful").statusCode());
        assertTrue(p.get(path).bodyAsString().contains("aria-pressed=\"true\""));
        Browser a = node.browser().signIn("author@example.org");
        assertEquals(200, a.get(path + "/posts/1/edit").statusCode());
        assertEquals(303, a.post(path + "/posts/1/edit", "body", "edited in a form").statusCode());
        assertTrue(a.get(path).bodyAsString().contains("edited in a form"));
        assertEquals(403, p.get(path + "/posts/1/edit").statusCode());
    }

    @Test
    void whatAViewerDidToAPostShowsToThemAlone() {
        // Its own writer: one may post only so many times a minute, and the other tests here post as "author".
        ApiUser writer = participant("writer@example.org");
        long id = writer.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Marks").put("body", "original text")).bodyAsJsonObject().getLong("id");
        ApiUser third = participant("third@example.org");
        String helpful = "/api/v1/threads/" + id + "/posts/1/helpful";
        String path = "/courses/demo/spring/threads/" + id;
        Browser thirdBrowser = node.browser().signIn("third@example.org");
        assertFalse(post(peer, id, 1).getBoolean("reactedByMe"), "nobody marked it yet");
        assertFalse(thirdBrowser.get(path).bodyAsString().contains("You flagged this post."));

        assertEquals(200, peer.call(HttpMethod.PUT, helpful, null).statusCode());
        assertEquals(200, third.call(HttpMethod.PUT, helpful, null).statusCode());
        assertEquals(200, peer.call(HttpMethod.DELETE, helpful, null).statusCode());
        JsonObject seenByPeer = post(peer, id, 1);
        assertEquals(1, seenByPeer.getInteger("helpful"));
        assertFalse(seenByPeer.getBoolean("reactedByMe"), "someone else's mark is not the viewer's");
        assertTrue(post(third, id, 1).getBoolean("reactedByMe"));
        assertFalse(post(writer, id, 1).getBoolean("reactedByMe"));

        assertEquals(200, peer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts/1/flags", new JsonObject().put("reason", "off topic"))
                .statusCode());
        assertTrue(node.browser().signIn("peer@example.org").get(path).bodyAsString().contains("You flagged this post."));
        assertFalse(thirdBrowser.get(path).bodyAsString().contains("You flagged this post."), "another's flag is not the viewer's");
    }

    @Test
    void unreadCountsFollowTheReaderAndAuthorsFollowTheirThreads() {
        long id = thread("Unread");
        JsonObject byAuthor = author.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertTrue(byAuthor.getBoolean("following"), "authors follow their own threads");
        Browser reader = node.browser().signIn("peer@example.org");
        reader.get("/courses/demo/spring/threads/" + id);
        for (int i = 0; i < 3; i++) {
            assertEquals(201, author.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "more " + i)).statusCode());
        }
        JsonObject listed = peer.call(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1/threads", null).bodyAsJsonObject()
                .getJsonArray("threads").stream().map(JsonObject.class::cast).filter(t -> t.getLong("id") == id).findFirst().orElseThrow();
        assertEquals(3, listed.getInteger("unread"));
        String modulePage = reader.get("/courses/demo/spring/modules/week-1").bodyAsString();
        assertTrue(modulePage.contains("3 new"));
        assertTrue(modulePage.contains("/threads/" + id + "?after=1#post-2"), "the link jumps to the first unread post");
        reader.get("/courses/demo/spring/threads/" + id);
        assertFalse(reader.get("/courses/demo/spring/modules/week-1").bodyAsString().contains("3 new"));

        assertTrue(peer.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/follow", null).bodyAsJsonObject().getBoolean("following"));
        assertTrue(peer.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getBoolean("following"));
        assertEquals(200, peer.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/follow", null).statusCode());
        assertFalse(peer.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getBoolean("following"));
    }
}
