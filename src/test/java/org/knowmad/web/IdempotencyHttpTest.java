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
import java.time.Instant;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

    @BeforeEach
    void springDayTwo() {
        clock.set(Fixtures.SPRING_DAY_2);
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
    void aKeyReusedWithAnotherMethodOnTheSamePathIsRefusedAndChangesNothing() {
        clock.set(Instant.parse("2030-09-03T10:00:00Z")); // the café course's autumn cohort, week 1
        ApiUser hu = ApiUser.create(node, clock, "idem.hu@example.org");
        assertEquals(200, hu.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true))
                .statusCode());
        String registration = "/api/v1/courses/cafe/autumn/meetup/registration";
        HttpResponse<Buffer> registered = call(hu, HttpMethod.POST, registration, "seat-1", null);
        assertEquals(200, registered.statusCode(), registered.bodyAsString());
        String status = registered.bodyAsJsonObject().getString("status"); // a seat or the waiting list: either stands

        HttpResponse<Buffer> cancel = call(hu, HttpMethod.DELETE, registration, "seat-1", null);
        assertEquals(422, cancel.statusCode(), cancel.bodyAsString());
        assertTrue(cancel.bodyAsJsonObject().getString("detail").contains("(POST " + registration + ")"), cancel.bodyAsString());
        HttpResponse<Buffer> repeat = call(hu, HttpMethod.POST, registration, "seat-1", null);
        assertEquals(status, repeat.bodyAsJsonObject().getString("status"), "still registered: " + repeat.bodyAsString());

        HttpResponse<Buffer> cancelled = call(hu, HttpMethod.DELETE, registration, "leave-1", null);
        assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
        assertEquals(true, cancelled.bodyAsJsonObject().getBoolean("cancelled"));
    }

    @Test
    void aKeyStoredBeforeTheMethodWasPartOfItStillAnswersARepeatOnItsPath() {
        ApiUser ivo = ApiUser.joined(node, clock, "idem.ivo@example.org", "spring");
        long id = thread(ivo, "Stored before");
        String path = "/api/v1/threads/" + id + "/posts";
        HttpResponse<Buffer> first = call(ivo, HttpMethod.POST, path, "old-key", new JsonObject().put("body", "once"));
        assertEquals(201, first.statusCode(), first.bodyAsString());
        // As keys were stored until December 2026: the path alone.
        Await.await(node.app.pool().preparedQuery("UPDATE idempotency_key SET path = $1 WHERE key = 'old-key'").execute(Tuple.of(path)));
        HttpResponse<Buffer> again = call(ivo, HttpMethod.POST, path, "old-key", new JsonObject().put("body", "once"));
        assertEquals(first.bodyAsJsonObject().getInteger("number"), again.bodyAsJsonObject().getInteger("number"), again.bodyAsString());
        assertEquals(2, posts(ivo, id).size(), "the first post and the reply, once");
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

    private static long count(String query, Object... args) {
        return Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).iterator().next().getLong(0);
    }

    // ---- flags and question votes ----

    @Test
    void aFlagRepeatedAnswersTheFirstResultInsteadOfAlreadyFlagged() {
        ApiUser ka = ApiUser.joined(node, clock, "idem.ka@example.org", "spring");
        ApiUser lu = ApiUser.joined(node, clock, "idem.lu@example.org", "spring");
        long id = thread(ka, "Flag me");
        String path = "/api/v1/threads/" + id + "/posts/1/flags";
        JsonObject body = new JsonObject().put("reason", "off topic");
        HttpResponse<Buffer> first = call(lu, HttpMethod.POST, path, "f-1", body);
        HttpResponse<Buffer> again = call(lu, HttpMethod.POST, path, "f-1", body);
        assertEquals(200, first.statusCode(), first.bodyAsString());
        assertEquals(200, again.statusCode(), again.bodyAsString());
        assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
        assertEquals(1, call(lu, HttpMethod.POST, path, "f-2", body).bodyAsJsonObject().getInteger("flags"), "one flag per person, as before");

        Browser ka2 = node.browser().signIn("idem.lu@example.org");
        long other = thread(ka, "Flag me by form");
        String threadPath = "/courses/demo/spring/threads/" + other;
        String key = idem(ka2.get(threadPath).bodyAsString());
        HttpResponse<Buffer> f1 = ka2.post(threadPath + "/posts/1/flag", "reason", "rude", "_idem", key);
        HttpResponse<Buffer> f2 = ka2.post(threadPath + "/posts/1/flag", "reason", "rude", "_idem", key);
        assertEquals(303, f1.statusCode(), f1.bodyAsString());
        assertEquals(303, f2.statusCode(), f2.bodyAsString());
        assertEquals(f1.getHeader("Location"), f2.getHeader("Location"));
    }

    @Test
    void formsRepeatedDownAPageCarryAKeyPerRowSoAStalePageStillActsOnAnotherRow() {
        ApiUser oz = ApiUser.joined(node, clock, "idem.oz@example.org", "spring");
        ApiUser.joined(node, clock, "idem.pi@example.org", "spring");
        long id = thread(oz, "Two posts");
        assertEquals(201, oz.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "Second")).statusCode());
        Browser pi = node.browser().signIn("idem.pi@example.org");
        String threadPath = "/courses/demo/spring/threads/" + id;
        String page = pi.get(threadPath).bodyAsString();
        Matcher flagKeys = Pattern.compile("/posts/(\\d+)/flag\">\\s*<input type=\"hidden\" name=\"_csrf\" value=\"[^\"]*\"><input type=\"hidden\" name=\"_idem\" value=\"([^\"]+)\"")
                .matcher(page);
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        while (flagKeys.find()) keys.put(flagKeys.group(1), flagKeys.group(2));
        assertEquals(2, keys.size(), "a flag form under each post");
        assertNotEquals(keys.get("1"), keys.get("2"), "one key per post");
        // The page is not reloaded (back button, a second tab): flagging the other post is a new action.
        HttpResponse<Buffer> f1 = pi.post(threadPath + "/posts/1/flag", "reason", "rude", "_idem", keys.get("1"));
        HttpResponse<Buffer> f2 = pi.post(threadPath + "/posts/2/flag", "reason", "rude", "_idem", keys.get("2"));
        assertEquals(303, f1.statusCode(), f1.bodyAsString());
        assertEquals(303, f2.statusCode(), f2.bodyAsString());
        assertEquals(f1.getHeader("Location"), pi.post(threadPath + "/posts/1/flag", "reason", "rude", "_idem", keys.get("1")).getHeader("Location"));
        assertEquals(2L, count("SELECT count(*) FROM flag f JOIN account a ON a.id = f.account_id WHERE a.email = $1", "idem.pi@example.org"));
    }

    @Test
    void aQuestionVoteRepeatedAnswersTheFirstCount() {
        ApiUser mo = ApiUser.joined(node, clock, "idem.mo@example.org", "spring");
        ApiUser ny = ApiUser.joined(node, clock, "idem.ny@example.org", "spring");
        long id = thread(mo, "Nominated");
        assertEquals(200, mo.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/nomination", null).statusCode());
        String path = "/api/v1/threads/" + id + "/vote";
        HttpResponse<Buffer> on = call(ny, HttpMethod.PUT, path, "v-1", null);
        assertEquals(1, on.bodyAsJsonObject().getInteger("votes"), on.bodyAsString());
        assertEquals(0, call(ny, HttpMethod.DELETE, path, "v-2", null).bodyAsJsonObject().getInteger("votes"));
        assertEquals(on.bodyAsJsonObject(), call(ny, HttpMethod.PUT, path, "v-1", null).bodyAsJsonObject(), "the first answer");
        assertEquals(0L, count("SELECT count(*) FROM meetup_vote v JOIN account a ON a.id = v.account_id WHERE a.email = $1", "idem.ny@example.org"),
                "the vote stays taken back");

        Browser browser = node.browser().signIn("idem.ny@example.org");
        String threadPath = "/courses/demo/spring/threads/" + id;
        String key = idem(browser.get(threadPath).bodyAsString());
        assertEquals(303, browser.post(threadPath + "/vote", "_idem", key).statusCode());
        assertEquals(303, browser.post(threadPath + "/vote", "vote", "off", "_idem", key).statusCode(), "a repeat, not a new action");
        assertEquals(1L, count("SELECT count(*) FROM meetup_vote v JOIN account a ON a.id = v.account_id WHERE a.email = $1", "idem.ny@example.org"));
    }

    // ---- submissions and reviews (the demo course's week 3 assignment) ----

    static final Instant WEEK_3_OPEN = Instant.parse("2030-03-18T08:00:00Z");
    static final Instant SUBMIT_BY = Instant.parse("2030-03-22T08:00:00Z");
    static final String ASSIGNMENT_API = "/api/v1/courses/demo/spring/modules/week-3/assignment";
    static final String ASSIGNMENT = "/courses/demo/spring/modules/week-3/assignment";

    @Test
    void submissionsClaimsAndReviewsAreDoneOncePerKey() {
        List<ApiUser> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) people.add(ApiUser.joined(node, clock, "idem.r" + i + "@example.org", "spring"));
        // Keys count for a day: the first submission is an hour before the deadline, its retry an hour after.
        clock.set(SUBMIT_BY.minus(Duration.ofHours(1)));
        JsonObject text = new JsonObject().put("text", "My practice");
        HttpResponse<Buffer> s1 = call(people.get(0), HttpMethod.PUT, ASSIGNMENT_API + "/submission", "sub-1", text);
        HttpResponse<Buffer> s2 = call(people.get(0), HttpMethod.PUT, ASSIGNMENT_API + "/submission", "sub-1", text);
        assertEquals(200, s1.statusCode(), s1.bodyAsString());
        assertEquals(s1.bodyAsJsonObject(), s2.bodyAsJsonObject(), "the submission as it stands: the first answer");
        for (int i = 1; i < people.size(); i++) {
            assertEquals(200, call(people.get(i), HttpMethod.PUT, ASSIGNMENT_API + "/submission", null, text.copy().put("text", "Practice " + i)).statusCode());
        }

        // The form: draft then submit, each repeated with its key.
        Browser r1 = node.browser().signIn("idem.r1@example.org");
        String key = idem(r1.get(ASSIGNMENT).bodyAsString());
        HttpResponse<Buffer> f1 = r1.post(ASSIGNMENT + "/submission", "text", "Practice 1, better", "_idem", key);
        HttpResponse<Buffer> f2 = r1.post(ASSIGNMENT + "/submission", "text", "Practice 1, better", "_idem", key);
        assertEquals(303, f1.statusCode(), f1.bodyAsString());
        assertEquals(f1.getHeader("Location"), f2.getHeader("Location"));

        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        assertEquals(200, call(people.get(0), HttpMethod.PUT, ASSIGNMENT_API + "/submission", "sub-1", text).statusCode(),
                "a retry after the deadline repeats the answer instead of being refused");
        assertEquals(409, call(people.get(0), HttpMethod.PUT, ASSIGNMENT_API + "/submission", "sub-2", text).statusCode(), "a new change is refused");

        ApiUser reviewer = people.get(2);
        HttpResponse<Buffer> claim = call(reviewer, HttpMethod.POST, ASSIGNMENT_API + "/next-review", "next-1", null);
        assertEquals(200, claim.statusCode(), claim.bodyAsString());
        long reviewId = claim.bodyAsJsonObject().getLong("id");
        JsonObject review = new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", 1))
                .put("comment", "Clear story about the practice; the conclusion could name one concrete next step.");
        HttpResponse<Buffer> saved = call(reviewer, HttpMethod.PUT, "/api/v1/reviews/" + reviewId, "save-1", review);
        assertEquals(200, saved.statusCode(), saved.bodyAsString());
        assertEquals(saved.bodyAsJsonObject(), call(reviewer, HttpMethod.PUT, "/api/v1/reviews/" + reviewId, "save-1", review).bodyAsJsonObject());
        HttpResponse<Buffer> again = call(reviewer, HttpMethod.POST, ASSIGNMENT_API + "/next-review", "next-1", null);
        assertEquals(200, again.statusCode(), again.bodyAsString());
        assertEquals(reviewId, again.bodyAsJsonObject().getLong("id"), "a retried claim answers the first claim, not a new one");
        assertEquals(1L, count("SELECT count(*) FROM review r JOIN account a ON a.id = r.reviewer_id WHERE a.email = $1", "idem.r2@example.org"));

        // The next-review and review forms.
        Browser r3 = node.browser().signIn("idem.r3@example.org");
        String next = idem(r3.get(ASSIGNMENT).bodyAsString());
        HttpResponse<Buffer> n1 = r3.post(ASSIGNMENT + "/next-review", "_idem", next);
        assertEquals(303, n1.statusCode(), n1.bodyAsString());
        String reviewPage = n1.getHeader("Location");
        String saveKey = idem(r3.get(reviewPage).bodyAsString());
        String[] form = {"score-clarity", "1", "score-depth", "0", "comment", review.getString("comment"), "_idem", saveKey};
        HttpResponse<Buffer> v1 = r3.post(reviewPage, form);
        HttpResponse<Buffer> v2 = r3.post(reviewPage, form);
        assertEquals(303, v1.statusCode(), v1.bodyAsString());
        assertEquals(v1.getHeader("Location"), v2.getHeader("Location"));
        assertEquals(reviewPage, r3.post(ASSIGNMENT + "/next-review", "_idem", next).getHeader("Location"), "the first claim again");
        assertEquals(1L, count("SELECT count(*) FROM review r JOIN account a ON a.id = r.reviewer_id WHERE a.email = $1", "idem.r3@example.org"));
    }

    // ---- the meetup (the café course's autumn cohort) ----

    static final Instant CAFE_WEEK_1 = Instant.parse("2030-09-03T10:00:00Z");
    static final Instant CAFE = Instant.parse("2030-09-16T11:00:00Z");
    static final String MEETUP_API = "/api/v1/courses/cafe/autumn/meetup";
    static final String MEETUP = "/courses/cafe/autumn/meetup";

    private static ApiUser cafe(String email) {
        ApiUser u = ApiUser.create(node, clock, email);
        assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        return u;
    }

    @Test
    void registrationsCancellationsLiveQuestionsVotesAndNotesAreDoneOncePerKey() {
        clock.set(CAFE_WEEK_1);
        ApiUser a = cafe("idem.m0@example.org"), b = cafe("idem.m1@example.org"), c = cafe("idem.m2@example.org");
        HttpResponse<Buffer> r1 = call(a, HttpMethod.POST, MEETUP_API + "/registration", "reg-1", null);
        HttpResponse<Buffer> r2 = call(a, HttpMethod.POST, MEETUP_API + "/registration", "reg-1", null);
        assertEquals(200, r1.statusCode(), r1.bodyAsString());
        assertEquals(r1.bodyAsJsonObject(), r2.bodyAsJsonObject(), "the same ticket");
        HttpResponse<Buffer> c1 = call(a, HttpMethod.DELETE, MEETUP_API + "/registration", "cancel-1", null);
        assertEquals(true, c1.bodyAsJsonObject().getBoolean("cancelled"), c1.bodyAsString());
        assertEquals(c1.bodyAsJsonObject(), call(a, HttpMethod.DELETE, MEETUP_API + "/registration", "cancel-1", null).bodyAsJsonObject(),
                "a retried cancellation answers as the first did");
        assertEquals(false, call(a, HttpMethod.DELETE, MEETUP_API + "/registration", null, null).bodyAsJsonObject().getBoolean("cancelled"));

        Browser browser = node.browser().signIn("idem.m0@example.org");
        String key = idem(browser.get(MEETUP).bodyAsString());
        HttpResponse<Buffer> f1 = browser.post(MEETUP + "/registration", "_idem", key);
        HttpResponse<Buffer> f2 = browser.post(MEETUP + "/registration", "_idem", key);
        assertEquals(303, f1.statusCode(), f1.bodyAsString());
        assertEquals(f1.getHeader("Location"), f2.getHeader("Location"));
        String cancelKey = idem(browser.get(MEETUP).bodyAsString());
        assertEquals(303, browser.post(MEETUP + "/cancellation", "_idem", cancelKey).statusCode());
        assertEquals(303, browser.post(MEETUP + "/registration", "_idem", key).statusCode(), "an old key: a repeat, not a new registration");
        assertEquals("none", a.call(HttpMethod.GET, MEETUP_API, null).bodyAsJsonObject().getJsonObject("registration").getString("status"),
                "still cancelled");
        assertEquals(303, browser.post(MEETUP + "/registration").statusCode(), "without a key the form still works");
        assertEquals("confirmed", a.call(HttpMethod.GET, MEETUP_API, null).bodyAsJsonObject().getJsonObject("registration").getString("status"));
        assertEquals(200, b.call(HttpMethod.POST, MEETUP_API + "/registration", null).statusCode());
        // The third seat (of 3) goes to c as a walk-in, entered twice by the organiser with one key.
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        JsonObject walkIn = new JsonObject().put("email", "idem.m2@example.org").put("name", "Walk");
        HttpResponse<Buffer> w1 = call(org, HttpMethod.POST, MEETUP_API + "/walk-ins", "walk-1", walkIn);
        HttpResponse<Buffer> w2 = call(org, HttpMethod.POST, MEETUP_API + "/walk-ins", "walk-1", walkIn);
        assertEquals(201, w1.statusCode(), w1.bodyAsString());
        assertEquals(w1.bodyAsJsonObject(), w2.bodyAsJsonObject(), "the same walk-in and code");

        JsonObject item = new JsonObject().put("title", "What next?");
        HttpResponse<Buffer> ag1 = call(org, HttpMethod.POST, MEETUP_API + "/agenda", "agenda-1", item);
        HttpResponse<Buffer> ag2 = call(org, HttpMethod.POST, MEETUP_API + "/agenda", "agenda-1", item);
        assertEquals(201, ag2.statusCode(), ag2.bodyAsString());
        assertEquals(ag1.bodyAsJsonObject(), ag2.bodyAsJsonObject());
        assertEquals(1, ag2.bodyAsJsonObject().getJsonArray("agenda").size(), "one agenda item");
        clock.set(CAFE.plus(Duration.ofMinutes(10)));
        HttpResponse<Buffer> round = call(org, HttpMethod.POST, MEETUP_API + "/rounds", "round-1", new JsonObject().put("minutes", 20));
        assertEquals(201, round.statusCode(), round.bodyAsString());
        assertEquals(round.bodyAsJsonObject(), call(org, HttpMethod.POST, MEETUP_API + "/rounds", "round-1", new JsonObject().put("minutes", 20))
                .bodyAsJsonObject(), "a retried start does not skip a round");
        assertEquals(1, org.call(HttpMethod.GET, MEETUP_API + "/tables", null).bodyAsJsonObject().getInteger("round"));

        JsonObject question = new JsonObject().put("body", "How do we keep going?");
        HttpResponse<Buffer> q1 = call(b, HttpMethod.POST, MEETUP_API + "/live/questions", "q-1", question);
        HttpResponse<Buffer> q2 = call(b, HttpMethod.POST, MEETUP_API + "/live/questions", "q-1", question);
        assertEquals(201, q2.statusCode(), q2.bodyAsString());
        assertEquals(q1.bodyAsJsonObject(), q2.bodyAsJsonObject());
        assertEquals(1L, count("SELECT count(*) FROM meetup_question WHERE body = $1", "How do we keep going?"));
        long qid = q1.bodyAsJsonObject().getLong("id");
        HttpResponse<Buffer> v1 = call(c, HttpMethod.PUT, MEETUP_API + "/live/questions/" + qid + "/vote", "qv-1", null);
        assertEquals(200, v1.statusCode(), v1.bodyAsString());
        assertEquals(v1.bodyAsJsonObject(), call(c, HttpMethod.PUT, MEETUP_API + "/live/questions/" + qid + "/vote", "qv-1", null).bodyAsJsonObject());

        JsonObject note = new JsonObject().put("body", "Small groups help");
        HttpResponse<Buffer> n1 = call(c, HttpMethod.POST, MEETUP_API + "/notes", "note-1", note);
        HttpResponse<Buffer> n2 = call(c, HttpMethod.POST, MEETUP_API + "/notes", "note-1", note);
        assertEquals(201, n1.statusCode(), n1.bodyAsString());
        assertEquals(201, n2.statusCode(), n2.bodyAsString());
        assertEquals(1L, count("SELECT count(*) FROM meetup_note WHERE body = $1", "Small groups help"));

        Browser live = node.browser().signIn("idem.m1@example.org");
        String liveKey = idem(live.get(MEETUP + "/live").bodyAsString());
        HttpResponse<Buffer> lq1 = live.post(MEETUP + "/live/questions", "body", "Asked by form", "_idem", liveKey);
        HttpResponse<Buffer> lq2 = live.post(MEETUP + "/live/questions", "body", "Asked by form", "_idem", liveKey);
        assertEquals(303, lq1.statusCode(), lq1.bodyAsString());
        assertEquals(lq1.getHeader("Location"), lq2.getHeader("Location"));
        assertEquals(1L, count("SELECT count(*) FROM meetup_question WHERE body = $1", "Asked by form"));
        Browser seated = node.browser().signIn("idem.m2@example.org");
        String noteKey = idem(seated.get(MEETUP + "/live").bodyAsString());
        HttpResponse<Buffer> nf = seated.post(MEETUP + "/notes", "body", "Noted by form", "_idem", noteKey);
        assertEquals(303, nf.statusCode(), nf.bodyAsString());
        assertEquals(303, seated.post(MEETUP + "/notes", "body", "Noted by form", "_idem", noteKey).statusCode());
        assertEquals(1L, count("SELECT count(*) FROM meetup_note WHERE body = $1", "Noted by form"));

        // Check-ins at the door: a retried one answers as the first did instead of "already checked in".
        String codeA = a.call(HttpMethod.GET, MEETUP_API, null).bodyAsJsonObject().getJsonObject("registration").getString("code");
        JsonObject ticket = new JsonObject().put("code", codeA);
        HttpResponse<Buffer> in1 = call(org, HttpMethod.POST, MEETUP_API + "/checkins", "in-1", ticket);
        HttpResponse<Buffer> in2 = call(org, HttpMethod.POST, MEETUP_API + "/checkins", "in-1", ticket);
        assertEquals(200, in1.statusCode(), in1.bodyAsString());
        assertEquals(200, in2.statusCode(), in2.bodyAsString());
        assertEquals(in1.bodyAsJsonObject(), in2.bodyAsJsonObject(), "the first answer again");
        assertEquals(409, call(org, HttpMethod.POST, MEETUP_API + "/checkins", null, ticket).statusCode(), "without a key: already checked in");
        assertEquals(409, call(org, HttpMethod.POST, MEETUP_API + "/checkins", "in-2", ticket).statusCode(), "a new key: already checked in");
        String codeB = b.call(HttpMethod.GET, MEETUP_API, null).bodyAsJsonObject().getJsonObject("registration").getString("code");
        Browser door = node.browser().signIn("org@example.org");
        String doorKey = idem(door.get(MEETUP + "/control").bodyAsString());
        HttpResponse<Buffer> d1 = door.post(MEETUP + "/checkins", "code", codeB, "_idem", doorKey);
        HttpResponse<Buffer> d2 = door.post(MEETUP + "/checkins", "code", codeB, "_idem", doorKey);
        assertEquals(303, d1.statusCode(), d1.bodyAsString());
        assertEquals(303, d2.statusCode(), d2.bodyAsString());
        assertEquals(d1.getHeader("Location"), d2.getHeader("Location"));
        assertEquals(2L, count("SELECT count(*) FROM meetup_registration r JOIN account a ON a.id = r.account_id"
                + " WHERE a.email IN ('idem.m0@example.org', 'idem.m1@example.org') AND r.checked_in_at IS NOT NULL"));
    }

    // ---- invites ----

    @Test
    void aDoubleClickedInviteMakesOneCode() {
        ApiUser.create(node, clock, "fac@example.org");
        Browser fac = node.browser().signIn("fac@example.org");
        String key = idem(fac.get("/courses/demo/invited").bodyAsString());
        HttpResponse<Buffer> i1 = fac.post("/courses/demo/invited/invites", "_idem", key);
        HttpResponse<Buffer> i2 = fac.post("/courses/demo/invited/invites", "_idem", key);
        assertEquals(303, i1.statusCode(), i1.bodyAsString());
        assertEquals(i1.getHeader("Location"), i2.getHeader("Location"));
        String invites = "SELECT count(*) FROM cohort_invite WHERE course_id = 'demo' AND cohort_id = 'invited'";
        assertEquals(1L, count(invites), "one code for one click");
        assertEquals(303, fac.post("/courses/demo/invited/invites").statusCode(), "without a key the form still works");
        assertEquals(2L, count(invites));
        String next = idem(fac.get("/courses/demo/invited").bodyAsString());
        assertNotEquals(key, next, "each page brings a new key");
        assertEquals(303, fac.post("/courses/demo/invited/invites", "_idem", next).statusCode());
        assertEquals(3L, count(invites), "a new page, a new invite");
    }
}
