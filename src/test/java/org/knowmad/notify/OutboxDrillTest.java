package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Drills on the outbox, over loopback against real SMTP sinks: a server that never answers, a node that dies in
 * the middle of sending, and a sign-in link queued behind a bulk backlog.
 */
class OutboxDrillTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID: <outbox-(\\d+)@knowmad>");

    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
        for (Vertx v : vertxes) Await.await(v.close());
    }

    private Vertx vertx() {
        Vertx v = Vertx.vertx();
        vertxes.add(v);
        return v;
    }

    private SmtpSink sink(Vertx vertx) {
        SmtpSink sink = new SmtpSink(vertx);
        closing.add(sink);
        return sink;
    }

    private TestNode node(Vertx vertx, DatabaseTarget db, Path courses, MutableClock clock, SmtpSink sink, String options) {
        TestNode node = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir(),
                "smtp://127.0.0.1:" + sink.port() + "?from=courses@example.org&" + options);
        closing.add(node);
        return node;
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndNoMailIsLost() {
        Vertx vertx = vertx();
        SmtpSink smtp = sink(vertx).hang();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode node = node(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), clock, smtp, "timeout_ms=400&connections=2");
        enqueue(node, 6, Mail.Lane.TRANSACTIONAL, "hung");

        long started = System.nanoTime();
        assertEquals(0, Await.await(node.app.mail().sendDue()), "nothing can be delivered to a server that says nothing");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 3_000, "the round ends after the timeout, not never: " + tookMs + " ms");
        System.out.printf("hung SMTP drill: 6 mails, 2 connections, timeout 400 ms: the round gave up after %d ms%n", tookMs);
        assertTrue(smtp.connections.get() >= 1, "the server did take the connection");
        MailSender.SmtpStatus status = node.app.mail().smtpStatus();
        assertTrue(status.configured());
        assertFalse(status.ok());
        assertNotNull(status.lastFailure());
        assertTrue(status.lastError().contains("no answer") || status.lastError().toLowerCase().contains("timeout")
                || status.lastError().toLowerCase().contains("closed"), status.lastError());
        assertEquals(2, count(node, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL"
                + " AND claimed_until IS NULL AND attempts = 1"), "the two in flight failed, unclaimed, kept for a retry");
        assertEquals(4, count(node, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND last_error IS NULL AND claimed_until IS NULL"
                + " AND attempts = 0"), "the rest were not lined up behind a server that does not answer: handed back, unattempted");

        // The running flag cleared: the next round runs (nothing is due before the backoff) and the server is back.
        smtp.recover();
        assertEquals(4, Await.await(node.app.mail().sendDue()), "the next round sends what was handed back; retries wait for their backoff");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, Await.await(node.app.mail().sendDue()));
        assertEquals(6, smtp.messages.size());
        assertEquals(6, new HashSet<>(ids(smtp.messages)).size(), "each exactly once");
        assertEquals(0, count(node, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "nothing lost");
        assertTrue(node.app.mail().smtpStatus().ok());
    }

    @Test
    void aDeadNodesClaimsComeBackWithinTheLeaseAndNothingAcceptedIsSentAgain() {
        Vertx vertxA = vertx();
        Vertx vertxB = vertx();
        SmtpSink smtpA = sink(vertxB).hangAfter(4);
        SmtpSink smtpB = sink(vertxB);
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode a = TestNode.start(vertxA, db, courses, clock, Fixtures.tempDir(),
                "smtp://127.0.0.1:" + smtpA.port() + "?from=courses@example.org&timeout_ms=20000&connections=2");
        TestNode b = node(vertxB, db, courses, clock, smtpB, "timeout_ms=2000&connections=4");
        enqueue(a, 30, Mail.Lane.BULK, "crash");

        a.app.mail().sendDue(); // never completes: the server hangs after four messages, and then the node dies
        until(() -> smtpA.messages.size() == 4 && !smtpA.unanswered.isEmpty(), Duration.ofSeconds(10));
        until(() -> count(b, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL") == 4, Duration.ofSeconds(10));
        // The accepted four were recorded at once, one by one; then the node dies: its connections (and the
        // heartbeat that would renew its claims) die with it.
        Await.await(vertxA.close());
        vertxes.remove(vertxA);

        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, Await.await(b.app.mail().sendDue()), "within the lease the claims still hold");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(26, Await.await(b.app.mail().sendDue()), "31 s later the other node sends the rest");

        List<Long> byA = ids(smtpA.messages);
        List<Long> byB = ids(smtpB.messages);
        Set<Long> all = new HashSet<>(byA);
        all.addAll(byB);
        assertEquals(30, all.size(), "none lost");
        assertEquals(30, byA.size() + byB.size(), "no message the server accepted was sent again");
        assertTrue(smtpA.unanswered.size() <= 2, "at most the messages in flight (two connections) are in doubt");
        assertEquals(0, count(b, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
    }

    @Test
    void theLiveNodeRenewsItsClaimsSoNobodyElseTakesThem() {
        Vertx vertx = vertx();
        SmtpSink slow = sink(vertx).hang();
        SmtpSink fine = sink(vertx);
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode a = node(vertx, db, courses, clock, slow, "timeout_ms=3000&connections=1");
        TestNode b = node(vertx, db, courses, clock, fine, "timeout_ms=2000");
        enqueue(a, 1, Mail.Lane.BULK, "renew");

        Future<Integer> round = a.app.mail().sendDue();
        until(() -> slow.connections.get() >= 1, Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(25));
        Await.await(a.app.mail().renew()); // what the heartbeat does every 10 s
        clock.advance(Duration.ofSeconds(25)); // 50 s after the claim, 25 s after the renewal
        assertEquals(0, Await.await(b.app.mail().sendDue()), "a live node's claims are not taken from it");
        assertEquals(0, Await.await(round), "the hung server fails the round after its timeout");
        assertTrue(fine.messages.isEmpty());
    }

    @Test
    void aSignInLinkQueuedBehindABulkBacklogGoesOutFirst() {
        Vertx vertx = vertx();
        SmtpSink smtp = sink(vertx);
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode node = node(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), clock, smtp, "connections=4");
        enqueue(node, 20_000, Mail.Lane.BULK, "backlog");
        clock.advance(Duration.ofSeconds(1)); // the sign-in link is the newest mail of all

        Browser browser = node.browser();
        browser.get("/signin");
        assertEquals(200, browser.post("/signin", "email", "late@example.org").statusCode());
        Row link = Await.await(node.app.pool().preparedQuery("SELECT id, priority FROM outbox WHERE to_email = $1")
                .execute(Tuple.of("late@example.org"))).iterator().next();
        assertEquals((short) 0, link.getShort("priority"), "a sign-in link is transactional");

        int sent = Await.await(node.app.mail().sendRound());
        assertTrue(sent > 0 && sent < 1_000, "one round: " + sent);
        List<Long> order = ids(smtp.messages);
        int position = order.indexOf(link.getLong("id"));
        assertTrue(position >= 0 && position < 4, "the link was among the first messages in flight, not behind 20,000: " + position);
    }

    @Test
    void producersChooseTheLaneAndTheOutboxKeepsIt() {
        Mail link = new Mail("a@example.org", "Your sign-in link", "x", null);
        assertEquals(Mail.Lane.TRANSACTIONAL, link.lane(), "what nobody marks goes in the fast lane: it can never be stranded");
        Mail news = new Mail("b@example.org", "Week 2 is open", "x", "k1").bulk();
        assertEquals(Mail.Lane.BULK, news.lane());
        assertEquals(Mail.Lane.BULK, news.withAttachment(new Mail.Attachment("a.ics", "text/calendar", "x")).lane());
        Vertx vertx = vertx();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode node = TestNode.demo(vertx, clock);
        closing.add(node);
        Await.await(node.app.pool().withTransaction(tx -> new Outbox().enqueue(tx, link, clock.instant())
                .compose(v -> new Outbox().enqueueAll(tx, List.of(news, new Mail("c@example.org", "Ticket", "x", "k2")), clock.instant()))));
        assertEquals(0, count(node, "SELECT priority FROM outbox WHERE to_email = 'a@example.org'"));
        assertEquals(1, count(node, "SELECT priority FROM outbox WHERE to_email = 'b@example.org'"));
        assertEquals(0, count(node, "SELECT priority FROM outbox WHERE to_email = 'c@example.org'"));
    }

    // ---- helpers ----

    /** {@code n} mails to distinct people in one statement. */
    static void enqueue(TestNode node, int n, Mail.Lane lane, String tag) {
        Await.await(node.app.pool().preparedQuery("""
                        INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, priority)
                        SELECT $1 || ':' || g, $1 || g || '@example.org', 'Mail ' || g, 'Body of mail ' || g, $2, $2, $3
                        FROM generate_series(1, $4) g""")
                .execute(Tuple.of(tag, node.clock.instant().atOffset(java.time.ZoneOffset.UTC), (short) lane.priority, n)));
    }

    static long count(TestNode node, String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    static List<Long> ids(List<String> messages) {
        List<Long> ids = new ArrayList<>();
        for (String m : messages) {
            Matcher matcher = MESSAGE_ID.matcher(m);
            if (matcher.find()) ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids;
    }

    static void until(java.util.function.BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not within " + limit);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
