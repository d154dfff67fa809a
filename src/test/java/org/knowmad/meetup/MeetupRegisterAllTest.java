package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.db.Pools;
import org.knowmad.notify.Mail;
import org.knowmad.support.Await;
import org.knowmad.support.TestDatabase;

/**
 * {@code meetup_register_all} (V039) and {@link RegistrationBatches} on a real PostgreSQL: one call decides for
 * several people in arrival order, later calls continue the same line, a failing call writes nothing and leaves the
 * node's line free for the next registrations, and registrations that arrive together share calls.
 */
class MeetupRegisterAllTest {

    private static final Instant NOW = Instant.parse("2030-09-03T10:00:00Z");
    private static Vertx vertx;
    private static Pool pool;
    private static final MeetupStore store = new MeetupStore();

    @BeforeAll
    static void database() {
        vertx = Vertx.vertx();
        pool = Pools.create(vertx, TestDatabase.fresh(), 4);
    }

    @AfterAll
    static void done() {
        Await.await(pool.close());
        Await.await(vertx.close());
    }

    private static List<Long> accounts(String prefix, int n) {
        List<Long> ids = new ArrayList<>();
        for (Row r : Await.await(pool.preparedQuery("INSERT INTO account (email, created_at) SELECT $1 || g || '@example.org', now() "
                + "FROM generate_series(1, $2) g ORDER BY g RETURNING id").execute(Tuple.of(prefix, n)))) {
            ids.add(r.getLong(0));
        }
        return ids;
    }

    private static MeetupStore.NewRegistration person(String cohort, long account, Integer capacity) {
        return person(cohort, account, capacity, null);
    }

    private static MeetupStore.NewRegistration person(String cohort, long account, Integer capacity, MeetupStore.KeyClaim key) {
        String to = "person" + account + "@example.org";
        return new MeetupStore.NewRegistration("cafe", cohort, account, capacity, "C" + account + "-" + cohort, NOW,
                new Mail(to, "On the waitlist", "You are number #POSITION# in line.", "meetup-waitlisted:"),
                new Mail(to, "Your seat", "See you there.", "meetup.mail.confirmed:",
                        new Mail.Attachment("meetup.ics", Mail.CALENDAR_INVITE, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")),
                "{\"type\":\"registrations-changed\"}", key);
    }

    private static List<Optional<MeetupStore.Registered>> registerAll(String cohort, Integer capacity, long... people) {
        List<MeetupStore.NewRegistration> batch = new ArrayList<>();
        for (long p : people) batch.add(person(cohort, p, capacity));
        return Await.await(store.registerAll(pool, batch)).stream().map(MeetupStore.Outcome::made).toList();
    }

    private static List<String> waitlistMails(String cohort) {
        List<String> bodies = new ArrayList<>();
        for (Row r : Await.await(pool.preparedQuery("SELECT o.body_text FROM outbox o JOIN meetup_registration m ON o.dedupe_key = "
                + "'meetup-waitlisted:' || m.id || ':' || m.seq WHERE m.cohort_id = $1 ORDER BY m.seq").execute(Tuple.of(cohort)))) {
            bodies.add(r.getString(0));
        }
        return bodies;
    }

    @Test
    void oneCallDecidesForEveryoneInArrivalOrder() {
        List<Long> p = accounts("order", 4);
        var made = registerAll("order", 2, p.get(0), p.get(1), p.get(0), p.get(2), p.get(3));

        assertEquals(5, made.size());
        assertEquals("confirmed", made.get(0).orElseThrow().status());
        assertEquals(0, made.get(0).orElseThrow().confirmedBefore());
        assertEquals("confirmed", made.get(1).orElseThrow().status());
        assertEquals(1, made.get(1).orElseThrow().confirmedBefore());
        assertTrue(made.get(2).isEmpty(), "the same person twice in one call: registered once");
        assertEquals("waitlisted", made.get(3).orElseThrow().status());
        assertEquals(1, made.get(3).orElseThrow().position());
        assertEquals(2, made.get(3).orElseThrow().confirmedBefore());
        assertEquals(2, made.get(4).orElseThrow().position());
        assertTrue(made.get(0).orElseThrow().seq() < made.get(1).orElseThrow().seq()
                && made.get(1).orElseThrow().seq() < made.get(3).orElseThrow().seq(), "arrival numbers in the call's order");

        assertEquals(List.of("You are number 1 in line.", "You are number 2 in line."), waitlistMails("order"));
        long seats = Await.await(pool.preparedQuery("SELECT count(*) FROM outbox o JOIN meetup_registration m ON o.dedupe_key = "
                + "'meetup.mail.confirmed:' || m.id || ':' || m.seq WHERE m.cohort_id = 'order' AND o.attachment_name = 'meetup.ics'")
                .execute()).iterator().next().getLong(0);
        assertEquals(2, seats, "each seat's mail carries the invitation");
    }

    @Test
    void laterCallsContinueTheLineAndACancelledPersonComesBackAtItsEnd() {
        List<Long> p = accounts("line", 5);
        registerAll("line", 1, p.get(0), p.get(1), p.get(2));
        assertEquals(3, registerAll("line", 1, p.get(3)).get(0).orElseThrow().position());

        Await.await(pool.preparedQuery("UPDATE meetup_registration SET status = 'cancelled' WHERE account_id = $1").execute(Tuple.of(p.get(1))));
        var back = registerAll("line", 1, p.get(1), p.get(4)).stream().map(Optional::orElseThrow).toList();
        assertEquals("waitlisted", back.get(0).status(), "a seat is not free while others wait");
        assertEquals(3, back.get(0).position(), "behind the two still waiting");
        assertEquals(4, back.get(1).position());
        assertTrue(registerAll("line", 1, p.get(0)).get(0).isEmpty(), "registering again changes nothing");
    }

    @Test
    void withoutCapacityEveryoneHasASeat() {
        List<Long> p = accounts("open", 3);
        for (var made : registerAll("open", null, p.get(0), p.get(1), p.get(2))) {
            assertEquals("confirmed", made.orElseThrow().status());
        }
    }

    @Test
    void anEndedMeetupRefusesTheWholeCallAndTheNodesLineStaysFree() {
        List<Long> p = accounts("ended", 4);
        Await.await(pool.query("INSERT INTO meetup_session (course_id, cohort_id, ended_at) VALUES ('cafe', 'ended', now())").execute());
        RegistrationBatches batches = new RegistrationBatches(pool, store);
        List<Future<MeetupStore.Outcome>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) answers.add(batches.register(person("ended", p.get(i), 10)));
        for (var answer : answers) {
            Throwable failed = Await.awaitFailure(answer);
            assertTrue(failed instanceof PgException pg && "KM002".equals(pg.getSqlState()), String.valueOf(failed));
        }
        assertEquals(0L, Await.await(pool.query("SELECT count(*) FROM meetup_registration WHERE cohort_id = 'ended'").execute())
                .iterator().next().getLong(0), "nothing written");

        Await.await(pool.query("UPDATE meetup_session SET ended_at = NULL WHERE cohort_id = 'ended'").execute());
        assertEquals("confirmed", Await.await(batches.register(person("ended", p.get(3), 10))).made().orElseThrow().status(),
                "the next registration goes through");
    }

    @Test
    void registrationsArrivingTogetherShareCalls() {
        int n = 450;
        List<Long> p = accounts("together", n);
        RegistrationBatches batches = new RegistrationBatches(pool, store);
        Context context = vertx.getOrCreateContext();
        Promise<List<Future<MeetupStore.Outcome>>> sent = Promise.promise();
        context.runOnContext(v -> {
            List<Future<MeetupStore.Outcome>> answers = new ArrayList<>();
            for (long account : p) answers.add(batches.register(person("together", account, 10)));
            sent.complete(answers);
        });
        Set<Integer> places = new HashSet<>();
        int confirmed = 0;
        for (var answer : Await.await(sent.future())) {
            MeetupStore.Registered r = Await.await(answer).made().orElseThrow();
            if (r.status().equals("confirmed")) confirmed++;
            else assertTrue(places.add(r.position()), "each place once: " + r.position());
        }
        assertEquals(10, confirmed);
        assertEquals(n - 10, places.size());
        // The first went alone; the rest arrived while it ran and went in calls of at most RegistrationBatches.MAX.
        long calls = Await.await(pool.query("SELECT count(DISTINCT xmin::text) FROM meetup_registration WHERE cohort_id = 'together'")
                .execute()).iterator().next().getLong(0);
        assertEquals(1 + (n - 1 + RegistrationBatches.MAX - 1) / RegistrationBatches.MAX, calls);
    }

    private static MeetupStore.KeyClaim key(String value, Instant cutoff) {
        return new MeetupStore.KeyClaim(value, "POST /courses/cafe/keys/meetup/registration", 303, "/courses/cafe/keys/meetup#registration", cutoff);
    }

    @Test
    void aKeyUsedBeforeIsARepeatInTheSameCallOrALaterOneAndRegistersNothing() {
        List<Long> p = accounts("keys", 2);
        long me = p.get(0);
        Instant cutoff = NOW.minusSeconds(86_400);
        // A double click landing in one call: the first registers and stores its answer, the second is a repeat.
        var both = Await.await(store.registerAll(pool, List.of(person("keys", me, 10, key("k-1", cutoff)), person("keys", me, 10, key("k-1", cutoff)))));
        assertEquals(false, both.get(0).repeat());
        assertEquals("confirmed", both.get(0).made().orElseThrow().status());
        assertTrue(both.get(1).repeat());
        Row stored = Await.await(pool.preparedQuery("SELECT status, location, path FROM idempotency_key WHERE account_id = $1 AND key = 'k-1'")
                .execute(Tuple.of(me))).iterator().next();
        assertEquals(303, stored.getInteger("status"));
        assertEquals("/courses/cafe/keys/meetup#registration", stored.getString("location"));

        // Cancelled since: the same key again (a reload of the first post) is still a repeat, not a new registration.
        Await.await(pool.preparedQuery("UPDATE meetup_registration SET status = 'cancelled' WHERE account_id = $1").execute(Tuple.of(me)));
        var later = Await.await(store.registerAll(pool, List.of(person("keys", me, 10, key("k-1", cutoff)), person("keys", p.get(1), 10, key("k-1", cutoff)))));
        assertTrue(later.get(0).repeat());
        assertEquals(false, later.get(1).repeat(), "keys are per account");
        assertEquals("cancelled", Await.await(pool.preparedQuery("SELECT status FROM meetup_registration WHERE account_id = $1")
                .execute(Tuple.of(me))).iterator().next().getString(0));

        // A key older than the cutoff is as good as new.
        var expired = Await.await(store.registerAll(pool, List.of(person("keys", me, 10, key("k-1", NOW.plusSeconds(1))))));
        assertEquals(false, expired.get(0).repeat());
        assertEquals("confirmed", expired.get(0).made().orElseThrow().status());
    }
}
