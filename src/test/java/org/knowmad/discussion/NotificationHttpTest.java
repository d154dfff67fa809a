package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
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

/** Replies, mentions and followed threads reach people by mail, at once or in a digest, as they chose. */
@ExtendWith(VertxExtension.class)
class NotificationHttpTest {

    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        return ApiUser.joined(node, clock, email, "spring");
    }

    private static long thread(ApiUser who, String title, String body) {
        return who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", body)).bodyAsJsonObject().getLong("id");
    }

    private static void reply(ApiUser who, long thread, String body, Integer replyTo, boolean anonymous) {
        JsonObject b = new JsonObject().put("body", body).put("anonymous", anonymous);
        if (replyTo != null) b.put("replyTo", replyTo);
        assertEquals(201, who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", b).statusCode());
    }

    private static List<String[]> mailsTo(String email) {
        List<String[]> mails = new ArrayList<>();
        for (Row r : Await.await(node.app.pool().preparedQuery("SELECT subject, body_text FROM outbox WHERE to_email = $1 AND subject NOT LIKE '%sign-in link%' ORDER BY id")
                .execute(Tuple.of(email)))) {
            mails.add(new String[] {r.getString(0), r.getString(1)});
        }
        return mails;
    }

    @Test
    void repliesMentionsAndFollowedThreadsAreMailedOncePerPersonAndPost() {
        ApiUser ada = participant("ada@example.org");
        ApiUser ben = participant("ben@example.org");
        ApiUser cy = participant("cy@example.org");
        ApiUser.create(node, clock, "stranger@example.org");
        long id = thread(ada, "Learning out loud", "How do you share unfinished work?");
        assertEquals(200, cy.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/follow", null).statusCode());

        reply(ben, id, "I blog every Friday. @cy, you do this too? Also @stranger.", 1, false);
        List<String[]> toAda = mailsTo("ada@example.org");
        assertEquals(1, toAda.size(), "ada wrote post 1 and follows: one mail, the reply");
        assertTrue(toAda.get(0)[0].startsWith("New reply to your post"));
        assertTrue(toAda.get(0)[1].contains("ben replied"));
        assertTrue(toAda.get(0)[1].contains("/threads/" + id + "?after=1#post-2"));
        List<String[]> toCy = mailsTo("cy@example.org");
        assertEquals(1, toCy.size(), "cy follows and is mentioned: one mail, the mention");
        assertTrue(toCy.get(0)[0].startsWith("You were mentioned"));
        assertTrue(mailsTo("stranger@example.org").isEmpty(), "not in the cohort: a mention does not reach them");
        assertTrue(mailsTo("ben@example.org").isEmpty(), "no mail about your own post");

        reply(cy, id, "I keep a public notebook.", null, true);
        String toBen = mailsTo("ben@example.org").get(0)[1];
        assertTrue(toBen.contains("Anonymous participant wrote a new post"), toBen);
        assertFalse(toBen.contains("cy"), "anonymous stays anonymous in mail");
    }

    @Test
    void digestsCollectNotificationsAndOffMeansOff() {
        ApiUser dee = participant("dee@example.org");
        ApiUser eve = participant("eve@example.org");
        ApiUser fox = participant("fox@example.org");
        assertEquals(200, dee.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "daily")).statusCode());
        assertEquals(400, fox.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "hourly")).statusCode());
        Browser foxBrowser = node.browser().signIn("fox@example.org");
        foxBrowser.get("/me/notifications");
        assertEquals(303, foxBrowser.post("/me/notifications", "mode", "off").statusCode());
        assertEquals("off", fox.call(HttpMethod.GET, "/api/v1/me/notifications", null).bodyAsJsonObject().getString("mode"));

        long id = thread(dee, "Digest me", "first");
        fox.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/follow", null);
        reply(eve, id, "one", 1, false);
        reply(eve, id, "two", null, false);
        assertTrue(mailsTo("dee@example.org").isEmpty(), "daily: nothing at once");
        assertTrue(mailsTo("fox@example.org").isEmpty(), "off");

        assertEquals(1, Await.await(node.app.notifications().sendDigests()));
        List<String[]> digest = mailsTo("dee@example.org");
        assertEquals(1, digest.size());
        assertTrue(digest.get(0)[0].contains("2 new posts"), digest.get(0)[0]);
        assertTrue(digest.get(0)[1].contains("A reply to your post in \"Digest me\""));
        assertEquals(0, Await.await(node.app.notifications().sendDigests()), "nothing new");

        reply(eve, id, "three", null, false);
        assertEquals(0, Await.await(node.app.notifications().sendDigests()), "the next digest waits a day");
        clock.advance(Duration.ofDays(1));
        try {
            assertEquals(1, Await.await(node.app.notifications().sendDigests()));
            assertEquals(2, mailsTo("dee@example.org").size());
            assertTrue(mailsTo("fox@example.org").isEmpty());
        } finally {
            clock.set(Fixtures.SPRING_DAY_2);
        }
    }

    @Test
    void mentionHandlesAreFoundInText() {
        assertEquals(List.of("cy", "anna.b"), NotificationService.mentions("Hi @cy and @Anna.B. Not mail@example.org or @"));
    }

    @Test
    void mentionsLinkToThePersonsPageWhichShowsOnlyTheirNamedPosts() {
        ApiUser gil = participant("gil@example.org");
        ApiUser hal = participant("hal@example.org");
        long id = thread(gil, "Mentions", "Hello @hal, see `@notalink` and [@notalink](https://example.org)");
        reply(hal, id, "A secret, anonymously", null, true);
        reply(hal, id, "Signed reply", null, false);
        Browser b = node.browser().signIn("gil@example.org");
        String html = b.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(html.contains("<a href=\"/courses/demo/spring/people/hal\" rel=\"nofollow ugc noopener\">&#64;hal</a>"), html);
        assertTrue(html.contains("<code>&#64;notalink</code>"), "code stays code");
        assertFalse(html.contains("/people/notalink"));
        String person = b.get("/courses/demo/spring/people/hal").bodyAsString();
        assertTrue(person.contains("<h1>hal</h1>"));
        assertTrue(person.contains("Mentions"));
        assertEquals(1, person.split("/threads/" + id).length - 1, "the anonymous post is not listed");
        assertEquals(404, b.get("/courses/demo/spring/people/nobody").statusCode());
        Browser outsider = node.browser().signIn("outsider.p@example.org");
        assertEquals(403, outsider.get("/courses/demo/spring/people/hal").statusCode());
    }
}
