package org.knowmad.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** In a self-paced cohort each participant gets their own releases, counted from their join time. */
@ExtendWith(VertxExtension.class)
class SelfPacedReleaseTest {

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

    @Test
    void eachParticipantHasTheirOwnReleasesAndMail() {
        join("early@example.org");
        clock.advance(Duration.ofDays(1));
        join("later@example.org");
        Await.await(node.app.releases().runOnce());
        assertEquals(2, count("SELECT count(*) FROM module_release WHERE cohort_id = 'own-pace' AND module_id = 'week-1'"));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week one%'"), "no mail for what opens on joining");

        // Six days and a minute later: week 2 is due for the early joiner only.
        clock.advance(Duration.ofDays(6).plusMinutes(1));
        Await.await(node.app.releases().runOnce());
        Await.await(node.app.releases().runOnce());
        assertEquals(1, count("SELECT count(*) FROM module_release WHERE cohort_id = 'own-pace' AND module_id = 'week-2'"));
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week two%' AND to_email = 'early@example.org'"));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week two%' AND to_email = 'later@example.org'"));
        assertEquals(0, count("SELECT count(*) FROM feed_entry WHERE cohort_id = 'own-pace'"), "personal releases are not in the cohort feed");

        clock.advance(Duration.ofDays(1));
        Await.await(node.app.releases().runOnce());
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE subject LIKE 'Week two%' AND to_email = 'later@example.org'"));
    }

    @Test
    void theJobLooksOnlyAtThoseDueAndAtWhoeverRejoins() {
        join("steady@example.org");
        Await.await(node.app.releases().runOnce());
        long before = node.app.releases().participantsLooked();
        Await.await(node.app.releases().runOnce());
        assertEquals(before, node.app.releases().participantsLooked(), "nothing due: nobody looked at");
        assertEquals(1, count("SELECT count(*) FROM enrolment e JOIN account a ON a.id = e.account_id WHERE a.email = 'steady@example.org'"
                + " AND e.next_release_at BETWEEN e.joined_at + interval '6 days' AND e.joined_at + interval '8 days'"), "looked at again when week 2 opens for them");

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        Await.await(node.app.releases().runOnce());
        assertEquals(1, count("SELECT count(*) FROM module_release r JOIN account a ON a.id = r.participant_id"
                + " WHERE a.email = 'steady@example.org' AND r.module_id = 'week-2'"));

        // Leaving and coming back: looked at in the next round, whatever was kept.
        Browser b = node.browser().signIn("steady@example.org");
        b.get("/courses/demo/own-pace");
        assertEquals(303, b.post("/courses/demo/own-pace/leave").statusCode());
        join("steady@example.org");
        assertEquals(1, count("SELECT count(*) FROM enrolment e JOIN account a ON a.id = e.account_id WHERE a.email = 'steady@example.org'"
                + " AND e.next_release_at IS NULL"));
        Await.await(node.app.releases().runOnce());
        assertEquals(0, count("SELECT count(*) FROM enrolment WHERE cohort_id = 'own-pace' AND left_at IS NULL AND next_release_at IS NULL"));
    }

    private static void join(String email) {
        Browser b = node.browser().signIn(email);
        b.get("/courses/demo/own-pace");
        assertEquals(303, b.post("/courses/demo/own-pace/join", "acceptGuidelines", "on").statusCode());
    }

    private static long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
