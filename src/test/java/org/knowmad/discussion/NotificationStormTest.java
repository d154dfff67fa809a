package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * Notification storms are coalesced: one mail per thread and person until they have been back, a few per person
 * and hour (also when posts about them are committed at the same moment), the rest in the digest. The load is
 * the one that queued 164,800 mails: 1,846 replies in a minute.
 */
@ExtendWith(VertxExtension.class)
class NotificationStormTest {

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

    private static long thread(ApiUser who, String title) {
        return who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Opening post of " + title)).bodyAsJsonObject().getLong("id");
    }

    private static int reply(ApiUser who, long thread, Integer replyTo) {
        JsonObject b = new JsonObject().put("body", "A reply");
        if (replyTo != null) b.put("replyTo", replyTo);
        var r = who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", b);
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getInteger("number");
    }

    private static long count(String sql, Object... args) {
        return Await.await(node.app.pool().preparedQuery(sql).execute(Tuple.wrap(args))).iterator().next().getLong(0);
    }

    @Test
    void aStormOfRepliesQueuesABoundedNumberOfMails() {
        int people = 200;
        int threads = 40;
        int replies = 1_846;
        List<ApiUser> users = new ArrayList<>();
        for (int i = 0; i < people; i++) users.add(ApiUser.joined(node, clock, "storm" + i + "@example.org", "spring"));
        List<Long> ids = new ArrayList<>();
        List<Integer> lastNumber = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ids.add(thread(users.get(t * 5), "Storm " + t));
            lastNumber.add(1);
        }
        clock.advance(Duration.ofMinutes(1)); // the openers' posts out of the rate limit's minute
        long before = count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'notification:%'");
        Random random = new Random(1846);
        long started = System.nanoTime();
        // Four replies at a time, as from several people at once (and so the budget is taken concurrently).
        for (int i = 0; i < replies; i += 4) {
            List<Future<HttpResponse<Buffer>>> wave = new ArrayList<>();
            List<Integer> waveThreads = new ArrayList<>();
            for (int j = i; j < Math.min(i + 4, replies); j++) {
                clock.advance(Duration.ofMillis(32)); // 1,846 replies in one minute
                int t = random.nextInt(threads);
                // Everyone posts every 200th reply: within the rate limit of ten a minute.
                ApiUser who = users.get((j * 7) % people);
                JsonObject body = new JsonObject().put("body", "A reply");
                if (random.nextInt(3) == 0) body.put("replyTo", 1 + random.nextInt(lastNumber.get(t)));
                wave.add(who.send(HttpMethod.POST, "/api/v1/threads/" + ids.get(t) + "/posts", body));
                waveThreads.add(t);
            }
            Await.await(Future.join(new ArrayList<>(wave)));
            for (int k = 0; k < wave.size(); k++) {
                HttpResponse<Buffer> r = wave.get(k).result();
                assertEquals(201, r.statusCode(), r.bodyAsString());
                int t = waveThreads.get(k);
                lastNumber.set(t, Math.max(lastNumber.get(t), r.bodyAsJsonObject().getInteger("number")));
            }
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        long notifications = count("SELECT count(*) FROM notification n JOIN account a ON a.id = n.account_id"
                + " WHERE a.email LIKE 'storm%' AND n.post_number > 1");
        long mails = count("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'notification:%'") - before;
        long busiest = count("SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM outbox WHERE dedupe_key LIKE 'notification:%'"
                + " GROUP BY to_email) x");
        System.out.printf("notification storm: %d replies in %d ms; %d notifications (each a mail before), %d mails queued,"
                + " at most %d to one person%n", replies, tookMs, notifications, mails, busiest);

        assertTrue(notifications > 20_000, "the load is a storm: " + notifications + " notifications");
        assertTrue(busiest <= NotificationStore.MAILS_PER_HOUR, "at most " + NotificationStore.MAILS_PER_HOUR + " a person this hour: " + busiest);
        assertTrue(mails <= (long) people * NotificationStore.MAILS_PER_HOUR, "bounded by people × hourly share: " + mails);
        assertTrue(mails <= replies + threads, "each visit (here: writing in the thread) re-arms at most one mail: " + mails);
        // No second mail about a thread unless the person has been back in between (here: posted there).
        long rearmedWithoutVisit = count("""
                SELECT count(*) FROM notification m
                JOIN notification prev ON prev.account_id = m.account_id AND prev.thread_id = m.thread_id
                     AND prev.mailed_at IS NOT NULL AND prev.post_number < m.post_number
                WHERE m.mailed_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM notification x WHERE x.account_id = m.account_id AND x.thread_id = m.thread_id
                                  AND x.mailed_at IS NOT NULL AND x.post_number > prev.post_number AND x.post_number < m.post_number)
                  AND NOT EXISTS (SELECT 1 FROM post p WHERE p.thread_id = m.thread_id AND p.author_id = m.account_id
                                  AND p.number >= prev.post_number AND p.number < m.post_number)
                  AND NOT EXISTS (SELECT 1 FROM read_state rs WHERE rs.thread_id = m.thread_id AND rs.account_id = m.account_id
                                  AND rs.last_read_number >= prev.post_number)""");
        assertEquals(0, rearmedWithoutVisit, "a second mail about a thread only after a visit");

        // What did not go out at once and was not covered by a mail about the same thread waits for the digest,
        // once the hour is over; the follow-on-reply default stays (everyone who replied follows).
        long pending = count("SELECT count(DISTINCT account_id) FROM notification WHERE digested_at IS NULL");
        assertTrue(pending > 0, "the hourly share ran out for some people");
        assertEquals(0, Await.await(node.app.notifications().sendDigests()), "not within the hour");
        clock.advance(Duration.ofMinutes(61));
        int digests = Await.await(node.app.notifications().sendDigests());
        assertEquals(pending, digests, "one digest per person who had more");
        assertEquals(0, count("SELECT count(*) FROM notification WHERE digested_at IS NULL"));
        assertEquals(count("SELECT count(DISTINCT (thread_id, author_id)) FROM post WHERE thread_id = ANY($1)",
                (Object) ids.toArray(Long[]::new)), count("SELECT count(*) FROM follow WHERE thread_id = ANY($1)", (Object) ids.toArray(Long[]::new)),
                "everyone who wrote in a thread follows it");
    }

    @Test
    void afterAVisitTheNextReplyIsMailedAgain() {
        ApiUser ada = ApiUser.joined(node, clock, "ada.visit@example.org", "spring");
        ApiUser ben = ApiUser.joined(node, clock, "ben.visit@example.org", "spring");
        ApiUser cy = ApiUser.joined(node, clock, "cy.visit@example.org", "spring");
        clock.advance(Duration.ofHours(3)); // away from the other test's hour
        long id = thread(ada, "Come back");
        reply(ben, id, 1);
        reply(cy, id, null);
        reply(ben, id, null);
        assertEquals(1, mailsTo("ada.visit@example.org"), "one mail about the thread until ada has been back");

        var browser = node.browser().signIn("ada.visit@example.org");
        assertEquals(200, browser.get("/courses/demo/spring/threads/" + id).statusCode());
        reply(cy, id, null);
        assertEquals(2, mailsTo("ada.visit@example.org"), "she visited: the next reply is mailed again");
        reply(ben, id, null);
        assertEquals(2, mailsTo("ada.visit@example.org"), "and then again one until the next visit");
    }

    private static long mailsTo(String email) {
        return count("SELECT count(*) FROM outbox WHERE to_email = $1 AND dedupe_key LIKE 'notification:%'", email);
    }
}
