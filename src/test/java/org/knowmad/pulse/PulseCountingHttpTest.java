package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

/**
 * The pulse page of a cohort whose participation count is slow: the first view on a node waits for it; once the
 * cohort is known to be slow, a view that finds no kept count shows everything else at once with a "still counting"
 * part that asks for itself again, and the count it started is there for that next ask. The API always waits. The
 * count is made slow for real: a transaction holds an exclusive lock on activity_day, which the count must read.
 */
@ExtendWith(VertxExtension.class)
class PulseCountingHttpTest {

    private static final String PAGE = "/courses/demo/spring/pulse";

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser facilitator;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        facilitator = ApiUser.create(node, clock, "fac@example.org");
        for (int i = 0; i < 3; i++) ApiUser.joined(node, clock, "p" + i + "@example.org", "spring");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Holds activity_day locked until the returned transaction ends. */
    private static Transaction lockActivity() {
        return lockActivity(node);
    }

    private static Transaction lockActivity(TestNode on) {
        SqlConnection conn = Await.await(on.app.pool().getConnection());
        Transaction tx = Await.await(conn.begin());
        Await.await(conn.query("LOCK TABLE activity_day IN ACCESS EXCLUSIVE MODE").execute());
        tx.completion().onComplete(ar -> conn.close());
        return tx;
    }

    private static void releaseAfter(Transaction tx, long millis) {
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Await.await(tx.commit());
        });
    }

    @Test
    void aSlowCohortsPageShowsTheRestAtOnceAndFillsTheCountsInWhenTheyAreThere() throws InterruptedException {
        Browser fac = node.browser().signIn("fac@example.org");

        // First view on this node: nobody knows yet that the count is slow, so the page waits for it.
        releaseAfter(lockActivity(), 600);
        String first = fac.get(PAGE).bodyAsString();
        assertTrue(first.contains("id=\"funnel\""), "the first view waited for its count");
        assertFalse(first.contains("hx-trigger=\"load delay:1s\""));

        // Past what is kept: a new count is needed, and this page does not wait for it.
        clock.advance(ParticipationCache.KEEP.plusMinutes(1));
        Transaction tx = lockActivity();
        long started = System.nanoTime();
        var counting = fac.get(PAGE);
        long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(200, counting.statusCode());
        String page = counting.bodyAsString();
        assertTrue(page.contains("<div id=\"participation\" hx-get=\"/courses/demo/spring/pulse\" hx-select=\"#participation\""), page);
        assertTrue(page.contains("are being counted"), "says the numbers are coming");
        assertTrue(page.contains("href=\"/courses/demo/spring/pulse\""), "and links the page again for a browser without scripts");
        assertFalse(page.contains("id=\"funnel\""), "no numbers that were not counted");
        assertTrue(page.contains("id=\"discussion\"") && page.contains("id=\"principles\""), "the rest of the pulse is there");
        assertTrue(tookMillis < 5_000, "answered without the count (" + tookMillis + " ms)");

        // A week asked for is asked for again.
        String week2 = fac.get(PAGE + "?week=2").bodyAsString();
        assertTrue(week2.contains("hx-get=\"/courses/demo/spring/pulse?week=2\""), week2);

        // The API waits for the count whatever it takes.
        releaseAfter(tx, 600);
        JsonObject pulse = facilitator.call(HttpMethod.GET, "/api/v1/courses/demo/spring/pulse", null).bodyAsJsonObject();
        assertEquals(3, pulse.getJsonObject("overall").getJsonObject("funnel").getJsonObject("enrolled").getLong("count"), pulse.encode());

        // Once the count is done, the page's next ask gets it at once.
        String filled = fac.get(PAGE).bodyAsString();
        assertTrue(filled.contains("id=\"funnel\""), filled);
        assertFalse(filled.contains("are being counted"));
    }

    @Test
    void aStartedNodeCountsLargeCohortsSoTheirFirstViewNeedNotWait(Vertx vertx) {
        MutableClock ownClock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode fresh = TestNode.demo(vertx, ownClock);
        try {
            ApiUser.create(fresh, ownClock, "fac@example.org");
            for (int i = 0; i < 2; i++) ApiUser.joined(fresh, ownClock, "q" + i + "@example.org", "spring");
            Await.await(fresh.app.pulse().warm(PulseService.WARM_FROM)); // nothing that large here: nothing counted

            // As a started node does after 5 s (the threshold lowered to this cohort's size), with a slow count.
            Transaction tx = lockActivity(fresh);
            releaseAfter(tx, 600);
            Await.await(fresh.app.pulse().warm(2));

            // The first view finds the count kept, even while counting would now take forever.
            Transaction held = lockActivity(fresh);
            try {
                ownClock.advance(Duration.ofSeconds(30));
                String page = fresh.browser().signIn("fac@example.org").get(PAGE).bodyAsString();
                assertTrue(page.contains("id=\"funnel\""), page);
                assertTrue(page.contains("id=\"counted-at\""), "says when it was counted");
            } finally {
                Await.await(held.rollback());
            }
        } finally {
            fresh.close();
        }
    }

    @Test
    void aLargeCohortsFirstViewDoesNotWaitEvenOnANodeThatDidNotCountItAhead(Vertx vertx) throws InterruptedException {
        MutableClock ownClock = new MutableClock(Fixtures.SPRING_DAY_2);
        TestNode fresh = TestNode.demo(vertx, ownClock);
        try {
            ApiUser.create(fresh, ownClock, "fac@example.org");
            // The cohort grows to the size counted ahead while the node runs (its warm-up found nothing that large).
            Await.await(fresh.app.pool().query("""
                    WITH a AS (INSERT INTO account (email, created_at)
                               SELECT 'many' || g || '@example.org', now() FROM generate_series(1, %d) g RETURNING id)
                    INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
                    SELECT 'demo', 'spring', id, now(), now() FROM a""".formatted(PulseService.WARM_FROM)).execute());
            Browser fac = fresh.browser().signIn("fac@example.org");

            Transaction held = lockActivity(fresh);
            try {
                long started = System.nanoTime();
                String page = fac.get(PAGE).bodyAsString();
                long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertTrue(page.contains("are being counted"), page);
                assertTrue(page.contains("id=\"discussion\""), "the rest of the pulse is there");
                assertTrue(tookMillis < 5_000, "answered without the count (" + tookMillis + " ms)");
            } finally {
                Await.await(held.rollback());
            }
            // The count the view started is done now, and the next view shows it (all 5,000 enrolled).
            String filled = "";
            for (int i = 0; i < 50 && !filled.contains("id=\"funnel\""); i++) {
                if (i > 0) Thread.sleep(100);
                filled = fac.get(PAGE).bodyAsString();
            }
            assertTrue(filled.contains("id=\"funnel\""), filled);
            assertTrue(java.util.regex.Pattern.compile("<td>5[,.]?00[0-9]</td>").matcher(filled).find(), "everyone counted: " + filled);
        } finally {
            fresh.close();
        }
    }
}

