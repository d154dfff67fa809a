package org.knowmad.meetup;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;

/**
 * The registration burst as a benchmark: N (default 2,000) people register at the same moment over two nodes
 * on one database, first for one meetup (to warm the servers up), then, measured, for another with 10 seats.
 * Run with {@code bash src/bench/meetup.sh}.
 */
public final class MeetupBurstBench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (MeetupBurst burst = new MeetupBurst(n)) {
            long measured = 0;
            for (int run = 1; run <= 3; run++) {
                String api = run < 3 ? "/api/v1/courses/cafe/autumn/meetup" : MeetupBurst.API;
                if (run == 2) {
                    burst.a.app.pool().query("DELETE FROM meetup_registration").execute().toCompletionStage().toCompletableFuture().join();
                }
                org.knowmad.bench.CpuMeter cpu = new org.knowmad.bench.CpuMeter();
                long started = System.nanoTime();
                List<HttpResponse<Buffer>> responses = burst.registerAll(api);
                long millis = (System.nanoTime() - started) / 1_000_000;
                measured = millis;
                long confirmed = responses.stream().filter(r -> r.statusCode() == 200 && "confirmed".equals(r.bodyAsJsonObject().getString("status"))).count();
                long failed = responses.stream().filter(r -> r.statusCode() != 200).count();
                System.out.printf("run %d (%s): %d registrations over two nodes in %d ms; %d confirmed, %d failed%n",
                        run, run < 3 ? "warm-up" : "measured", n, millis, confirmed, failed);
                System.out.println("  " + cpu.report());
            }
            // For comparison: the same burst of requests that read the meetup and take no lock.
            org.knowmad.bench.CpuMeter cpu = new org.knowmad.bench.CpuMeter();
            long started = System.nanoTime();
            List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < burst.tokens.size(); i++) {
                TestNodeRef.send(burst, i, sent);
            }
            for (var f : sent) org.knowmad.support.Await.await(f);
            long reads = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("for comparison, %d reads of the meetup (no lock) in %d ms%n", n, reads);
            System.out.println("  " + cpu.report());
            // Issue #13, target 3: the burst within 1.2x the lock-free reads of the same run.
            double ratio = measured / (double) Math.max(1, reads);
            System.out.printf("registration burst / lock-free reads: %d ms / %d ms = %.2fx (target <= 1.2x: %s)%n", measured, reads, ratio,
                    ratio <= 1.2 ? "PASS" : "MISS");
        }
        System.exit(0);
    }

    /** Sends person i's read of the meetup to their node. */
    private static final class TestNodeRef {
        static void send(MeetupBurst burst, int i, List<io.vertx.core.Future<HttpResponse<Buffer>>> sent) {
            var node = i % 2 == 0 ? burst.a : burst.b;
            sent.add(burst.client.request(io.vertx.core.http.HttpMethod.GET, node.port(), "localhost", MeetupBurst.API)
                    .bearerTokenAuthentication(burst.tokens.get(i)).send());
        }
    }

    private MeetupBurstBench() {
    }
}
