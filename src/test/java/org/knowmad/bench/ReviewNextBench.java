package org.knowmad.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.notify.Outbox;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;
import org.knowmad.web.Messages;

/**
 * "Review next" under load: N participants (default 1,000) of one cohort have submitted; after the deadline
 * all of them ask for a submission to review at the same moment, then all save that review and ask again.
 * Prints the latency percentiles of each wave and checks that no submission was over-claimed.
 *
 * <p>The node first serves the same deadline in {@link #REHEARSALS} other cohorts of N (the "rehearsals"), as the other
 * benchmarks warm up before they measure: three waves of claims are few enough that the JIT compiler was still compiling
 * the request path (Netty, the PG client, Jackson, the picker) during the last of them, a third or more of this JVM's
 * CPU; after one rehearsal it was still 44% of the CPU during the measured waves (async-profiler, Dec 6), as on a node
 * that has served one earlier deadline only. The rehearsals' waves are printed too; the first one's first wave is what
 * the very first deadline a node serves costs.
 *
 * <p>Run with {@code bash src/bench/review.sh} (server and clients share this JVM and the machine's cores).
 */
public final class ReviewNextBench {

    private static final String MODULE = "/modules/week-3/assignment";

    public static void main(String[] args) throws java.io.IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        Vertx serverVertx = Vertx.vertx();
        TestNode node = TestNode.demoLikeServer(serverVertx, clock, withRehearsalCohorts());
        Vertx clientVertx = Vertx.vertx();
        WebClient client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(true),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(n).setMaxWaitQueueSize(-1));
        try {
            SigninService signin = new SigninService(node.app.pool(), clock, new Outbox(), new AccountStore(), new SessionStore(),
                    new Messages(), "http://localhost");
            List<List<String>> rehearsals = new ArrayList<>();
            for (int r = 1; r <= REHEARSALS; r++) rehearsals.add(submitted(client, node, signin, clock, n, "rehearsal" + r));
            List<String> measured = submitted(client, node, signin, clock, n, "spring");
            // The submissions came in days before the deadline, so autovacuum has analysed the tables they filled by
            // then; here they were filled seconds ago, and a never-analysed enrolment table made the planner read a
            // cohort's whole index for every "is this participant enrolled" lookup (0.24 ms instead of 0.02 ms a
            // request). Not the review table: it is empty until the deadline (an empty table analysed would make the
            // claims' cached plans scan it whole as it fills).
            Await.await(node.app.pool().query("ANALYZE account, api_token, enrolment, submission").execute());
            clock.set(Instant.parse("2030-03-22T09:00:00Z"));
            System.out.printf("%d participants in each of %d cohorts submitted; all of a cohort ask \"review next\" at once%n", n,
                    REHEARSALS + 1);
            for (int r = 1; r <= REHEARSALS; r++) {
                waves(client, node, rehearsals.get(r - 1), "/api/v1/courses/demo/rehearsal" + r + MODULE,
                        "rehearsal " + r + (r == 1 ? " (the node's first deadline)" : "") + ", wave ");
            }
            waves(client, node, measured, "/api/v1/courses/demo/spring" + MODULE, "wave ");
            clock.set(Instant.parse("2030-03-26T09:00:00Z"));
            long t = System.nanoTime();
            int graded = Await.await(node.app.reviews().grade());
            System.out.printf("grading job: %d submissions in %d ms (database round trips included)%n", graded, (System.nanoTime() - t) / 1_000_000);
        } finally {
            client.close();
            Await.await(clientVertx.close());
            node.close();
            Await.await(serverVertx.close());
        }
    }

    /** How many deadlines of N the node serves before the measured one. */
    private static final int REHEARSALS = 2;

    /** The test courses with {@link #REHEARSALS} more cohorts of the demo course, on the same dates as "spring". */
    private static java.nio.file.Path withRehearsalCohorts() throws java.io.IOException {
        java.nio.file.Path courses = Fixtures.coursesCopy();
        java.nio.file.Path yaml = courses.resolve("demo/course.yaml");
        String text = java.nio.file.Files.readString(yaml);
        String small = "  - id: small\n";
        if (!text.contains(small)) throw new IllegalStateException("demo/course.yaml has no cohort \"small\" to put the rehearsal before");
        StringBuilder rehearsals = new StringBuilder();
        for (int r = 1; r <= REHEARSALS; r++) rehearsals.append("  - id: rehearsal").append(r).append("\n    starts: 2030-03-04T09:00\n    enrolment: open\n");
        java.nio.file.Files.writeString(yaml, text.replace(small, rehearsals + small));
        return courses;
    }

    /** N participants of the cohort, each with an API token, enrolled and with the assignment submitted before its deadline. */
    private static List<String> submitted(WebClient client, TestNode node, SigninService signin, MutableClock clock, int n, String cohort) {
        clock.set(Fixtures.SPRING_DAY_2);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) tokens.add(Await.await(signin.createApiToken(cohort + "-" + i + "@example.org", "bench")));
        all(client, node.port(), tokens, HttpMethod.POST, "/api/v1/courses/demo/" + cohort + "/enrolment", i -> new JsonObject().put("acceptGuidelines", true));
        clock.set(Instant.parse("2030-03-19T10:00:00Z"));
        all(client, node.port(), tokens, HttpMethod.PUT, "/api/v1/courses/demo/" + cohort + MODULE + "/submission",
                i -> new JsonObject().put("text", "Practice " + i));
        return tokens;
    }

    /** Three waves: everyone asks "review next" at once, the over-claim check, then everyone saves the review they got. */
    private static void waves(WebClient client, TestNode node, List<String> tokens, String api, String label) {
        int n = tokens.size();
        for (int wave = 1; wave <= 3; wave++) {
            long[] claimLatency = new long[n];
            List<Long> ids = new ArrayList<>();
            CpuMeter cpu = new CpuMeter();
            long start = System.nanoTime();
            List<Future<HttpResponse<Buffer>>> claims = timed(client, node.port(), tokens, HttpMethod.POST, api + "/next-review", claimLatency);
            int ok = 0, refused = 0;
            java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
            for (Future<HttpResponse<Buffer>> f : claims) {
                HttpResponse<Buffer> r = Await.await(f);
                if (r.statusCode() == 200) {
                    ok++;
                    ids.add(r.bodyAsJsonObject().getLong("id"));
                } else {
                    refused++;
                    ids.add(null);
                    reasons.merge(r.statusCode() + " " + r.bodyAsJsonObject().getString("code"), 1, Integer::sum);
                }
            }
            long wall = System.nanoTime() - start;
            report(label + wave + ": review next", claimLatency, wall, ok, refused);
            System.out.println("  " + cpu.report());
            if (!reasons.isEmpty()) System.out.println("  refusals: " + reasons);
            long over = Await.await(node.app.pool().query(
                    "SELECT count(*) FROM (SELECT submission_id FROM review WHERE NOT extra GROUP BY submission_id HAVING count(*) > 3) o")
                    .execute()).iterator().next().getLong(0);
            System.out.println("  submissions over-claimed: " + over);
            List<Future<HttpResponse<Buffer>>> saves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (ids.get(i) == null) continue;
                saves.add(client.request(HttpMethod.PUT, node.port(), "localhost", "/api/v1/reviews/" + ids.get(i))
                        .bearerTokenAuthentication(tokens.get(i))
                        .sendJsonObject(new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", i % 3))
                                .put("comment", "A clear description; the conclusion could be more concrete.")));
            }
            for (Future<HttpResponse<Buffer>> f : saves) Await.await(f);
        }
    }

    private static void all(WebClient client, int port, List<String> tokens, HttpMethod method, String path,
                            java.util.function.IntFunction<JsonObject> body) {
        // In batches of 100: setting up is not what is measured.
        for (int from = 0; from < tokens.size(); from += 100) {
            List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(tokens.size(), from + 100); i++) {
                batch.add(client.request(method, port, "localhost", path).bearerTokenAuthentication(tokens.get(i)).sendJsonObject(body.apply(i)));
            }
            for (Future<HttpResponse<Buffer>> f : batch) {
                HttpResponse<Buffer> r = Await.await(f);
                if (r.statusCode() >= 300) throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.bodyAsString());
            }
        }
    }

    private static List<Future<HttpResponse<Buffer>>> timed(WebClient client, int port, List<String> tokens, HttpMethod method, String path,
                                                            long[] latency) {
        List<Future<HttpResponse<Buffer>>> list = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int index = i;
            long sent = System.nanoTime();
            list.add(client.request(method, port, "localhost", path).bearerTokenAuthentication(tokens.get(i)).send()
                    .onComplete(ar -> latency[index] = System.nanoTime() - sent));
        }
        return list;
    }

    private static void report(String what, long[] latencyNanos, long wallNanos, int ok, int refused) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %d claimed, %d refused | p50 %d ms, p99 %d ms, max %d ms | all done in %d ms%n", what, ok, refused,
                sorted[sorted.length / 2] / 1_000_000, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1_000_000,
                sorted[sorted.length - 1] / 1_000_000, wallNanos / 1_000_000);
        // Issue #13, target 4: p99 of "review next" within 1 s with everyone asking at once.
        long p50 = sorted[sorted.length / 2] / 1_000_000, p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1_000_000;
        System.out.printf("  %s | measured p50 %d ms, p99 %d ms | target p99 <= 1000 ms | ratio %.2f %s%n", what, p50, p99,
                p99 / (double) P99_TARGET_MS, p99 <= P99_TARGET_MS ? "PASS" : "MISS");
    }

    private static final long P99_TARGET_MS = 1_000;

    private ReviewNextBench() {
    }
}
