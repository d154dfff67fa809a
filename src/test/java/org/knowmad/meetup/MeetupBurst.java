package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.notify.Outbox;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;
import org.knowmad.web.Messages;

/**
 * The registration burst: N participants of the café course's winter cohort (10 seats) register at the same
 * moment, alternating between two server nodes on one database. Used by the burst test and the benchmark.
 */
final class MeetupBurst implements AutoCloseable {

    static final String API = "/api/v1/courses/cafe/winter/meetup";

    final Vertx vertxA = Vertx.vertx();
    final Vertx vertxB = Vertx.vertx();
    final Vertx clientVertx = Vertx.vertx();
    final MutableClock clock = new MutableClock(Instant.parse("2030-09-03T10:00:00Z"));
    final TestNode a;
    final TestNode b;
    final List<String> tokens = new ArrayList<>();
    final WebClient client;

    MeetupBurst(int people) {
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        a = TestNode.start(vertxA, db, courses, clock, Fixtures.tempDir());
        b = TestNode.start(vertxB, db, courses, clock, Fixtures.tempDir());
        client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(Math.max(100, people / 2)).setMaxWaitQueueSize(-1));
        SigninService signin = new SigninService(a.app.pool(), clock, new Outbox(), new AccountStore(), new SessionStore(), new Messages(),
                "http://localhost");
        for (int from = 0; from < people; from += 100) {
            List<Future<String>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(people, from + 100); i++) batch.add(signin.createApiToken("burst" + i + "@example.org", "burst"));
            for (Future<String> f : batch) tokens.add(Await.await(f));
        }
        // Joining is not what is measured: everyone is enrolled in one statement.
        Await.await(a.app.pool().preparedQuery("""
                INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
                SELECT 'cafe', c, id, $1, $1 FROM account, unnest(ARRAY['winter', 'autumn']) AS c WHERE email LIKE 'burst%'""").execute(Tuple.of(clock.instant().atOffset(java.time.ZoneOffset.UTC))));
    }

    /**
     * Everyone registers at once, even-numbered people on node A, odd on node B, each with an idempotency key as the
     * page's form sends one; answers the responses in order.
     */
    List<HttpResponse<Buffer>> registerAll() {
        return registerAll(API);
    }

    /** The same for another cohort's meetup (the benchmark warms the servers up on the autumn cohort first). */
    List<HttpResponse<Buffer>> registerAll(String api) {
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            TestNode node = i % 2 == 0 ? a : b;
            sent.add(client.request(HttpMethod.POST, node.port(), "localhost", api + "/registration").bearerTokenAuthentication(tokens.get(i))
                    .putHeader(org.knowmad.web.Idempotent.HEADER, java.util.UUID.randomUUID().toString()).send());
        }
        List<HttpResponse<Buffer>> responses = new ArrayList<>();
        for (Future<HttpResponse<Buffer>> f : sent) responses.add(Await.await(f));
        return responses;
    }

    HttpResponse<Buffer> call(int person, HttpMethod method, String path, JsonObject body) {
        var request = client.request(method, b.port(), "localhost", path).bearerTokenAuthentication(tokens.get(person));
        return Await.await(body == null ? request.send() : request.sendJsonObject(body));
    }

    @Override
    public void close() {
        client.close();
        a.close();
        b.close();
        Await.await(clientVertx.close());
        Await.await(vertxA.close());
        Await.await(vertxB.close());
    }
}
