package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.notify.FacilitatorAlerts;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Facilitators are mailed when a post is flagged or a review reported: through the outbox to a real SMTP server,
 * once per flag and facilitator, coalesced within {@link FacilitatorAlerts#WINDOW}, and never to one who chose
 * no mail. Every test starts a window later than the one before, so their mails do not fold into each other.
 */
class FacilitatorAlertsHttpTest {

    private static Vertx vertx;
    private static SmtpSink smtp;
    private static TestNode node;
    private static TestNode second;
    private static MutableClock clock;
    private static ApiUser fac;
    private static ApiUser ann;
    private static ApiUser bob;
    private static ApiUser cat;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        smtp = new SmtpSink(vertx);
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        var db = TestDatabase.fresh();
        var courses = Fixtures.coursesCopy();
        node = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir(), "smtp://127.0.0.1:" + smtp.port() + "?from=courses@example.org");
        // A second node on the same database: both run the alert job.
        second = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir(), "smtp://127.0.0.1:" + smtp.port() + "?from=courses@example.org");
        fac = ApiUser.create(node, clock, "fac@example.org");
        ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        cat = ApiUser.joined(node, clock, "cat@example.org", "spring");
    }

    @AfterAll
    static void stop() {
        second.close();
        node.close();
        smtp.close();
        Await.await(vertx.close());
    }

    private static List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    private static long thread(String title) {
        clock.advance(Duration.ofSeconds(30));
        return ann.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Something to flag")).bodyAsJsonObject().getLong("id");
    }

    private static void flag(ApiUser who, long thread, String reason) {
        assertEquals(200, who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts/1/flags", new JsonObject().put("reason", reason))
                .statusCode());
    }

    /**
     * One round of the alert job on both nodes at once, and of the outbox; answers the alert mails to the facilitator
     * that the SMTP server accepted in it (their subjects, read from the outbox: the sent copy's may be MIME-encoded).
     */
    private static List<String> round() {
        int before = smtp.messages.size();
        Await.await(io.vertx.core.Future.all(node.app.alerts().sendDue(), second.app.alerts().sendDue()));
        Await.await(node.app.mail().sendDue());
        List<String> fresh = sql("SELECT subject FROM outbox WHERE to_email = 'fac@example.org' AND dedupe_key LIKE 'moderation-alert:%' "
                + "AND sent_at IS NOT NULL AND id > $1 ORDER BY id", seen).stream().map(r -> r.getString(0)).toList();
        seen = sql("SELECT coalesce(max(id), 0) FROM outbox").get(0).getLong(0);
        assertTrue(smtp.messages.size() - before >= fresh.size(), "the SMTP server received them");
        return fresh;
    }

    private static long seen;

    private static List<String> alertTexts(String like) {
        return sql("SELECT body_text FROM outbox WHERE to_email = 'fac@example.org' AND body_text LIKE $1 ORDER BY id", like)
                .stream().map(r -> r.getString(0)).toList();
    }

    private static void nextWindow() {
        round();
        clock.advance(FacilitatorAlerts.WINDOW.plusMinutes(1));
    }

    @Test
    void aFlagMailsTheFacilitatorExactlyOnce() {
        nextWindow();
        long t = thread("Flag me once");
        flag(bob, t, "off topic");
        flag(bob, t, "off topic"); // a repeat changes nothing
        List<String> mails = round();
        assertEquals(1, mails.size());
        assertEquals(0, round().size(), "a second round sends nothing more");
        List<String> texts = alertTexts("%Flag me once%");
        assertEquals(1, texts.size());
        assertTrue(texts.get(0).contains("off topic") && texts.get(0).contains("/courses/demo/spring/threads/" + t + "#post-1"), texts.get(0));
        assertEquals(1, sql("SELECT count(*) FROM moderation_alert WHERE event_key LIKE $1", "flag:" + t + ":%").get(0).getLong(0));
        // Long after, still nothing more for that flag.
        clock.advance(Duration.ofHours(1));
        assertEquals(0, round().size());
    }

    @Test
    void aBurstOfFlagsIsOneMailThenTheRestAfterTheWindow() {
        nextWindow();
        long first = thread("Burst one");
        flag(bob, first, "spam");
        List<String> mails = round();
        assertEquals(1, mails.size());
        long second = thread("Burst two");
        long third = thread("Burst three");
        flag(bob, second, "spam again");
        flag(cat, second, "really spam");
        flag(cat, third, "rude");
        assertEquals(0, round().size(), "inside the window: waits");
        clock.advance(FacilitatorAlerts.WINDOW);
        mails = round();
        assertEquals(1, mails.size(), "the three flags in one mail");
        List<String> texts = alertTexts("%Burst two%");
        assertEquals(1, texts.size());
        assertTrue(texts.get(0).contains("Burst three") && texts.get(0).contains("really spam") && texts.get(0).contains("spam again"), texts.get(0));
    }

    @Test
    void aFacilitatorWhoChoseNeverGetsNoMail() {
        nextWindow();
        assertEquals(200, fac.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "off")).statusCode());
        try {
            long t = thread("Flag while off");
            flag(bob, t, "off topic");
            assertEquals(0, round().size());
            clock.advance(Duration.ofHours(1));
            assertEquals(0, round().size());
            assertEquals(0, alertTexts("%Flag while off%").size());
            // Passed over, not left waiting: turning mail on later does not send a pile of old alerts.
            assertEquals(0, sql("SELECT count(*) FROM moderation_alert WHERE done_at IS NULL").get(0).getLong(0));
        } finally {
            fac.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "immediate"));
        }
        // A daily digest is no reason to wait a day for a flag.
        fac.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "daily"));
        try {
            clock.advance(Duration.ofHours(1));
            flag(cat, thread("Flag while daily"), "rude");
            assertEquals(1, round().size());
        } finally {
            fac.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "immediate"));
        }
    }

    @Test
    void theMailIsInTheFacilitatorsOwnLanguage() {
        nextWindow();
        sql("UPDATE account SET language = 'nl' WHERE email = 'fac@example.org'");
        try {
            flag(bob, thread("Taal van de mail"), "off topic");
            assertEquals(1, round().size());
            List<String> texts = alertTexts("%Taal van de mail%");
            assertTrue(texts.get(0).contains("Een bericht in \"Taal van de mail\" is gemeld: off topic"), texts.get(0));
        } finally {
            sql("UPDATE account SET language = NULL WHERE email = 'fac@example.org'");
        }
    }

    @Test
    void aReportedReviewMailsTheFacilitator() {
        nextWindow();
        Instant week3 = Instant.parse("2030-03-18T08:00:00Z");
        if (clock.instant().isBefore(week3)) clock.set(week3);
        assertEquals(200, ann.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/modules/week-3/assignment/submission",
                new JsonObject().put("text", "My practice, described at length.")).statusCode());
        long submission = sql("SELECT s.id FROM submission s JOIN account a ON a.id = s.author_id WHERE a.email = 'ann@example.org'").get(0).getLong(0);
        long bobId = sql("SELECT id FROM account WHERE email = 'bob@example.org'").get(0).getLong(0);
        long review = sql("INSERT INTO review (submission_id, reviewer_id, claimed_at, lease_until, scores, comment, completed_at) "
                + "VALUES ($1, $2, now(), now(), '{\"clarity\": 0, \"depth\": 0}', 'A rude comment that is long enough to count.', now()) RETURNING id",
                submission, bobId).get(0).getLong(0);
        Instant after = Instant.parse("2030-03-26T09:00:00Z");
        if (clock.instant().isBefore(after)) clock.set(after);
        clock.advance(FacilitatorAlerts.WINDOW.plusMinutes(1));
        assertEquals(200, ann.call(HttpMethod.POST, "/api/v1/reviews/" + review + "/flag", new JsonObject().put("reason", "insulting")).statusCode());
        assertEquals(409, ann.call(HttpMethod.POST, "/api/v1/reviews/" + review + "/flag", new JsonObject().put("reason", "again")).statusCode());
        assertEquals(1, round().size());
        List<String> texts = alertTexts("%Describe a practice%");
        assertEquals(1, texts.size());
        assertTrue(texts.get(0).contains("insulting") && texts.get(0).contains("/modules/week-3/assignment/submissions"), texts.get(0));
        assertEquals(0, round().size());
    }
}
