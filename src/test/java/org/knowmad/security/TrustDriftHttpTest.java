package org.knowmad.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
 * The drifts found when rules were decided in a dozen places, each held by a test: who left is no longer
 * told, a locked module does not leak through a mention, the Atom feed keeps members' content to members,
 * "never" means never for module openings, the dev outbox answers only this machine, and a page never
 * offers what the server would refuse.
 */
@ExtendWith(VertxExtension.class)
class TrustDriftHttpTest {

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

    private static long mails(String email, String like) {
        return Await.await(node.app.pool().preparedQuery("SELECT count(*) FROM outbox WHERE to_email = $1 AND subject LIKE $2")
                .execute(Tuple.of(email, like))).iterator().next().getLong(0);
    }

    private static long notifications(String email) {
        return Await.await(node.app.pool().preparedQuery(
                "SELECT count(*) FROM notification n JOIN account a ON a.id = n.account_id WHERE a.email = $1")
                .execute(Tuple.of(email))).iterator().next().getLong(0);
    }

    private static long thread(ApiUser who, String module, String title, String body) {
        var r = who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/" + module + "/threads",
                new JsonObject().put("title", title).put("body", body));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private static void reply(ApiUser who, long thread, String body) {
        var r = who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", body));
        assertEquals(201, r.statusCode(), r.bodyAsString());
    }

    @Test
    void whoLeftIsNoLongerMailedTheRepliesOfAThreadTheyFollowed() {
        ApiUser gone = ApiUser.joined(node, clock, "gone@example.org", "spring");
        ApiUser stays = ApiUser.joined(node, clock, "stays@example.org", "spring");
        long id = thread(stays, "week-1", "Working out loud", "Who shares drafts?");
        reply(gone, id, "I do, every Friday."); // replying follows the thread
        assertEquals(204, gone.call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());

        reply(stays, id, "Nice. What did you learn from it?");
        assertEquals(0, mails("gone@example.org", "%Working out loud%"), "left the cohort: no mail about its threads");
        assertEquals(0, notifications("gone@example.org"), "nor a notification waiting for a digest");
        assertEquals(403, gone.call(HttpMethod.GET, "/api/v1/threads/" + id, null).statusCode());
    }

    @Test
    void aDigestDropsWhatCameInBeforeThePersonLeft() {
        ApiUser later = ApiUser.joined(node, clock, "later@example.org", "spring");
        ApiUser writer = ApiUser.joined(node, clock, "writer@example.org", "spring");
        assertEquals(200, later.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "daily")).statusCode());
        long id = thread(later, "week-1", "Digest drift", "A question for the digest.");
        reply(writer, id, "An answer that waits for the daily digest.");
        assertEquals(1, notifications("later@example.org"));
        assertEquals(204, later.call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());

        clock.advance(java.time.Duration.ofDays(2));
        Await.await(node.app.notifications().sendDigests());
        clock.set(Fixtures.SPRING_DAY_2);
        assertEquals(0, Await.await(node.app.pool().preparedQuery(
                        "SELECT count(*) FROM outbox WHERE to_email = $1 AND body_text LIKE '%Digest drift%'")
                .execute(Tuple.of("later@example.org"))).iterator().next().getLong(0), "the digest must not tell who left");
    }

    @Test
    void aMentionInAModuleStillLockedForThePersonMailsNothing() {
        ApiUser.joined(node, clock, "lena@example.org", "spring");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        // Week two opens on 11 March; a facilitator prepares its thread early and names Lena in it.
        long id = thread(fay, "week-2", "Secret plans for week two", "Preparing this with @lena in mind.");
        assertTrue(id > 0);
        assertEquals(0, mails("lena@example.org", "%Secret plans%"), "the module is locked for Lena: no mention mail");
        assertEquals(0, notifications("lena@example.org"));

        // In an open module the same mention is mailed.
        long open = thread(fay, "week-1", "Open question", "What do you think, @lena?");
        assertTrue(open > 0);
        assertEquals(1, mails("lena@example.org", "%Open question%"));
    }

    @Test
    void theAtomFeedShowsTheHarvestOnlyToMembers() {
        Await.await(node.app.pool().preparedQuery("""
                        INSERT INTO feed_entry (course_id, cohort_id, kind, title, path, summary, published_at)
                        VALUES ('demo', 'spring', 'harvest', 'Harvest of the café', '/courses/demo/spring/meetup/harvest',
                                'What the tables said, for members only', $1)""")
                .execute(Tuple.of(Instant.parse("2030-03-05T09:00:00Z").atOffset(java.time.ZoneOffset.UTC))));
        Await.await(node.app.pool().preparedQuery("""
                        INSERT INTO feed_entry (course_id, cohort_id, kind, title, path, summary, published_at)
                        VALUES ('demo', 'spring', 'module-opened', 'Week one is open', '/courses/demo/spring/modules/week-1',
                                'Week one', $1)""")
                .execute(Tuple.of(Instant.parse("2030-03-04T08:00:00Z").atOffset(java.time.ZoneOffset.UTC))));
        Browser visitor = node.browser();
        var feed = visitor.get("/courses/demo/spring/feed.atom");
        assertEquals(200, feed.statusCode());
        assertTrue(feed.bodyAsString().contains("Week one is open"), "module openings are public");
        assertFalse(feed.bodyAsString().contains("for members only"), "a visitor must not read the harvest");
        assertFalse(feed.bodyAsString().contains("Harvest of the café"));

        Browser member = node.browser().signIn("feedreader@example.org");
        member.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        String mine = member.get("/courses/demo/spring/feed.atom").bodyAsString();
        assertTrue(mine.contains("for members only"), "members read the harvest in their feed");
    }

    @Test
    void theCalendarGivesTheMeetupCallLinkToMembersOnly() {
        String visitor = node.browser().get("/courses/cafe/autumn/calendar.ics").bodyAsString();
        assertTrue(visitor.contains("Closing café"), "the meetup's date is public");
        assertFalse(visitor.contains("meet.example.org"), "its video-call link is not");
        Browser member = node.browser().signIn("caller@example.org");
        member.post("/courses/cafe/autumn/join", "acceptGuidelines", "on");
        assertTrue(member.get("/courses/cafe/autumn/calendar.ics").bodyAsString().contains("meet.example.org/cafe"));
    }

    @Test
    void neverMeansNeverForModuleOpenings() {
        ApiUser quiet = ApiUser.joined(node, clock, "quiet@example.org", "spring");
        ApiUser keen = ApiUser.joined(node, clock, "keen@example.org", "spring");
        assertEquals(200, quiet.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "off")).statusCode());
        assertTrue(keen.token() != null);
        clock.set(Instant.parse("2030-03-11T08:01:00Z")); // week two opened a minute ago
        try {
            Await.await(node.app.releases().runOnce());
            assertEquals(1, mails("keen@example.org", "%Week two%"), "the module opening is mailed");
            assertEquals(0, mails("quiet@example.org", "%Week two%"), "mail set to never: no module-opening mail");
        } finally {
            clock.set(Fixtures.SPRING_DAY_2);
        }
    }

    @Test
    void aClosedThreadOffersItsAuthorNoEditAndTheApiSaysSo() {
        Browser author = node.browser().signIn("closer@example.org");
        author.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        ApiUser authorApi = ApiUser.joined(node, clock, "closer@example.org", "spring");
        long id = thread(authorApi, "week-1", "To be closed", "My first words.");
        Browser fay = node.browser().signIn("fac@example.org");
        assertEquals(303, fay.post("/courses/demo/spring/threads/" + id + "/settings", "closed", "on").statusCode());

        String page = author.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertFalse(page.contains("/posts/1/edit"), "a closed thread must not offer Edit (the server answers 409)");
        assertFalse(page.contains("id=\"reply-body\""), "nor the reply form");
        assertTrue(page.contains("id=\"no-reply\""), "it says why instead");
        JsonObject json = authorApi.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject();
        assertFalse(json.getBoolean("canReply"));
        assertFalse(json.getJsonArray("posts").getJsonObject(0).getBoolean("canEdit"));
        assertEquals(409, authorApi.call(HttpMethod.PUT, "/api/v1/threads/" + id + "/posts/1", new JsonObject().put("body", "Changed")).statusCode());
    }

    @Test
    void aSilencedParticipantIsOfferedNoReplyFormButReadsWhy() {
        ApiUser hushed = ApiUser.joined(node, clock, "hushed@example.org", "spring");
        ApiUser other = ApiUser.joined(node, clock, "other@example.org", "spring");
        long id = thread(other, "week-1", "Still readable", "Everyone may read this.");
        long accountId = hushed.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        assertEquals(204, fay.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/" + accountId, null).statusCode());

        Browser page = node.browser().signIn("hushed@example.org");
        String html = page.get("/courses/demo/spring/threads/" + id).bodyAsString();
        assertTrue(html.contains("Everyone may read this."), "silenced people still read");
        assertFalse(html.contains("id=\"reply-body\""), "no reply form that would answer 403");
        assertTrue(html.contains("paused your posting"), "the page says why");
        assertFalse(hushed.call(HttpMethod.GET, "/api/v1/threads/" + id, null).bodyAsJsonObject().getBoolean("canReply"));
        assertEquals(403, hushed.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "Hello?")).statusCode());
    }

    @Test
    void theDevOutboxAnswersOnlyThisMachine(Vertx vertx) throws Exception {
        Browser local = node.browser();
        assertEquals(200, local.get("/dev/mail").statusCode(), "loopback clients read the development outbox");
        Optional<InetAddress> lan = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        Assumptions.assumeTrue(lan.isPresent(), "no non-loopback address on this machine to call from");
        WebClient client = WebClient.create(vertx, new WebClientOptions().setLocalAddress(lan.get().getHostAddress()));
        try {
            var answer = Await.await(client.get(node.port(), lan.get().getHostAddress(), "/dev/mail").send());
            assertEquals(404, answer.statusCode(), "from the network the outbox (with everyone's sign-in links) does not exist");
            var page = Await.await(client.get(node.port(), lan.get().getHostAddress(), "/").send());
            assertEquals(200, page.statusCode(), "while the rest of the site answers");
        } finally {
            client.close();
        }
    }
}
