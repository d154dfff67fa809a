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
            for (int run = 1; run <= 3; run++) {
                String api = run < 3 ? "/api/v1/courses/cafe/autumn/meetup" : MeetupBurst.API;
                if (run == 2) {
                    burst.a.app.pool().query("DELETE FROM meetup_registration").execute().toCompletionStage().toCompletableFuture().join();
                }
                long started = System.nanoTime();
                List<HttpResponse<Buffer>> responses = burst.registerAll(api);
                long millis = (System.nanoTime() - started) / 1_000_000;
                long confirmed = responses.stream().filter(r -> r.statusCode() == 200 && "confirmed".equals(r.bodyAsJsonObject().getString("status"))).count();
                long failed = responses.stream().filter(r -> r.statusCode() != 200).count();
                System.out.printf("run %d (%s): %d registrations over two nodes in %d ms; %d confirmed, %d failed%n",
                        run, run < 3 ? "warm-up" : "measured", n, millis, confirmed, failed);
            }
        }
        System.exit(0);
    }

    private MeetupBurstBench() {
    }
}
