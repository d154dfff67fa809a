package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/**
 * A retried state change (a response lost after the commit, a double click, a reload after POST) must not
 * happen twice: the same idempotency key answers the first result, through the API header and the forms'
 * hidden {@code _idem} field alike (issue 10).
 */
@ExtendWith(VertxExtension.class)
class IdempotencyHttpTest {

    private static final String THREADS = "/api/v1/courses/demo/spring/modules/week-1/threads";
    private static final Pattern IDEM = Pattern.compile("name=\"_idem\" value=\"([^\"]+)\"");
    private static TestNode node;
    private static MutableClock clock;
    private static WebClient client;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        client = WebClient.create(vertx);
        Await.await(node.app.releases().runOnce());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** An API call with an {@code Idempotency-Key} header. */
    private static Future<HttpResponse<Buffer>> send(ApiUser u, HttpMethod method, String path, String key, JsonObject body) {
        var request = client.request(method, node.port(), "localhost", path).bearerTokenAuthentication(u.token());
        if (key != null) request.putHeader("Idempotency-Key", key);
        return body == null ? request.send() : request.sendJsonObject(body);
    }

    private static HttpResponse<Buffer> call(ApiUser u, HttpMethod method, String path, String key, JsonObject body) {
        return Await.await(send(u, method, path, key, body));
    }

    private static long thread(ApiUser u, String title) {
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, THREADS, new JsonObject().put("title", title).put("body", "First post"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private static JsonArray posts(ApiUser u, long thread) {
        return u.call(HttpMethod.GET, "/api/v1/threads/" + thread, null).bodyAsJsonObject().getJsonArray("posts");
    }

    private static String idem(String html) {
        Matcher m = IDEM.matcher(html);
        assertTrue(m.find(), "the page's forms carry an idempotency key");
        return m.group(1);
    }

    // ---- replies: the case of the drill ----

    @Test
    void theSameKeyTwiceOnAReplyMakesOnePostAndAnswersTheSame() {
        ApiUser ann = ApiUser.joined(node, clock, "idem.ann@example.org", "spring");
        long id = thread(ann, "Retries");
        String path = "/api/v1/threads/" + id + "/posts";
        JsonObject body = new JsonObject().put("body", "Only once, please");
        HttpResponse<Buffer> first = call(ann, HttpMethod.POST, path, "reply-1", body);
        HttpResponse<Buffer> again = call(ann, HttpMethod.POST, path, "reply-1", body);
        assertEquals(201, first.statusCode(), first.bodyAsString());
        assertEquals(201, again.statusCode(), again.bodyAsString());
        assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject(), "the repeat answers the first result");
        assertEquals(2, posts(ann, id).size(), "the first post and one reply");

        HttpResponse<Buffer> other = call(ann, HttpMethod.POST, path, "reply-2", body);
        assertEquals(3, other.bodyAsJsonObject().getInteger("number"), "a new key is a new reply");
        call(ann, HttpMethod.POST, path, null, body);
        call(ann, HttpMethod.POST, path, null, body);
        assertEquals(5, posts(ann, id).size(), "without a key every call is its own");
    }

    @Test
    void twoConcurrentRequestsWithTheSameKeyMakeOnePost() {
        ApiUser bo = ApiUser.joined(node, clock, "idem.bo@example.org", "spring");
        long id = thread(bo, "At once");
        String path = "/api/v1/threads/" + id + "/posts";
        for (int round = 0; round < 3; round++) {
            List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) sent.add(send(bo, HttpMethod.POST, path, "burst-" + round, new JsonObject().put("body", "burst " + round)));
            Await.await(Future.all(new ArrayList<>(sent)));
            JsonObject answer = sent.get(0).result().bodyAsJsonObject();
            for (Future<HttpResponse<Buffer>> f : sent) {
                assertEquals(201, f.result().statusCode(), f.result().bodyAsString());
                assertEquals(answer, f.result().bodyAsJsonObject(), "every duplicate answers the one result");
            }
        }
        assertEquals(4, posts(bo, id).size(), "the first post and one reply per burst");
    }

    @Test
    void keysArePerAccount() {
        ApiUser cy = ApiUser.joined(node, clock, "idem.cy@example.org", "spring");
        ApiUser di = ApiUser.joined(node, clock, "idem.di@example.org", "spring");
        long id = thread(cy, "Shared key");
        String path = "/api/v1/threads/" + id + "/posts";
        HttpResponse<Buffer> a = call(cy, HttpMethod.POST, path, "same-key", new JsonObject().put("body", "from cy"));
        HttpResponse<Buffer> b = call(di, HttpMethod.POST, path, "same-key", new JsonObject().put("body", "from di"));
        assertEquals(201, b.statusCode(), b.bodyAsString());
        assertNotEquals(a.bodyAsJsonObject().getInteger("number"), b.bodyAsJsonObject().getInteger("number"));
        assertEquals(3, posts(cy, id).size());
    }

    @Test
    void aKeyReusedOnAnotherPathIsRefusedAndBadKeysAre400() {
        ApiUser ed = ApiUser.joined(node, clock, "idem.ed@example.org", "spring");
        long one = thread(ed, "One");
        long two = thread(ed, "Two");
        assertEquals(201, call(ed, HttpMethod.POST, "/api/v1/threads/" + one + "/posts", "k", new JsonObject().put("body", "x")).statusCode());
        HttpResponse<Buffer> reused = call(ed, HttpMethod.POST, "/api/v1/threads/" + two + "/posts", "k", new JsonObject().put("body", "y"));
        assertEquals(422, reused.statusCode(), reused.bodyAsString());
        assertTrue(reused.bodyAsJsonObject().getString("detail").contains("another action"), reused.bodyAsString());
        assertEquals(1, posts(ed, two).size(), "nothing was posted on the other thread");

        String path = "/api/v1/threads/" + one + "/posts";
        assertEquals(400, call(ed, HttpMethod.POST, path, "x".repeat(101), new JsonObject().put("body", "z")).statusCode());
        assertEquals(400, call(ed, HttpMethod.POST, path, "with space", new JsonObject().put("body", "z")).statusCode());
        assertEquals(201, call(ed, HttpMethod.POST, path, "x".repeat(100), new JsonObject().put("body", "z")).statusCode());
        assertEquals(3, posts(ed, one).size());
    }

    @Test
    void aKeyOlderThanADayIsForgotten() {
        ApiUser fe = ApiUser.joined(node, clock, "idem.fe@example.org", "spring");
        long id = thread(fe, "Tomorrow");
        String path = "/api/v1/threads/" + id + "/posts";
        call(fe, HttpMethod.POST, path, "daily", new JsonObject().put("body", "today"));
        clock.advance(Duration.ofHours(25));
        try {
            assertEquals(3, call(fe, HttpMethod.POST, path, "daily", new JsonObject().put("body", "tomorrow")).bodyAsJsonObject().getInteger("number"));
            Await.await(new IdempotencyStore().expire(node.app.pool(), clock.instant().plus(Duration.ofHours(25))));
            assertEquals(0L, Await.await(node.app.pool().query("SELECT count(*) FROM idempotency_key").execute()).iterator().next().getLong(0));
        } finally {
            clock.advance(Duration.ofHours(-25));
        }
    }

    @Test
    void replyAndNewThreadFormsCarryAKeyAndARepeatRedirectsTheSame() {
        ApiUser.joined(node, clock, "idem.gil@example.org", "spring");
        Browser gil = node.browser().signIn("idem.gil@example.org");
        String module = gil.get("/courses/demo/spring/modules/week-1").bodyAsString();
        String key = idem(module);
        HttpResponse<Buffer> made = gil.post("/courses/demo/spring/modules/week-1/threads", "title", "Form thread", "body", "b", "_idem", key);
        HttpResponse<Buffer> remade = gil.post("/courses/demo/spring/modules/week-1/threads", "title", "Form thread", "body", "b", "_idem", key);
        assertEquals(303, made.statusCode(), made.bodyAsString());
        assertEquals(made.getHeader("Location"), remade.getHeader("Location"), "the same redirect");
        String threadPath = made.getHeader("Location");
        long id = Long.parseLong(threadPath.substring(threadPath.lastIndexOf('/') + 1));

        String page = gil.get(threadPath).bodyAsString();
        String replyKey = idem(page);
        assertNotEquals(key, replyKey, "each render gets a fresh key");
        HttpResponse<Buffer> r1 = gil.post(threadPath + "/posts", "body", "Form reply", "_idem", replyKey);
        HttpResponse<Buffer> r2 = gil.post(threadPath + "/posts", "body", "Form reply", "_idem", replyKey);
        assertEquals(303, r2.statusCode());
        assertEquals(r1.getHeader("Location"), r2.getHeader("Location"));
        assertEquals(threadPath + "#post-2", r2.getHeader("Location"));
        // An old page without the hidden field (or without JavaScript) still posts, each time anew.
        assertEquals(303, gil.post(threadPath + "/posts", "body", "No key").statusCode());
        assertEquals(303, gil.post(threadPath + "/posts", "body", "No key").statusCode());
        ApiUser reader = ApiUser.create(node, clock, "idem.gil@example.org");
        assertEquals(4, posts(reader, id).size());
        assertEquals(1, reader.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads").stream()
                .filter(t -> "Form thread".equals(((JsonObject) t).getString("title"))).count(), "one thread");
    }

    @Test
    void aNewThreadThroughTheApiIsMadeOnce() {
        ApiUser hu = ApiUser.joined(node, clock, "idem.hu@example.org", "spring");
        JsonObject body = new JsonObject().put("title", "Api once").put("body", "b");
        HttpResponse<Buffer> a = call(hu, HttpMethod.POST, THREADS, "t-1", body);
        HttpResponse<Buffer> b = call(hu, HttpMethod.POST, THREADS, "t-1", body);
        assertEquals(201, b.statusCode());
        assertEquals(a.bodyAsJsonObject(), b.bodyAsJsonObject());
        assertEquals(1, hu.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads").stream()
                .filter(t -> "Api once".equals(((JsonObject) t).getString("title"))).count());
    }

    @Test
    void aHelpfulMarkRepeatedAnswersTheFirstCount() {
        ApiUser io = ApiUser.joined(node, clock, "idem.io@example.org", "spring");
        ApiUser jo = ApiUser.joined(node, clock, "idem.jo@example.org", "spring");
        long id = thread(io, "Helpful?");
        String path = "/api/v1/threads/" + id + "/posts/1/helpful";
        HttpResponse<Buffer> on = call(jo, HttpMethod.PUT, path, "h-1", null);
        assertEquals(1, on.bodyAsJsonObject().getInteger("helpful"), on.bodyAsString());
        assertEquals(0, call(jo, HttpMethod.DELETE, path, "h-2", null).bodyAsJsonObject().getInteger("helpful"));
        HttpResponse<Buffer> repeat = call(jo, HttpMethod.PUT, path, "h-1", null);
        assertEquals(on.bodyAsJsonObject(), repeat.bodyAsJsonObject(), "the first answer, and the mark stays taken back");
        assertEquals(0, posts(io, id).getJsonObject(0).getInteger("helpful"));
    }
}
