package org.knowmad.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** Two Knowmad nodes (each its own Vert.x) on one database: a module opens once and is mailed once. */
class TwoNodeReleaseTest {

    /** 2030-03-11 09:00:30 Amsterdam: week 2 of the "spring" cohort opened 30 seconds ago. */
    private static final Instant JUST_AFTER_WEEK_2 = Instant.parse("2030-03-11T08:00:30Z");

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

    @Test
    void aModuleOpensOnceAndEachParticipantIsMailedOnce() {
        List<String> people = List.of("p1@example.org", "p2@example.org", "p3@example.org");
        for (String email : people) {
            Browser browser = people.indexOf(email) % 2 == 0 ? a.browser() : b.browser();
            signInWithoutMail(browser, email);
            browser.get("/courses/demo/spring");
            assertEquals(303, browser.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        }
        // Week 1 opened days ago: recorded on the first run, without mail.
        Await.await(Future.all(a.app.releases().runOnce(), b.app.releases().runOnce()));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week%'"));

        clock.set(JUST_AFTER_WEEK_2);
        List<Future<List<ReleaseJob.Released>>> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(a.app.releases().runOnce());
            runs.add(b.app.releases().runOnce());
        }
        Await.await(Future.join(new ArrayList<>(runs)));
        long releasedByCalls = runs.stream().mapToLong(f -> f.result().stream()
                .filter(r -> r.cohortId().equals("spring") && r.moduleId().equals("week-2")).count()).sum();
        assertEquals(1, releasedByCalls, "exactly one call on one node carried out the release");
        assertEquals(1, count("SELECT count(*) FROM module_release WHERE cohort_id = 'spring' AND module_id = 'week-2'"));
        assertEquals(3, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week two%'"));
        assertEquals(1, count("SELECT count(*) FROM feed_entry WHERE cohort_id = 'spring' AND path LIKE '%week-2'"));

        // Both nodes deliver at the same time; the SMTP server still gets each message once.
        for (int i = 0; i < 3; i++) Await.await(Future.join(a.app.mail().sendDue(), b.app.mail().sendDue()));
        long weekTwoMails = smtp.messages.stream().filter(m -> m.contains("Week two")).count();
        assertEquals(3, weekTwoMails);
        // Release notices are plain mail: no attachment stored, no attachment part sent.
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE attachment_body IS NOT NULL"));
        assertTrue(smtp.messages.stream().filter(m -> m.contains("Week two")).noneMatch(m -> m.contains("Content-Disposition: attachment")));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND subject LIKE 'Week two%'"));
        assertTrue(a.browser().get("/courses/demo/spring/feed.atom").bodyAsString().contains("Week two"));
    }

    @Test
    void aReleaseOnNodeAReachesALiveStreamOnNodeB() {
        Browser p = b.browser();
        signInWithoutMail(p, "live@example.org");
        p.get("/courses/demo/spring");
        p.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        Await.await(a.app.releases().runOnce());

        try (SseClient stream = SseClient.connect(vertxB, b.port(), "/courses/demo/spring/events", "Cookie", p.cookieHeader())) {
            clock.set(JUST_AFTER_WEEK_2);
            Await.await(a.app.releases().runOnce());
            String events = stream.awaitText("\"module\":\"week-2\"");
            assertTrue(events.contains("event: module-opened"), events);
        }
    }

    /** As {@code knowmad signin-link} does: a link made without mail (this node sends real mail). */
    private void signInWithoutMail(Browser browser, String email) {
        var signin = new org.knowmad.account.SigninService(a.app.pool(), clock, new org.knowmad.notify.Outbox(),
                new org.knowmad.account.AccountStore(), new org.knowmad.account.SessionStore(), new org.knowmad.web.Messages(),
                "http://localhost");
        browser.openSigninLink(Await.await(signin.createLink(email)));
    }

    private long count(String sql) {
        return Await.await(a.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }

}
