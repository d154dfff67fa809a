package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Announcements and nudges on two nodes sharing one database and one mail server: the same form sent on node A
 * and again on node B mails each person once, "never" means never, a nudge twice in a week reaches each person
 * once, the banner shows to the members it was for, and bad input writes nothing.
 */
class AnnouncementHttpTest {

    private static final String COHORT = "/courses/demo/spring";

    private Vertx vertxA;
    private Vertx vertxB;
    private SmtpSink smtp;
    private TestNode a;
    private TestNode b;
    private MutableClock clock;

    @BeforeEach
    void start() {
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
        smtp = new SmtpSink(vertxA);
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        String smtpUrl = "smtp://127.0.0.1:" + smtp.port() + "?from=courses@example.org";
        a = TestNode.start(vertxA, db, courses, clock, Fixtures.tempDir(), smtpUrl);
        b = TestNode.start(vertxB, db, courses, clock, Fixtures.tempDir(), smtpUrl);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        smtp.close();
        Await.await(vertxA.close());
        Await.await(vertxB.close());
    }

    /** As {@code knowmad signin-link} does: a link made without mail (these nodes send real mail). */
    private Browser signedIn(TestNode node, String email) {
        var signin = new org.knowmad.account.SigninService(a.app.pool(), clock, new org.knowmad.notify.Outbox(),
                new org.knowmad.account.AccountStore(), new org.knowmad.account.SessionStore(), new org.knowmad.web.Messages(),
                "http://localhost");
        Browser browser = node.browser();
        browser.openSigninLink(Await.await(signin.createLink(email)));
        return browser;
    }

    private long count(String sql, Object... args) {
        return Await.await(a.app.pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
    }

    private void sendAllMail() {
        for (int i = 0; i < 3; i++) Await.await(Future.join(a.app.mail().sendDue(), b.app.mail().sendDue()));
    }

    private long mailsTo(String email, String text) {
        return smtp.messages.stream().filter(m -> m.contains("To: " + email) && m.contains(text)).count();
    }

    /** Ann, Bob and Cy join; Cy chose never to get mail; Ann has posted, the others not. */
    private void cohort() {
        for (String who : List.of("ann", "bob", "cy")) ApiUser.joined(a, clock, who + "@example.org", "spring");
        Await.await(a.app.pool().query("UPDATE account SET notify_mode = 'off' WHERE email = 'cy@example.org'").execute());
        Await.await(a.app.pool().query("UPDATE account SET name = 'Bob' WHERE email = 'bob@example.org'").execute());
    }

    @Test
    void anAnnouncementSentOnTwoNodesIsMailedOncePerPersonAndNeverMeansNever() {
        cohort();
        Browser facA = signedIn(a, "fac@example.org");
        Browser facB = signedIn(b, "fac@example.org");
        assertTrue(facA.get(COHORT + "/roster").bodyAsString().contains("name=\"_idem\""));
        facB.get(COHORT + "/roster");
        String[] form = {"_idem", "announce-once-1", "audience", "all", "subject", "Cafe moved to Thursday",
                "body", "The **cafe** is on *Thursday* this week. <script>alert(1)</script>"};
        HttpResponse<Buffer> first = facA.post(COHORT + "/announcements", form);
        assertEquals(303, first.statusCode(), first.bodyAsString());
        assertTrue(first.getHeader("Location").startsWith(COHORT + "/roster?sent="), first.getHeader("Location"));
        HttpResponse<Buffer> again = facB.post(COHORT + "/announcements", form);
        assertEquals(303, again.statusCode(), again.bodyAsString());
        assertEquals(first.getHeader("Location"), again.getHeader("Location"), "the repeat answers the first result");
        assertEquals(1, count("SELECT count(*) FROM announcement"));
        assertEquals(3, count("SELECT count(*) FROM announcement_recipient"));
        assertEquals(2, count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'announcement:%'"), "not Cy, who chose never");
        assertEquals(2, count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'announcement:%' AND priority = 1"), "in the bulk lane");

        sendAllMail();
        assertEquals(1, mailsTo("ann@example.org", "Cafe moved to Thursday"));
        assertEquals(1, mailsTo("bob@example.org", "Cafe moved to Thursday"));
        assertEquals(0, mailsTo("cy@example.org", "Cafe moved to Thursday"));
        assertEquals(0, mailsTo("fac@example.org", "Cafe moved to Thursday"), "facilitators are not participants");
        String mail = smtp.messages.stream().filter(m -> m.contains("To: ann@example.org")).findFirst().orElseThrow();
        assertTrue(mail.contains("/courses/demo/spring/announcements/"), "links to the whole text");

        // The roster tells what happened, and the log has it.
        String roster = facA.get(first.getHeader("Location")).bodyAsString();
        assertTrue(roster.contains("Announcement sent to 3 people (2 by mail)."), roster);
        assertTrue(roster.contains("Cafe moved to Thursday"), "in the sent log");

        // Members see the banner on the cohort home, on either node; Cy too (no mail, but the banner).
        for (TestNode node : List.of(a, b)) {
            String home = signedIn(node, "cy@example.org").get(COHORT).bodyAsString();
            assertTrue(home.contains("Cafe moved to Thursday"), "banner for a member");
        }
        Browser stranger = signedIn(a, "stranger@example.org");
        assertFalse(stranger.get(COHORT).bodyAsString().contains("Cafe moved"), "not for someone outside the cohort");
        assertFalse(a.browser().get(COHORT).bodyAsString().contains("Cafe moved"), "not for visitors");
        assertTrue(facA.get(COHORT).bodyAsString().contains("Cafe moved to Thursday"), "facilitators see what they sent");

        // The whole text, sanitised like a post.
        long id = Long.parseLong(first.getHeader("Location").replaceAll(".*sent=(\\d+).*", "$1"));
        HttpResponse<Buffer> page = signedIn(a, "ann@example.org").get(COHORT + "/announcements/" + id);
        assertEquals(200, page.statusCode());
        assertTrue(page.bodyAsString().contains("<strong>cafe</strong>"));
        assertFalse(page.bodyAsString().contains("<script>alert(1)"), "sanitised");
        assertEquals(403, stranger.get(COHORT + "/announcements/" + id).statusCode());
        assertEquals(404, signedIn(a, "ann@example.org").get(COHORT + "/announcements/999999").statusCode());

        // After 14 days the banner is gone.
        clock.set(clock.instant().plus(Duration.ofDays(15)));
        assertFalse(signedIn(a, "ann@example.org").get(COHORT).bodyAsString().contains("Cafe moved to Thursday"));
    }

    @Test
    void anAnnouncementToARosterFilterReachesOnlyThemAndTheirBanner() {
        cohort();
        ApiUser ann = ApiUser.create(a, clock, "ann@example.org");
        assertEquals(201, ann.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Hello all").put("body", "I am Ann.")).statusCode());
        Browser fac = signedIn(a, "fac@example.org");
        fac.get(COHORT + "/roster?filter=never-posted");
        HttpResponse<Buffer> sent = fac.post(COHORT + "/announcements", "_idem", "filter-1", "audience", "never-posted",
                "subject", "Say hello", "body", "A first post can be one line.");
        assertEquals(303, sent.statusCode(), sent.bodyAsString());
        long id = Long.parseLong(sent.getHeader("Location").replaceAll(".*sent=(\\d+).*", "$1"));
        assertEquals(2, count("SELECT count(*) FROM announcement_recipient WHERE announcement_id = $1", id), "Bob and Cy");
        assertEquals("never-posted", Await.await(a.app.pool().query("SELECT audience FROM announcement").execute()).iterator().next().getString(0));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'announcement:%'"), "Bob; Cy chose never");
        assertTrue(signedIn(a, "bob@example.org").get(COHORT).bodyAsString().contains("Say hello"));
        Browser annBrowser = signedIn(a, "ann@example.org");
        assertFalse(annBrowser.get(COHORT).bodyAsString().contains("Say hello"), "Ann was not among those it was for");
        assertEquals(404, annBrowser.get(COHORT + "/announcements/" + id).statusCode(), "nor can she read it");
        assertEquals(200, signedIn(a, "bob@example.org").get(COHORT + "/announcements/" + id).statusCode());
        assertTrue(fac.get(COHORT + "/roster").bodyAsString().contains("Never posted"), "the log names the audience");
    }

    @Test
    void badInputIsRefusedWithAMessageAndWritesNothing() {
        cohort();
        Browser fac = signedIn(a, "fac@example.org");
        fac.get(COHORT + "/roster");
        String[][] bad = {
                {"subject", "", "body", "Some text"},
                {"subject", "Hi", "body", "   "},
                {"subject", "x".repeat(Outreach.MAX_SUBJECT + 1), "body", "Some text"},
                {"subject", "Hi", "body", "b".repeat(Outreach.MAX_BODY + 1)},
                {"subject", "Hi", "body", "Some text", "audience", "lurkers"},
        };
        String[] messages = {"Write a subject.", "Write a message.", "The subject can be at most 200 characters.",
                "The message can be at most 20,000 characters.", "Unknown filter"};
        for (int i = 0; i < bad.length; i++) {
            String[] fields = java.util.Arrays.copyOf(bad[i], bad[i].length + 2);
            fields[bad[i].length] = "_idem";
            fields[bad[i].length + 1] = "bad-" + i;
            HttpResponse<Buffer> r = fac.post(COHORT + "/announcements", fields);
            assertEquals(400, r.statusCode(), "case " + i);
            assertTrue(r.bodyAsString().contains(messages[i]), messages[i]);
        }
        for (String days : List.of("0", "61", "seven")) {
            HttpResponse<Buffer> r = fac.post(COHORT + "/nudges", "_idem", "nudge-bad-" + days, "days", days);
            assertEquals(400, r.statusCode(), days);
            assertTrue(r.bodyAsString().contains("Choose a number of days from 1 to 60."), days);
        }
        assertEquals(0, count("SELECT count(*) FROM announcement"));
        assertEquals(0, count("SELECT count(*) FROM nudge_week"));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'announcement:%' OR dedupe_key LIKE 'nudge:%'"));
        // Without the CSRF token nothing is sent either.
        assertEquals(403, fac.postWithoutCsrf(COHORT + "/announcements", "subject", "Hi", "body", "Text").statusCode());
        assertEquals(0, count("SELECT count(*) FROM announcement"));
    }

    /** A day of activity as pulse-record writes it. */
    private void seen(String email, Instant at) {
        Await.await(a.app.pool().preparedQuery("""
                INSERT INTO activity_day (course_id, cohort_id, account_id, day, visits, last_at)
                SELECT 'demo', 'spring', id, $2, 1, $3 FROM account WHERE email = $1
                ON CONFLICT DO NOTHING""").execute(Tuple.of(email, at.atZone(java.time.ZoneId.of("Europe/Amsterdam")).toLocalDate(),
                at.atOffset(ZoneOffset.UTC))));
    }

    @Test
    void aNudgeTwiceInOneWeekMailsEachPersonOnce() {
        cohort();
        // Ten days later (Friday 15 March): Ann was here yesterday, Bob and Cy not since they joined.
        clock.set(Instant.parse("2030-03-15T10:00:00Z"));
        seen("ann@example.org", Instant.parse("2030-03-14T10:00:00Z"));
        Browser fac = signedIn(a, "fac@example.org");
        fac.get(COHORT + "/roster");
        Await.await(a.app.pool().query("UPDATE account SET language = 'nl' WHERE email = 'bob@example.org'").execute());
        HttpResponse<Buffer> first = fac.post(COHORT + "/nudges", "_idem", "nudge-1", "days", "7");
        assertEquals(303, first.statusCode(), first.bodyAsString());
        String notice = fac.get(first.getHeader("Location")).bodyAsString();
        assertTrue(notice.contains("Nudge sent to 2 people (1 by mail); nobody was skipped."), notice);

        // A second nudge the same week, from the other node and with the facilitator's own words: nobody new to nudge.
        seen("bob@example.org", Instant.parse("2030-03-01T10:00:00Z")); // changes nothing: still away
        Browser facB = signedIn(b, "fac@example.org");
        facB.get(COHORT + "/roster");
        HttpResponse<Buffer> second = facB.post(COHORT + "/nudges", "_idem", "nudge-2", "days", "3", "text", "We miss your voice!");
        assertEquals(303, second.statusCode());
        String secondNotice = facB.get(second.getHeader("Location")).bodyAsString();
        assertTrue(secondNotice.contains("Nudge sent to nobody (0 by mail); 2 people were skipped, already nudged this week."), secondNotice);
        sendAllMail();
        assertEquals(1, smtp.messages.stream().filter(m -> m.contains("To: bob@example.org")).count(), "one nudge for Bob this week");
        assertEquals(0, smtp.messages.stream().filter(m -> m.contains("To: cy@example.org")).count(), "Cy chose never");
        assertEquals(0, smtp.messages.stream().filter(m -> m.contains("To: ann@example.org")).count(), "Ann was here yesterday");
        String mail = smtp.messages.stream().filter(m -> m.contains("To: bob@example.org")).findFirst().orElseThrow();
        // Bob chose Dutch: the friendly default reaches him in his language (the course's when he chose none).
        assertTrue(mail.contains("Hallo Bob,"), mail);
        assertTrue(mail.contains("meelezen telt ook"), "the friendly default");
        assertTrue(mail.contains("de groep is er nog voor je"), "its subject");
        assertEquals(2, count("SELECT count(*) FROM nudge_week"));
        assertTrue(facB.get(COHORT + "/roster").bodyAsString().contains("Not seen for 3 days"), "both nudges in the log");
        String pulse = facB.get(COHORT + "/pulse").bodyAsString();
        assertTrue(pulse.contains("id=\"sent-log\"") && pulse.contains("Not seen for 3 days"), "the log is on the pulse page too");

        // Next week Bob may be nudged again, in the facilitator's words.
        clock.set(Instant.parse("2030-03-18T10:00:00Z"));
        fac.get(COHORT + "/roster");
        assertEquals(303, fac.post(COHORT + "/nudges", "_idem", "nudge-3", "days", "7", "text", "We miss your voice!").statusCode());
        sendAllMail();
        assertEquals(2, smtp.messages.stream().filter(m -> m.contains("To: bob@example.org")).count());
        assertTrue(smtp.messages.stream().anyMatch(m -> m.contains("To: bob@example.org") && m.contains("We miss your voice!")));
        assertEquals(0, smtp.messages.stream().filter(m -> m.contains("To: cy@example.org")).count());
        // Nudges are personal: no banner.
        assertFalse(signedIn(a, "bob@example.org").get(COHORT).bodyAsString().contains("We miss your voice"));
    }
}
