package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.notify.Outbox;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;
import org.knowmad.web.Messages;

/**
 * Live Q&A under load: N attendees (default 500) of one meetup hold the live event stream open; one vote is
 * timed until its event reached every stream; then everyone votes at once (votes/s, and the time until every
 * stream has seen every vote). Server and clients share this machine. Run with {@code bash src/bench/meetup.sh}.
 */
public final class LiveQaBench {

    private static final String API = "/api/v1/courses/cafe/winter/meetup";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path courses = Fixtures.coursesCopy();
        Path yaml = courses.resolve("cafe/course.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("capacity: 10", "capacity: " + (n + 10)));
        MutableClock clock = new MutableClock(Instant.parse("2030-12-16T10:30:00Z"));
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        TestNode node = TestNode.start(serverVertx, TestDatabase.fresh(), courses, clock, Fixtures.tempDir());
        WebClient web = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(200).setMaxWaitQueueSize(-1));
        HttpClient streams = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(n + 10).setMaxWaitQueueSize(-1));
        try {
            SigninService signin = new SigninService(node.app.pool(), clock, new Outbox(), new AccountStore(), new SessionStore(), new Messages(),
                    "http://localhost");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < n; i++) tokens.add(Await.await(signin.createApiToken("qa" + i + "@example.org", "bench")));
            Await.await(node.app.pool().preparedQuery("""
                    INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
                    SELECT 'cafe', 'winter', id, $1, $1 FROM account WHERE email LIKE 'qa%'""").execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC))));
            for (String token : tokens) call(web, node.port(), token, HttpMethod.POST, API + "/registration", null);
            long first = call(web, node.port(), tokens.get(0), HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "First question"))
                    .bodyAsJsonObject().getLong("id");
            long second = call(web, node.port(), tokens.get(0), HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Second question"))
                    .bodyAsJsonObject().getLong("id");

            AtomicInteger open = new AtomicInteger();
            AtomicInteger[] seen = new AtomicInteger[n];
            AtomicLongArray lastArrival = new AtomicLongArray(n);
            AtomicLongArray firstArrival = new AtomicLongArray(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                seen[i] = new AtomicInteger();
                streams.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(node.port())
                                .setURI("/courses/cafe/winter/meetup/events").putHeader("Authorization", "Bearer " + tokens.get(i)))
                        // the handler is set in the response future's own callback, before the first chunk (see SseClient)
                        .compose(req -> req.send().onSuccess(resp -> resp.handler(chunk -> {
                            String text = chunk.toString();
                            if (text.contains("retry:")) open.incrementAndGet();
                            int events = count(text, "event: question-changed");
                            if (events > 0) {
                                long now = System.nanoTime();
                                if (seen[index].getAndAdd(events) == 0) firstArrival.set(index, now);
                                // Vote events are folded on the server; what matters is when the final count arrived.
                                if (text.contains("\"votes\":" + n + ",") || text.contains("\"votes\":" + n + "}")) lastArrival.set(index, now);
                            }
                        })));
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (open.get() < n && System.currentTimeMillis() < deadline) Thread.sleep(50);
            System.out.printf("%d of %d attendees hold the live stream open%n", open.get(), n);

            long sent = System.nanoTime();
            call(web, node.port(), tokens.get(1), HttpMethod.PUT, API + "/live/questions/" + first + "/vote", null);
            waitFor(seen, 1, 30_000);
            long[] delays = new long[n];
            for (int i = 0; i < n; i++) delays[i] = (firstArrival.get(i) - sent) / 1_000_000;
            Arrays.sort(delays);
            System.out.printf("one vote reaches all %d screens: p50 %d ms, p99 %d ms, max %d ms%n", n, delays[n / 2],
                    delays[(int) Math.ceil(n * 0.99) - 1], delays[n - 1]);

            for (AtomicInteger s : seen) s.set(0);
            for (int i = 0; i < n; i++) lastArrival.set(i, 0);
            long start = System.nanoTime();
            List<Future<HttpResponse<Buffer>>> votes = new ArrayList<>();
            for (String token : tokens) votes.add(web.request(HttpMethod.PUT, node.port(), "localhost", API + "/live/questions/" + second + "/vote")
                    .bearerTokenAuthentication(token).send());
            int ok = 0;
            for (Future<HttpResponse<Buffer>> f : votes) if (Await.await(f).statusCode() == 200) ok++;
            long votesDone = System.nanoTime() - start;
            long waitUntil = System.currentTimeMillis() + 120_000;
            boolean all = false;
            while (!all && System.currentTimeMillis() < waitUntil) {
                all = true;
                for (int i = 0; i < n; i++) if (lastArrival.get(i) < start) all = false;
                if (!all) Thread.sleep(5);
            }
            long lastEvent = 0;
            for (int i = 0; i < n; i++) lastEvent = Math.max(lastEvent, lastArrival.get(i));
            System.out.printf("%d attendees vote at once: %d votes in %d ms (%.0f votes/s); every screen showed the final count after %d ms%s%n",
                    n, ok, votesDone / 1_000_000, ok / (votesDone / 1e9), (lastEvent - start) / 1_000_000, all ? "" : " (not all arrived)");
        } finally {
            streams.close();
            web.close();
            node.close();
            Await.await(clientVertx.close());
            Await.await(serverVertx.close());
        }
        System.exit(0);
    }

    private static HttpResponse<Buffer> call(WebClient web, int port, String token, HttpMethod method, String path, JsonObject body) {
        var request = web.request(method, port, "localhost", path).bearerTokenAuthentication(token);
        HttpResponse<Buffer> r = Await.await(body == null ? request.send() : request.sendJsonObject(body));
        if (r.statusCode() >= 300) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.bodyAsString());
        return r;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) n++;
        return n;
    }

    /** Waits until every stream has seen at least {@code events} events; answers whether they all did in time. */
    private static boolean waitFor(AtomicInteger[] seen, int events, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            boolean all = true;
            for (AtomicInteger s : seen) {
                if (s.get() < events) {
                    all = false;
                    break;
                }
            }
            if (all) return true;
            Thread.sleep(5);
        }
        return false;
    }

    private LiveQaBench() {
    }
}
