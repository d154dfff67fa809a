package org.knowmad.meetup;

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
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Issue 12, items 6 and 7, over HTTP on two nodes sharing one database: the published harvest flows back into its
 * agenda threads once and tells who nominated or voted; the follow-up thread opens once, P42D after the meetup; hidden
 * live questions are counted with their reason for the room, their texts kept for organisers.
 */
@ExtendWith(VertxExtension.class)
class HarvestFlowsHttpTest {

    static final Instant WEEK_1 = MeetupHttpTest.WEEK_1;
    static final Instant CAFE = MeetupHttpTest.CAFE;
    /** The café lasts three hours. */
    static final Instant CAFE_ENDS = CAFE.plus(Duration.ofHours(3));
    static final String API = MeetupHttpTest.API;
    static final String PAGE = MeetupHttpTest.PAGE;

    private TestNode a;
    private TestNode b;
    private MutableClock clock;
    private Vertx vertx;

    @BeforeEach
    void start(Vertx vertx) throws IOException {
        this.vertx = vertx;
        clock = new MutableClock(WEEK_1);
        Path courses = Fixtures.coursesCopy();
        // The café course's meetup block ends the file: switch the follow-up on.
        Files.writeString(courses.resolve("cafe/course.yaml"), "  follow_up: P42D\n", StandardOpenOption.APPEND);
        DatabaseTarget db = TestDatabase.fresh();
        a = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
        b = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(a.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    private long count(String query, Object... args) {
        return sql(query, args).get(0).getLong(0);
    }

    private ApiUser participant(String email) {
        ApiUser u = ApiUser.create(a, clock, email);
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return u;
    }

    private static long thread(ApiUser who, String title) {
        HttpResponse<Buffer> r = who.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Let us talk about " + title));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private static long id(ApiUser who) {
        return who.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
    }

    private Future<HttpResponse<Buffer>> publish(TestNode node, ApiUser who, String key) {
        var request = WebClient.create(vertx).request(HttpMethod.POST, node.port(), "localhost", API + "/harvest/publication")
                .bearerTokenAuthentication(who.token());
        if (key != null) request.putHeader("Idempotency-Key", key);
        return request.send();
    }

    @Test
    void thePublishedHarvestLandsOnceInEachAgendaThreadAndTellsWhoVoted() {
        ApiUser ann = participant("ann@example.org");
        ApiUser bob = participant("bob@example.org");
        ApiUser cas = participant("cas@example.org");
        ApiUser dee = participant("dee@example.org");
        ApiUser org = ApiUser.create(a, clock, "org@example.org");
        ApiUser fac = ApiUser.create(a, clock, "fac@example.org");
        long mistakes = thread(ann, "Making mistakes");
        long depth = thread(bob, "Depth online");
        long lonely = thread(cas, "Nominated, not on the agenda");
        long plain = thread(dee, "Never nominated");
        assertEquals(200, ann.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/nomination", null).statusCode());
        assertEquals(200, bob.call(HttpMethod.PUT, "/api/v1/threads/" + depth + "/nomination", null).statusCode());
        assertEquals(200, cas.call(HttpMethod.PUT, "/api/v1/threads/" + lonely + "/nomination", null).statusCode());
        for (long t : List.of(mistakes, depth)) assertEquals(200, cas.call(HttpMethod.PUT, "/api/v1/threads/" + t + "/vote", null).statusCode());
        assertEquals(200, dee.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/vote", null).statusCode());
        assertEquals(200, bob.call(HttpMethod.PUT, "/api/v1/threads/" + lonely + "/vote", null).statusCode());
        // A closed thread still receives its harvest (MeetupRules says why).
        assertEquals(200, fac.call(HttpMethod.PATCH, "/api/v1/threads/" + depth, new JsonObject().put("closed", true)).statusCode());

        for (ApiUser p : List.of(ann, bob, cas)) assertEquals(200, p.call(HttpMethod.POST, API + "/registration", null).statusCode());
        assertEquals(201, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", mistakes)).statusCode());
        assertEquals(201, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", depth)).statusCode());
        assertEquals(201, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("title", "Our own question")).statusCode());
        JsonArray agenda = org.call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("agenda");

        clock.set(CAFE.plus(Duration.ofMinutes(10)));
        assertEquals(201, org.call(HttpMethod.POST, API + "/rounds", new JsonObject().put("minutes", 20)).statusCode());
        JsonArray tables = org.call(HttpMethod.GET, API + "/tables", null).bodyAsJsonObject().getJsonArray("tables");
        Map<Long, ApiUser> byId = new HashMap<>();
        for (ApiUser p : List.of(ann, bob, cas)) byId.put(id(p), p);
        for (int t = 0; t < 3; t++) {
            for (Object person : tables.getJsonObject(t).getJsonArray("people")) {
                ApiUser at = byId.get(((Number) person).longValue());
                assertEquals(201, at.call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", "Note at table " + (t + 1))).statusCode());
            }
        }
        clock.set(CAFE_ENDS);
        assertEquals(200, org.call(HttpMethod.POST, API + "/end", null).statusCode());
        assertEquals(200, org.call(HttpMethod.PUT, API + "/harvest", new JsonObject().put("intro", "Three tables.")
                .put("tables", new JsonObject().put(String.valueOf(agenda.getJsonObject(0).getLong("id")), "Mistakes are where learning starts"))).statusCode());
        // Dee left the cohort since voting: she is told nothing about what she can no longer read.
        assertEquals(204, dee.call(HttpMethod.DELETE, "/api/v1/courses/cafe/autumn/enrolment", null).statusCode());
        // Bob wants no mail: he gets the notification, not a mail.
        sql("UPDATE account SET notify_mode = 'off' WHERE email = 'bob@example.org'");
        long postsBefore = count("SELECT count(*) FROM post");

        assertEquals(403, Await.await(publish(a, ann, null)).statusCode(), "participants do not publish");
        // The same moment on two nodes, with two keys: one publishes, the other is refused.
        Future<HttpResponse<Buffer>> onA = publish(a, org, "publish-a");
        Future<HttpResponse<Buffer>> onB = publish(b, org, "publish-b");
        int statusA = Await.await(onA).statusCode();
        int statusB = Await.await(onB).statusCode();
        assertEquals(List.of(200, 409), List.of(statusA, statusB).stream().sorted().toList(), "published once: " + statusA + " " + statusB);
        String winner = statusA == 200 ? "publish-a" : "publish-b";
        // A retried request (the same key, on either node) answers the first result and posts nothing more.
        assertEquals(200, Await.await(publish(a, org, winner)).statusCode());
        assertEquals(200, Await.await(publish(b, org, winner)).statusCode());
        assertEquals(409, Await.await(publish(b, org, null)).statusCode());
        assertEquals(409, org.on(b).call(HttpMethod.POST, API + "/harvest/publication", null).statusCode());

        assertEquals(2, count("SELECT count(*) FROM post") - postsBefore, "one post in each agenda thread, nothing else");
        List<Row> posted = sql("SELECT thread_id, number, body, author_id FROM post WHERE created_at = $1 ORDER BY thread_id",
                CAFE_ENDS.atOffset(java.time.ZoneOffset.UTC));
        assertEquals(List.of(mistakes, depth), posted.stream().map(r -> r.getLong("thread_id")).toList());
        for (Row r : posted) assertNull(r.getLong("author_id"), "posted by the course");
        String mistakesPost = posted.get(0).getString("body");
        assertTrue(mistakesPost.contains("Note at table 1") && mistakesPost.contains("Mistakes are where learning starts")
                && !mistakesPost.contains("Note at table 2"), mistakesPost);
        assertTrue(mistakesPost.contains("/courses/cafe/autumn/meetup/harvest"), "links to the whole harvest");
        String depthPost = posted.get(1).getString("body");
        assertTrue(depthPost.contains("Note at table 2") && !depthPost.contains("Note at table 1"), depthPost);
        assertEquals(1, count("SELECT count(*) FROM meetup_harvest_post WHERE thread_id = $1 AND post_number IS NOT NULL", depth),
                "the closed thread received it too");
        assertEquals(1, count("SELECT post_count FROM thread WHERE id = $1", lonely), "a nominated thread not on the agenda gets nothing");
        assertEquals(1, count("SELECT post_count FROM thread WHERE id = $1", plain));

        String page = Await.await(WebClient.create(vertx).get(a.port(), "localhost", "/api/v1/threads/" + mistakes)
                .bearerTokenAuthentication(cas.token()).send()).bodyAsString();
        assertTrue(page.contains("Note at table 1"), "readable in the thread: " + page);

        // Who nominated or voted, once per thread; not who left; nobody for the thread off the agenda.
        List<String> told = sql("""
                SELECT a.email || ':' || n.thread_id FROM notification n JOIN account a ON a.id = n.account_id
                WHERE n.kind = 'harvest' ORDER BY a.email, n.thread_id""").stream().map(r -> r.getString(0)).toList();
        assertEquals(List.of("ann@example.org:" + mistakes, "bob@example.org:" + depth, "cas@example.org:" + mistakes, "cas@example.org:" + depth),
                told);
        List<Row> mails = sql("SELECT to_email, body_text FROM outbox WHERE dedupe_key LIKE 'harvest:%' ORDER BY to_email");
        assertEquals(List.of("ann@example.org", "cas@example.org"), mails.stream().map(r -> r.getString("to_email")).toList(),
                "one mail each for who wants mail at once; Bob chose none");
        String casMail = mails.get(1).getString("body_text");
        assertTrue(casMail.contains("Making mistakes") && casMail.contains("Depth online")
                && casMail.contains("/courses/cafe/autumn/threads/" + depth), casMail);

        // Were the harvest ever taken back and published again, the threads would not receive it twice.
        long postsAfter = count("SELECT count(*) FROM post");
        sql("UPDATE meetup_session SET harvest_published_at = NULL");
        assertEquals(200, Await.await(publish(b, org, "publish-again")).statusCode());
        assertEquals(postsAfter, count("SELECT count(*) FROM post"), "republished: nothing posted twice");
        assertEquals(4, count("SELECT count(*) FROM notification WHERE kind = 'harvest'"), "and nobody told twice");
        assertEquals(2, count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'harvest:%'"));
    }

    @Test
    void theFollowUpThreadOpensOnceAfterTheSetTimeOnEitherNode() {
        ApiUser ann = participant("ann@example.org");
        Instant due = CAFE_ENDS.plus(Duration.ofDays(42));
        clock.set(due.minusSeconds(60));
        assertEquals(List.of(), Await.await(a.app.meetupFollowUps().runOnce()));
        assertEquals(List.of(), Await.await(b.app.meetupFollowUps().runOnce()));
        assertEquals(0, count("SELECT count(*) FROM thread WHERE author_id IS NULL AND prompt_index IS NULL"), "not before P42D");

        clock.set(due);
        var both = Await.await(Future.all(a.app.meetupFollowUps().runOnce(), b.app.meetupFollowUps().runOnce()));
        List<MeetupFollowUps.Opened> opened = new ArrayList<>(both.<List<MeetupFollowUps.Opened>>resultAt(0));
        opened.addAll(both.resultAt(1));
        assertEquals(1, opened.size(), "one node opens it: " + opened);
        assertEquals("autumn", opened.get(0).cohortId(), "the winter cohort's meetup is later; a self-paced cohort has none");
        clock.set(due.plus(Duration.ofDays(1)));
        assertEquals(List.of(), Await.await(a.app.meetupFollowUps().runOnce()));
        assertEquals(List.of(), Await.await(b.app.meetupFollowUps().runOnce()));

        List<Row> threads = sql("SELECT id, title, course_id, cohort_id, module_id FROM thread WHERE author_id IS NULL AND prompt_index IS NULL");
        assertEquals(1, threads.size());
        assertEquals("What changed since Closing café?", threads.get(0).getString("title"));
        long id = threads.get(0).getLong("id");
        JsonObject seen = ann.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertTrue(seen.getJsonArray("posts").getJsonObject(0).getString("body").contains("What did you try since then?"), seen.encode());
        assertEquals(1, count("SELECT count(*) FROM feed_entry WHERE kind = 'meetup-follow-up' AND cohort_id = 'autumn'"));
        assertEquals(id, count("SELECT thread_id FROM meetup_follow_up WHERE cohort_id = 'autumn'"));

        // The winter café ends 2030-12-16 16:00 Amsterdam (15:00 UTC), its follow-up is due 2031-01-27 15:00 UTC: found
        // more than two weeks late it is not opened, on time it is.
        clock.set(Instant.parse("2031-01-27T15:00:00Z").plus(Duration.ofDays(15)));
        assertEquals(List.of(), Await.await(a.app.meetupFollowUps().runOnce()), "too late to ask what changed");
        clock.set(Instant.parse("2031-01-27T15:00:00Z"));
        assertEquals("winter", Await.await(b.app.meetupFollowUps().runOnce()).get(0).cohortId(), "on time it opens");
    }

    @Test
    void theRoomSeesHowManyQuestionsAreHiddenAndWhyOrganisersSeeTheText() {
        ApiUser ann = participant("ann@example.org");
        ApiUser bob = participant("bob@example.org");
        ApiUser org = ApiUser.create(a, clock, "org@example.org");
        for (ApiUser p : List.of(ann, bob)) assertEquals(200, p.call(HttpMethod.POST, API + "/registration", null).statusCode());
        clock.set(CAFE.plus(Duration.ofMinutes(5)));
        long q = ann.call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Who wants to buy my bike?"))
                .bodyAsJsonObject().getLong("id");
        long kept = ann.call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "How do we keep going?"))
                .bodyAsJsonObject().getLong("id");

        assertEquals(403, bob.call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "hidden").put("reason", "off-topic"))
                .statusCode(), "participants cannot hide");
        HttpResponse<Buffer> bad = org.call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "hidden").put("reason", "boring"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.bodyAsString().contains("off-topic, duplicate, disrespectful, personal"), bad.bodyAsString());
        assertEquals(400, org.call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "hidden")).statusCode(),
                "hiding names a reason");
        assertEquals("open", sql("SELECT state FROM meetup_question WHERE id = $1", q).get(0).getString(0), "nothing half-written");
        try (SseClient stream = SseClient.connect(vertx, a.port(), PAGE + "/events",
                "Authorization", "Bearer " + bob.token())) {
            HttpResponse<Buffer> hidden = org.on(b).call(HttpMethod.PATCH, API + "/live/questions/" + q,
                    new JsonObject().put("state", "hidden").put("reason", "off-topic"));
            assertEquals(200, hidden.statusCode(), hidden.bodyAsString());
            assertEquals("off-topic", hidden.bodyAsJsonObject().getString("reason"));
            String events = stream.awaitText("\"reason\":\"off-topic\"");
            assertTrue(events.contains("event: question-changed") && events.contains("\"state\":\"hidden\""), events);
            assertFalse(events.contains("bike"), "the live event names the reason, never the text");
        }

        JsonObject room = bob.call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject();
        assertFalse(room.encode().contains("bike"), "participants never get the hidden text: " + room.encode());
        assertEquals(1, room.getJsonArray("questions").size());
        assertEquals(kept, room.getJsonArray("questions").getJsonObject(0).getLong("id"));
        assertEquals(1, room.getJsonObject("hidden").getInteger("count"));
        assertEquals(1, room.getJsonObject("hidden").getJsonObject("reasons").getInteger("off-topic"));
        assertEquals("1 question hidden (off-topic)", room.getJsonObject("hidden").getString("summary"));
        Browser bobPage = b.browser().signIn("bob@example.org");
        String live = bobPage.get(PAGE + "/live").bodyAsString();
        assertTrue(live.contains("1 question hidden (off-topic)"), live);
        assertFalse(live.contains("bike"));
        assertTrue(bobPage.getWith(PAGE + "/live", "Accept-Language", "nl").bodyAsString().contains("1 vraag verborgen (niet ter zake)"),
                "in the reader's language");

        JsonObject organiser = org.call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject();
        assertTrue(organiser.encode().contains("Who wants to buy my bike?"), "organisers still see the text");
        Browser orgPage = a.browser().signIn("org@example.org");
        String control = orgPage.get(PAGE + "/live").bodyAsString();
        assertTrue(control.contains("Who wants to buy my bike?") && control.contains("hidden: off-topic"), control);

        // Hiding from the page: the reason is chosen in the same form.
        assertEquals(303, orgPage.post(PAGE + "/live/questions/" + kept + "/state", "state", "hidden", "reason", "duplicate").statusCode());
        assertEquals("2 questions hidden (1 off-topic, 1 duplicate)",
                bob.call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject().getJsonObject("hidden").getString("summary"));
        assertEquals(400, orgPage.post(PAGE + "/live/questions/" + kept + "/state", "state", "hidden", "reason", "whatever").statusCode());
        assertEquals(303, orgPage.post(PAGE + "/live/questions/" + kept + "/state", "state", "open").statusCode());
        assertNull(sql("SELECT hidden_reason FROM meetup_question WHERE id = $1", kept).get(0).getString(0), "shown again: no reason kept");
        JsonObject after = bob.call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject();
        assertEquals("1 question hidden (off-topic)", after.getJsonObject("hidden").getString("summary"));
        assertEquals(2, after.getJsonArray("questions").size() + after.getJsonObject("hidden").getInteger("count"));
    }
}
