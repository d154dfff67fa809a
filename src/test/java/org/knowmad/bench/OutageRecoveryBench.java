package org.knowmad.bench;

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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Migrations;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * How long live updates take to resume after a database outage. A node runs on its own embedded PostgreSQL with
 * N open event streams on one thread; each round stops PostgreSQL for D seconds and starts it again on the same
 * port and data, then measures from the moment it accepts connections: /health back to 200, every stream told to
 * resync, the first reply accepted, and that reply's event on every stream.
 *
 * <p>{@code bash src/bench/outage.sh} ({@code STREAMS=200 OUTAGE_SECONDS=10 ROUNDS=3}).
 */
public final class OutageRecoveryBench {

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int outageSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;

        Path data = Files.createTempDirectory("knowmad-outage-bench").resolve("pgdata");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE knowmad");
        }
        DatabaseTarget db = new DatabaseTarget("localhost", port, "knowmad", "postgres", null);
        Migrations.migrate(db);
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        TestNode node = TestNode.start(serverVertx, db, Fixtures.coursesCopy(), clock, Fixtures.tempDir());
        ApiUser writer = ApiUser.joined(node, clock, "writer@example.org", "spring");
        ApiUser reader = ApiUser.joined(node, clock, "reader@example.org", "spring");
        long thread = writer.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Outage bench").put("body", "first")).bodyAsJsonObject().getLong("id");
        WebClient web = WebClient.create(clientVertx);

        // N streams; each remembers when it last saw "resync" and each post number.
        HttpClient http = clientVertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(streams + 10));
        List<StringBuffer> received = new ArrayList<>();
        AtomicLongArray resyncAt = new AtomicLongArray(streams);
        AtomicLongArray postAt = new AtomicLongArray(streams);
        long[] expectNumber = {0};
        AtomicInteger open = new AtomicInteger();
        for (int i = 0; i < streams; i++) {
            int index = i;
            StringBuffer text = new StringBuffer();
            received.add(text);
            http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(node.port())
                            .setURI("/courses/demo/spring/threads/" + thread + "/events").putHeader("Authorization", "Bearer " + reader.token()))
                    // the handler is set in the response future's own callback, before the first chunk (see SseClient)
                    .compose(req -> req.send().onSuccess(resp -> resp.handler(chunk -> {
                        String s = chunk.toString();
                        if (s.contains("retry:")) open.incrementAndGet();
                        if (s.contains("event: resync") && resyncAt.get(index) == 0) resyncAt.set(index, System.nanoTime());
                        if (expectNumber[0] > 0 && s.contains("\"number\":" + expectNumber[0]) && postAt.get(index) == 0) {
                            postAt.set(index, System.nanoTime());
                        }
                    })));
        }
        while (open.get() < streams) Thread.sleep(50);
        System.out.printf("%d streams open on one thread; outage %d s; %d rounds%n", streams, outageSeconds, rounds);

        long number = 1;
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < streams; i++) {
                resyncAt.set(i, 0);
                postAt.set(i, 0);
            }
            pg.close();
            Thread.sleep(outageSeconds * 1000L);
            int healthDuring = Await.await(web.get(node.port(), "localhost", "/health").send()).statusCode();
            pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
            long back = System.nanoTime();

            // A reply made as soon as the database takes writes again: the LISTEN connection may not be back yet,
            // then its event is lost and the resync is what brings it to the pages.
            long healthy = 0;
            long accepted = 0;
            while (accepted == 0 || healthy == 0) {
                if (healthy == 0 && Await.await(web.get(node.port(), "localhost", "/health").send()).statusCode() == 200) {
                    healthy = System.nanoTime();
                }
                if (accepted == 0 && writer.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                        new JsonObject().put("body", "round " + round)).statusCode() == 201) {
                    accepted = System.nanoTime();
                    number++;
                }
                if (System.nanoTime() - back > 30_000_000_000L) throw new IllegalStateException("not back after 30 s");
                Thread.sleep(50);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count(resyncAt) < streams && System.nanoTime() < deadline) Thread.sleep(20);
            // Then a reply through the healed channel, timed from its POST to the last stream.
            expectNumber[0] = ++number;
            long posted = System.nanoTime();
            int status = writer.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "live " + round)).statusCode();
            while (count(postAt) < streams && System.nanoTime() < deadline) Thread.sleep(20);
            System.out.printf("round %d: /health during the outage %d; from PostgreSQL accepting connections again:"
                            + " first write accepted %d ms, /health 200 %d ms, resync on %d/%d streams %d ms (first %d ms);"
                            + " a reply then (%d) live on %d/%d streams %d ms after its POST%n",
                    round, healthDuring, ms(accepted - back), ms(healthy - back), count(resyncAt), streams, ms(max(resyncAt) - back),
                    ms(min(resyncAt) - back), status, count(postAt), streams, ms(max(postAt) - posted));
        }
        http.close();
        node.close();
        Await.await(serverVertx.close());
        Await.await(clientVertx.close());
        pg.close();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static int count(AtomicLongArray a) {
        int n = 0;
        for (int i = 0; i < a.length(); i++) if (a.get(i) != 0) n++;
        return n;
    }

    private static long max(AtomicLongArray a) {
        return values(a).max().orElse(0);
    }

    private static long min(AtomicLongArray a) {
        return values(a).min().orElse(0);
    }

    private static java.util.stream.LongStream values(AtomicLongArray a) {
        long[] v = new long[a.length()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i);
        return Arrays.stream(v).filter(x -> x != 0);
    }
}
