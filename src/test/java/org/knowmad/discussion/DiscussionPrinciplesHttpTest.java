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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * The course's own principles in discussions (issue 12), switched on in the demo course's YAML: a reply-first
 * prompt no channel leaks before one has answered, working-out-loud marks and the facilitators' help requests,
 * and a "what went wrong" prompt (anonymous to peers by default, "helpful" and "me too" only). Switched off
 * again, each prompt is an ordinary one.
 */
@ExtendWith(VertxExtension.class)
class DiscussionPrinciplesHttpTest {

    private static final String PROMPTS = """
                  - { title: "Introduce yourself", body: "Who are you and what brings you here?" }
                  - { title: "What keeps you from sharing", body: "What stops you sharing what you know?", reply_first: true }
                  - { title: "What went wrong", body: "Tell us about a mistake and what it taught you.", type: mistakes }
            """;
    private static final String THREADS = "/api/v1/courses/demo/spring/modules/week-1/threads";

    private static TestNode node;
    private static MutableClock clock;
    private static Vertx vertx;

    @BeforeAll
    static void start(Vertx v) throws IOException {
        vertx = v;
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.start(v, TestDatabase.fresh(), courses(true), clock, Fixtures.tempDir());
        Await.await(node.app.releases().runOnce());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A copy of the test courses whose demo week 1 has the three prompts, with the principles switched on or off. */
    private static Path courses(boolean on) throws IOException {
        Path dir = Fixtures.coursesCopy();
        writePrompts(dir, on);
        return dir;
    }

    private static void writePrompts(Path dir, boolean on) throws IOException {
        Path yaml = dir.resolve("demo/course.yaml");
        String text = Files.readString(yaml);
        // Week 1's prompts run from its first prompt to week 2.
        int at = text.indexOf("      - { title: \"Introduce yourself\"");
        int end = text.indexOf("  - id: week-2");
        text = text.substring(0, at) + text.substring(end);
        String prompts = on ? PROMPTS : PROMPTS.replace(", reply_first: true", "").replace(", type: mistakes", "");
        text = text.substring(0, at) + prompts + text.substring(at);
        Files.writeString(yaml, text);
    }

    private static long promptThread(ApiUser u, String title) {
        JsonArray threads = u.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads");
        return threads.stream().map(JsonObject.class::cast).filter(t -> t.getString("title").equals(title)).findFirst().orElseThrow()
                .getLong("id");
    }

    private static int post(ApiUser u, long thread, JsonObject body) {
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", body);
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getInteger("number");
    }

    private static List<String> mailsTo(String email) {
        List<String> mails = new ArrayList<>();
        for (Row r : Await.await(node.app.pool().preparedQuery(
                "SELECT subject || ' ' || body_text FROM outbox WHERE to_email = $1 AND subject NOT LIKE '%sign-in link%' ORDER BY id")
                .execute(Tuple.of(email)))) {
            mails.add(r.getString(0));
        }
        return mails;
    }

    private static long accountId(String email) {
        return Await.await(node.app.pool().preparedQuery("SELECT id FROM account WHERE email = $1").execute(Tuple.of(email)))
                .iterator().next().getLong(0);
    }

    @Test
    void aReplyFirstPromptShowsNoPeersAnswerOnAnyChannelUntilOneHasAnswered() {
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        ApiUser cy = ApiUser.joined(node, clock, "cy@example.org", "spring");
        ApiUser ada = ApiUser.joined(node, clock, "ada@example.org", "spring");
        ApiUser ben = ApiUser.joined(node, clock, "ben@example.org", "spring");
        long id = promptThread(ben, "What keeps you from sharing");
        String path = "/courses/demo/spring/threads/" + id;
        // Ben follows the thread without answering; he would be told of every post in it.
        assertEquals(200, ben.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/follow", null).statusCode());

        post(cy, id, new JsonObject().put("body", "Time, mostly."));
        int adas = post(ada, id, new JsonObject().put("body", "Fear of a zebracrossing verdict. @ben @cy @fac what do you think?"));

        // The API: the prompt only, and why.
        JsonObject api = ben.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertEquals(1, api.getJsonArray("posts").size(), api.encode());
        assertTrue(api.getBoolean("replyFirst"));
        assertTrue(api.getBoolean("othersHidden"));
        assertFalse(api.encode().contains("zebracrossing") || api.encode().contains("Time, mostly"));
        // The page and its live fragment.
        Browser benBrowser = node.browser().signIn("ben@example.org");
        String page = benBrowser.get(path).bodyAsString();
        assertTrue(page.contains("Post your own answer first; then you will see the others"), page);
        assertTrue(page.contains("2 answers so far"), page);
        assertFalse(page.contains("zebracrossing") || page.contains("Time, mostly"));
        String fragment = benBrowser.get(path + "/posts?after=0").bodyAsString();
        assertFalse(fragment.contains("zebracrossing") || fragment.contains("Time, mostly"), fragment);
        assertEquals(404, ben.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/" + adas + "/helpful", null).statusCode(),
                "no reacting to an answer one may not see yet");
        // Edit history, page and API: an answer one may not see yet has no history for them either.
        assertEquals(404, ben.call(HttpMethod.GET, "/api/v1/threads/" + id + "/posts/" + adas + "/history", null).statusCode());
        String historyPage = benBrowser.get(path + "/posts/" + adas + "/history").bodyAsString();
        assertFalse(historyPage.contains("zebracrossing"), historyPage);
        assertEquals(200, cy.call(HttpMethod.GET, "/api/v1/threads/" + id + "/posts/" + adas + "/history", null).statusCode(),
                "who answered reads it");
        // Search, page and API.
        assertEquals(0, ben.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=zebracrossing", null).bodyAsJsonObject()
                .getJsonArray("hits").size());
        assertFalse(benBrowser.get("/courses/demo/spring/search?q=zebracrossing").bodyAsString().contains(path));
        assertEquals(1, cy.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=zebracrossing", null).bodyAsJsonObject()
                .getJsonArray("hits").size(), "who answered finds it");
        assertEquals(1, fay.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=zebracrossing", null).bodyAsJsonObject()
                .getJsonArray("hits").size(), "facilitators find everything");
        // Person pages: Ada's answer is not listed for Ben, it is for Cy.
        assertFalse(benBrowser.get("/courses/demo/spring/people/ada").bodyAsString().contains(path));
        assertTrue(node.browser().signIn("cy@example.org").get("/courses/demo/spring/people/ada").bodyAsString().contains(path));
        // The feed carries module openings, never posts.
        assertFalse(ben.call(HttpMethod.GET, "/courses/demo/spring/feed.atom", null).bodyAsString().contains("zebracrossing"));
        // Mail: Ben is followed and mentioned but has not answered; Cy and the facilitator have (or may see all).
        assertTrue(mailsTo("ben@example.org").isEmpty(), mailsTo("ben@example.org").toString());
        assertEquals(1, mailsTo("cy@example.org").size(), "cy answered: told of the mention");
        assertEquals(1, mailsTo("fac@example.org").size(), "the facilitator sees everything");
        // Facilitators see every answer.
        JsonObject seenByFay = fay.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertEquals(3, seenByFay.getJsonArray("posts").size());
        assertFalse(seenByFay.getBoolean("othersHidden"));

        // A digest never lists an answer Ben may not read yet (a notification recorded before the prompt became reply-first).
        Await.await(node.app.pool().preparedQuery("UPDATE account SET notify_mode = 'daily' WHERE id = $1").execute(Tuple.of(accountId("ben@example.org"))));
        Await.await(node.app.pool().preparedQuery("INSERT INTO notification (account_id, kind, thread_id, post_number, created_at) "
                + "VALUES ($1, 'followed', $2, $3, now())").execute(Tuple.of(accountId("ben@example.org"), id, adas)));
        Await.await(node.app.notifications().sendDigests());
        assertTrue(mailsTo("ben@example.org").stream().noneMatch(m -> m.contains("What keeps you from sharing")), mailsTo("ben@example.org").toString());

        // Live events: Ben's stream is not even told a post arrived; Cy's is.
        ApiUser dan = ApiUser.joined(node, clock, "dan@example.org", "spring");
        try (SseClient benStream = SseClient.connect(vertx, node.port(), path + "/events", "Authorization", "Bearer " + ben.token());
             SseClient cyStream = SseClient.connect(vertx, node.port(), path + "/events", "Authorization", "Bearer " + cy.token())) {
            int dans = post(dan, id, new JsonObject().put("body", "Nobody asks."));
            assertTrue(cyStream.awaitText("\"number\":" + dans).contains("post-created"));
            assertEquals(200, fay.call(HttpMethod.PATCH, "/api/v1/threads/" + id, new JsonObject().put("pinned", true)).statusCode());
            String toBen = benStream.awaitText("thread-changed");
            assertFalse(toBen.contains("post-created"), toBen);
        }

        // Ben answers: now every channel shows the others.
        post(ben, id, new JsonObject().put("body", "I never know who reads it."));
        JsonObject after = ben.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertEquals(5, after.getJsonArray("posts").size());
        assertFalse(after.getBoolean("othersHidden"));
        String pageAfter = benBrowser.get(path).bodyAsString();
        assertTrue(pageAfter.contains("zebracrossing"));
        assertFalse(pageAfter.contains("Post your own answer first"));
        assertEquals(1, ben.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=zebracrossing", null).bodyAsJsonObject()
                .getJsonArray("hits").size());
        assertTrue(benBrowser.get("/courses/demo/spring/people/ada").bodyAsString().contains(path));
        try (SseClient benStream = SseClient.connect(vertx, node.port(), path + "/events", "Authorization", "Bearer " + ben.token())) {
            int next = post(cy, id, new JsonObject().put("body", "Welcome, Ben."));
            assertTrue(benStream.awaitText("\"number\":" + next).contains("post-created"));
        }
    }

    @Test
    void marksAreSetByTheirAuthorFilterTheListAndOpenHelpRequestsReachFacilitators() {
        ApiUser eva = ApiUser.joined(node, clock, "eva@example.org", "spring");
        ApiUser fred = ApiUser.joined(node, clock, "fred@example.org", "spring");
        long id = eva.call(HttpMethod.POST, THREADS, new JsonObject().put("title", "My half-built onboarding plan")
                .put("body", "Still rough; where does it break?")).bodyAsJsonObject().getLong("id");
        String mark = "/api/v1/threads/" + id + "/posts/1/mark";
        assertEquals(403, fred.call(HttpMethod.PUT, mark, new JsonObject().put("mark", "help")).statusCode(), "not fred's post");
        HttpResponse<Buffer> bad = eva.call(HttpMethod.PUT, mark, new JsonObject().put("mark", "urgent"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.bodyAsString().contains("wip"), bad.bodyAsString());
        assertEquals(200, eva.call(HttpMethod.PUT, mark, new JsonObject().put("mark", "help")).statusCode());

        JsonArray helpList = fred.call(HttpMethod.GET, THREADS + "?mark=help", null).bodyAsJsonObject().getJsonArray("threads");
        assertEquals(List.of(id), helpList.stream().map(t -> ((JsonObject) t).getLong("id")).toList());
        assertTrue(fred.call(HttpMethod.GET, THREADS + "?mark=wip", null).bodyAsJsonObject().getJsonArray("threads").stream()
                .noneMatch(t -> ((JsonObject) t).getLong("id") == id));
        assertEquals(400, fred.call(HttpMethod.GET, THREADS + "?mark=urgent", null).statusCode());
        assertEquals("help", fred.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts")
                .getJsonObject(0).getString("mark"));

        // The module page's list, by the same whitelisted parameter (kept beside the list's order and filter).
        Browser fredPage = node.browser().signIn("fred@example.org");
        String helpPage = fredPage.get("/courses/demo/spring/modules/week-1?mark=help").bodyAsString();
        assertTrue(helpPage.contains("My half-built onboarding plan") && helpPage.contains("tag help"), helpPage);
        assertTrue(helpPage.contains("?order=newest&amp;mark=help") || helpPage.contains("?order=newest&mark=help"), "the mark stays when the order changes");
        assertFalse(fredPage.get("/courses/demo/spring/modules/week-1?mark=wip").bodyAsString().contains("My half-built onboarding plan"));
        assertEquals(400, fredPage.get("/courses/demo/spring/modules/week-1?mark=urgent").statusCode());

        // The facilitators' list of open help requests, on the moderation page.
        Browser fay = node.browser().signIn("fac@example.org");
        String moderation = fay.get("/courses/demo/spring/moderation").bodyAsString();
        assertTrue(moderation.contains("My half-built onboarding plan"), moderation);
        assertEquals(403, node.browser().signIn("fred@example.org").get("/courses/demo/spring/moderation").statusCode());
        post(fred, id, new JsonObject().put("body", "Step three assumes a laptop on day one."));
        assertFalse(fay.get("/courses/demo/spring/moderation").bodyAsString().contains("My half-built onboarding plan"), "answered: off the list");

        // The author's form: work in progress, shown as a tag; and taking a mark off.
        Browser evaBrowser = node.browser().signIn("eva@example.org");
        String threadPath = "/courses/demo/spring/threads/" + id;
        evaBrowser.get(threadPath);
        assertEquals(303, evaBrowser.post(threadPath + "/posts/1/mark", "mark", "wip").statusCode());
        assertTrue(evaBrowser.get(threadPath).bodyAsString().contains("<span class=\"tag wip\">Work in progress</span>"));
        assertTrue(evaBrowser.get("/courses/demo/spring/modules/week-1").bodyAsString().contains("tag wip"));
        assertEquals(200, eva.call(HttpMethod.DELETE, mark, null).statusCode());
        assertNull(fred.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts").getJsonObject(0)
                .getString("mark"));
        Browser fredBrowser = node.browser().signIn("fred@example.org");
        fredBrowser.get(threadPath);
        assertEquals(403, fredBrowser.post(threadPath + "/posts/1/mark", "mark", "help").statusCode(), "the form refuses others too");
    }

    @Test
    void mistakesAreAnonymousToPeersByDefaultAndTakeOnlyHelpfulAndMeToo() {
        ApiUser gus = ApiUser.joined(node, clock, "gus@example.org", "spring");
        ApiUser hal = ApiUser.joined(node, clock, "hal@example.org", "spring");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        long id = promptThread(gus, "What went wrong");
        int number = post(gus, id, new JsonObject().put("body", "I shipped on a Friday."));

        JsonObject seen = hal.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertTrue(seen.getBoolean("mistakes"));
        assertEquals(new JsonArray().add("helpful").add("me-too"), seen.getJsonArray("reactions"));
        JsonObject gusPost = seen.getJsonArray("posts").getJsonObject(1);
        assertTrue(gusPost.getBoolean("anonymous"), "anonymous by default");
        assertNull(gusPost.getString("author"));
        assertFalse(seen.encode().contains("gus"));
        assertEquals("gus", fay.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts")
                .getJsonObject(1).getString("author"), "the facilitator still knows");
        int named = post(hal, id, new JsonObject().put("body", "Mine: no backups.").put("anonymous", false));
        assertEquals("hal", gus.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts")
                .getJsonObject(named - 1).getString("author"), "who unticks the box is named");

        String reactions = "/api/v1/threads/" + id + "/posts/" + number + "/reactions/";
        HttpResponse<Buffer> meToo = hal.call(HttpMethod.PUT, reactions + "me-too", null);
        assertEquals(200, meToo.statusCode(), meToo.bodyAsString());
        assertEquals(1, meToo.bodyAsJsonObject().getInteger("count"));
        assertEquals(1, hal.call(HttpMethod.PUT, reactions + "me-too", null).bodyAsJsonObject().getInteger("count"), "once per person");
        assertEquals(200, hal.call(HttpMethod.PUT, reactions + "helpful", null).statusCode());
        HttpResponse<Buffer> funny = hal.call(HttpMethod.PUT, reactions + "funny", null);
        assertEquals(409, funny.statusCode());
        assertTrue(funny.bodyAsString().contains("me too"), funny.bodyAsString());
        JsonObject counted = hal.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getJsonArray("posts").getJsonObject(1);
        assertEquals(1, counted.getInteger("meToo"));
        assertEquals(1, counted.getInteger("helpful"));
        assertTrue(counted.getBoolean("meTooByMe"));
        assertEquals(0, hal.call(HttpMethod.DELETE, reactions + "me-too", null).bodyAsJsonObject().getInteger("count"));

        // The page: the encouraging line, the box ticked, a "me too" button.
        Browser halBrowser = node.browser().signIn("hal@example.org");
        String page = halBrowser.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(page.contains("Mistakes may be shared here; what went wrong is how we learn"));
        assertTrue(page.contains("name=\"anonymous\" checked"));
        assertTrue(page.contains("/posts/" + number + "/reactions/me-too"));
        assertEquals(303, halBrowser.post("/courses/demo/spring/threads/" + id + "/posts/" + number + "/reactions/me-too").statusCode());

        // An ordinary thread: "helpful" only.
        long plain = promptThread(gus, "Introduce yourself");
        int intro = post(gus, plain, new JsonObject().put("body", "Hello."));
        assertEquals(409, hal.call(HttpMethod.PUT, "/api/v1/threads/" + plain + "/posts/" + intro + "/reactions/me-too", null).statusCode());
        assertEquals(200, hal.call(HttpMethod.PUT, "/api/v1/threads/" + plain + "/posts/" + intro + "/reactions/helpful", null).statusCode());
        assertFalse(hal.call(HttpMethod.GET, "/api/v1/threads/" + plain, null).bodyAsJsonObject().getJsonArray("posts")
                .getJsonObject(1).getBoolean("anonymous"), "not anonymous by default elsewhere");
        assertFalse(halBrowser.get("/courses/demo/spring/threads/" + plain).bodyAsString().contains("name=\"anonymous\" checked"));
    }

    @Test
    void switchedOffInTheYamlEachPromptIsAnOrdinaryOne(Vertx v) throws IOException {
        Path dir = courses(true);
        MutableClock own = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode other = TestNode.start(v, TestDatabase.fresh(), dir, own, Fixtures.tempDir());
        try {
            Await.await(other.app.releases().runOnce());
            ApiUser ivy = ApiUser.joined(other, own, "ivy@example.org", "spring");
            ApiUser jon = ApiUser.joined(other, own, "jon@example.org", "spring");
            JsonArray threads = ivy.call(HttpMethod.GET, THREADS, null).bodyAsJsonObject().getJsonArray("threads");
            long replyFirst = idOf(threads, "What keeps you from sharing");
            long mistakes = idOf(threads, "What went wrong");
            post(ivy, replyFirst, new JsonObject().put("body", "Answer one."));
            int m = post(ivy, mistakes, new JsonObject().put("body", "A mistake."));
            assertEquals(1, jon.call(HttpMethod.GET, "/api/v1/threads/" + replyFirst, null).bodyAsJsonObject().getJsonArray("posts").size());

            writePrompts(dir, false);
            Await.await(other.app.catalog().reload());
            JsonObject now = jon.call(HttpMethod.GET, "/api/v1/threads/" + replyFirst, null).bodyAsJsonObject();
            assertEquals(2, now.getJsonArray("posts").size(), "off: every answer shows");
            assertFalse(now.getBoolean("replyFirst"));
            assertFalse(jon.call(HttpMethod.GET, "/api/v1/threads/" + mistakes, null).bodyAsJsonObject().getBoolean("mistakes"));
            assertEquals(409, jon.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/posts/" + m + "/reactions/me-too", null).statusCode());
            int named = post(jon, mistakes, new JsonObject().put("body", "Another."));
            assertEquals("jon", ivy.call(HttpMethod.GET, "/api/v1/threads/" + mistakes, null).bodyAsJsonObject().getJsonArray("posts")
                    .getJsonObject(named - 1).getString("author"), "off: not anonymous by default");
        } finally {
            other.close();
        }
    }

    /** The Dutch example switches them on where they fit: one reply-first prompt, one mistakes prompt. */
    @Test
    void theDutchExampleHasAReplyFirstAndAMistakesPrompt() throws Exception {
        org.knowmad.course.CourseCatalog catalog = new org.knowmad.course.CourseCatalog(Path.of("courses"), org.knowmad.course.ReloadGuard.acceptAll());
        catalog.reload().toCompletionStage().toCompletableFuture().get();
        org.knowmad.course.Course knowmad = catalog.course("knowmad").orElseThrow();
        assertEquals(List.of("knowmad/week-2#1"), ThreadRules.replyFirstKeys(knowmad));
        assertTrue(knowmad.definition().module("week-1").orElseThrow().prompts().get(1).mistakes());
    }

    private static long idOf(JsonArray threads, String title) {
        return threads.stream().map(JsonObject.class::cast).filter(t -> t.getString("title").equals(title)).findFirst().orElseThrow().getLong("id");
    }
}
