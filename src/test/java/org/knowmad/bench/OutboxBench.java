package org.knowmad.bench;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Outbox throughput and fairness, one node against a local SMTP sink (its own Vert.x, same JVM and cores):
 * <ol>
 *   <li>mails/s for a bulk backlog, per number of SMTP connections (messages in flight);</li>
 *   <li>with 100,000 bulk mails queued and the node draining them, how long a sign-in link takes from the
 *       request until the SMTP server has it (target ≤ 5 s); and the claim statement's time on that backlog.</li>
 * </ol>
 * Run with {@code bash src/bench/outbox.sh} ({@code MAILS=20000 BACKLOG=100000 CONNECTIONS="1 4 8 16"}).
 */
public final class OutboxBench {

    public static void main(String[] args) {
        int mails = Integer.parseInt(System.getenv().getOrDefault("MAILS", "20000"));
        int backlog = Integer.parseInt(System.getenv().getOrDefault("BACKLOG", "100000"));
        List<Integer> connections = java.util.Arrays.stream(System.getenv().getOrDefault("CONNECTIONS", "1 4 8 16").trim().split("\\s+"))
                .map(Integer::parseInt).toList();
        Vertx sinkVertx = Vertx.vertx();
        SmtpSink sink = new SmtpSink(sinkVertx);
        try {
            System.out.println("== (a) throughput: " + mails + " bulk mails, one node");
            for (int c : connections) throughput(sink, mails, c);
            System.out.println("== (b) a sign-in link behind " + backlog + " bulk mails");
            signinBehindBacklog(sink, backlog, connections.contains(8) ? 8 : connections.get(connections.size() - 1));
        } finally {
            sink.close();
            Await.await(sinkVertx.close());
        }
    }

    private static TestNode node(Vertx vertx, MutableClock clock, SmtpSink sink, int connections) {
        return TestNode.start(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), clock, Fixtures.tempDir(),
                "smtp://127.0.0.1:" + sink.port() + "?from=courses@example.org&connections=" + connections);
    }

    private static void throughput(SmtpSink sink, int mails, int connections) {
        Vertx vertx = Vertx.vertx();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode node = node(vertx, clock, sink, connections);
        try {
            // Warm-up: connections open, statements prepared, JIT.
            enqueue(node, 2_000, "warm");
            Await.await(node.app.mail().sendDue());
            enqueue(node, mails, "bulk");
            sink.messages.clear();
            long start = System.nanoTime();
            var draining = node.app.mail().sendDue(); // drains the whole backlog, round after round
            while (sink.messages.size() < mails) sleep(5);
            double seconds = (System.nanoTime() - start) / 1e9;
            int sent = sink.messages.size();
            Await.await(draining);
            System.out.printf("connections %2d: %d mails in %.2f s = %,.0f mails/s (sink has %d)%n", connections, sent, seconds,
                    sent / seconds, sink.messages.size());
        } finally {
            node.close();
            Await.await(vertx.close());
        }
    }

    private static void signinBehindBacklog(SmtpSink sink, int backlog, int connections) {
        Vertx vertx = Vertx.vertx();
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode node = node(vertx, clock, sink, connections);
        try {
            long t0 = System.nanoTime();
            enqueue(node, backlog, "backlog");
            Await.await(node.app.pool().query("ANALYZE outbox").execute());
            System.out.printf("queued %,d bulk mails in %.1f s%n", backlog, (System.nanoTime() - t0) / 1e9);
            claimPlan(node);
            sink.messages.clear();
            // The node drains the backlog as its timer would: round after round while they come back full
            // (closing the node below stops it after its current round).
            node.app.mail().sendDue();
            sleep(3_000); // in full flow
            clock.advance(Duration.ofSeconds(1));
            int before = sink.messages.size();
            Browser browser = node.browser();
            browser.get("/signin");
            long requested = System.nanoTime();
            if (browser.post("/signin", "email", "late@example.org").statusCode() != 200) throw new AssertionError("sign-in refused");
            long queued = System.nanoTime();
            while (sink.messages.stream().skip(before).noneMatch(m -> m.contains("To: late@example.org"))) sleep(2);
            long received = System.nanoTime();
            int behind = sink.messages.size() - before;
            System.out.printf("sign-in link: request answered after %.0f ms, at the SMTP server %.0f ms after the request"
                            + " (%d bulk mails were delivered meanwhile; %,d still waiting)%n",
                    (queued - requested) / 1e6, (received - requested) / 1e6, behind, backlog - sink.messages.size());
        } finally {
            node.close();
            Await.await(vertx.close());
        }
    }

    private static void claimPlan(TestNode node) {
        String claimSelect = """
                EXPLAIN (ANALYZE, FORMAT TEXT) SELECT id FROM outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                  AND (claimed_until IS NULL OR claimed_until < $1)
                ORDER BY priority, next_attempt_at LIMIT 128 FOR UPDATE SKIP LOCKED""";
        StringBuilder plan = new StringBuilder();
        for (Row r : Await.await(node.app.pool().preparedQuery(claimSelect)
                .execute(Tuple.of(node.clock.instant().atOffset(ZoneOffset.UTC))))) {
            plan.append("    ").append(r.getString(0)).append('\n');
        }
        System.out.print("claim of 128 on that backlog:\n" + plan);
    }

    private static void enqueue(TestNode node, int n, String tag) {
        Await.await(node.app.pool().preparedQuery("""
                        INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, priority)
                        SELECT $1 || ':' || g, 'person' || g || '@example.org', 'A new post in "Learning out loud"',
                               'Someone wrote a new post in "Learning out loud": http://localhost/courses/demo/spring/threads/1#post-' || g, $2, $2, 1
                        FROM generate_series(1, $3) g""")
                .execute(Tuple.of(tag, node.clock.instant().atOffset(ZoneOffset.UTC), n)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
