package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

@ExtendWith(VertxExtension.class)
class ModerationHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser facilitator;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        facilitator = ApiUser.create(node, clock, "fac@example.org");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        return ApiUser.joined(node, clock, email, "spring");
    }

    private static long thread(ApiUser author, String title, String body) {
        return author.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", body)).bodyAsJsonObject().getLong("id");
    }

    private static JsonObject firstPost(ApiUser who, long id) {
        return who.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts").getJsonObject(0);
    }

    private static HttpResponse<Buffer> flag(ApiUser who, long id, String reason) {
        return who.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts/1/flags", reason == null ? new JsonObject() : new JsonObject().put("reason", reason));
    }

    @Test
    void enoughFlagsHideAPostUntilAFacilitatorRestoresIt() {
        ApiUser troll = participant("troll@example.org");
        long id = thread(troll, "Rant", "offensive words");
        ApiUser a = participant("a@example.org");
        ApiUser b = participant("b@example.org");
        ApiUser c = participant("c@example.org");
        assertEquals(400, flag(troll, id, "mine").statusCode(), "not your own post");
        assertEquals(400, flag(a, id, " ").statusCode(), "a reason is needed");
        assertFalse(flag(a, id, "rude").bodyAsJsonObject().getBoolean("hidden"));
        assertEquals(1, flag(a, id, "rude again").bodyAsJsonObject().getInteger("flags"), "a second flag by the same person does not count");
        assertFalse(flag(b, id, "not kind").bodyAsJsonObject().getBoolean("hidden"));
        assertTrue(flag(c, id, "hurtful").bodyAsJsonObject().getBoolean("hidden"), "the third person's flag hides it");

        JsonObject seenByPeer = firstPost(a, id);
        assertTrue(seenByPeer.getBoolean("hidden"));
        assertNull(seenByPeer.getString("body"));
        assertEquals("offensive words", firstPost(troll, id).getString("body"), "the author still sees their post");
        assertEquals("offensive words", firstPost(facilitator, id).getString("body"));
        Browser peerPage = node.browser().signIn("a@example.org");
        String html = peerPage.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(html.contains("hidden until a facilitator reviews it"));
        assertFalse(html.contains("offensive words"));

        assertEquals(403, a.call(HttpMethod.GET, "/api/v1/courses/demo/spring/moderation", null).statusCode());
        JsonObject queued = facilitator.call(HttpMethod.GET, "/api/v1/courses/demo/spring/moderation", null).bodyAsJsonObject()
                .getJsonArray("queue").getJsonObject(0);
        assertEquals(3, queued.getInteger("flags"));
        assertTrue(queued.getString("reasons").contains("hurtful"));
        Browser facPage = node.browser().signIn("fac@example.org");
        assertTrue(facPage.get("/courses/demo/spring/moderation").bodyAsString().contains("offensive words"));

        assertEquals(403, a.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/posts/1/hidden", null).statusCode());
        assertEquals(200, facilitator.call(HttpMethod.DELETE, "/api/v1/threads/" + id + "/posts/1/hidden", null).statusCode());
        assertEquals("offensive words", firstPost(a, id).getString("body"));
        ApiUser d = participant("d@example.org");
        assertFalse(flag(d, id, "still bad").bodyAsJsonObject().getBoolean("hidden"), "reviewed: flags no longer hide it");
        assertEquals(0, facilitator.call(HttpMethod.GET, "/api/v1/courses/demo/spring/moderation", null).bodyAsJsonObject().getJsonArray("queue").size());

        assertEquals(200, facilitator.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1/hidden", null).statusCode());
        assertNull(firstPost(d, id).getString("body"), "a facilitator can hide it after all");
    }

    @Test
    void aSilencedParticipantReadsButCannotWrite() {
        ApiUser loud = participant("loud@example.org");
        long id = thread(loud, "Loud", "first");
        long loudId = loud.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
        assertEquals(403, loud.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/" + loudId, null).statusCode(), "facilitators only");
        assertEquals(204, facilitator.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/" + loudId, null).statusCode());

        HttpResponse<Buffer> reply = loud.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "again"));
        assertEquals(403, reply.statusCode());
        assertTrue(reply.bodyAsJsonObject().getString("detail").contains("paused"));
        assertEquals(403, loud.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "x").put("body", "y")).statusCode());
        assertEquals(200, loud.call(HttpMethod.GET, "/api/v1/threads/" + id, null).statusCode(), "reading is fine");

        assertEquals(204, facilitator.call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/silenced/" + loudId, null).statusCode());
        assertEquals(201, loud.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "calmer")).statusCode());
    }
}
