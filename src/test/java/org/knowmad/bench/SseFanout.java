package org.knowmad.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load client for the live fan-out benchmark: opens N event streams to one thread and records, for
 * each, when the "post-created" event arrived. Several of these run side by side (each process may
 * hold at most ~20,000 sockets here), then a post is made and the script reads the arrival times.
 *
 * <p>{@code java -cp ... org.knowmad.bench.SseFanout PORT PATH TOKEN COUNT SOURCE_IP READY_FILE DONE_FILE TIMES_FILE}
 */
public final class SseFanout {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        String token = args[2];
        int count = Integer.parseInt(args[3]);
        String sourceIp = args[4];
        Path ready = Path.of(args[5]);
        Path done = Path.of(args[6]);
        Path timesFile = Path.of(args[7]);

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(sourceIp).setKeepAlive(true)
                .setConnectTimeout(60_000), new PoolOptions().setHttp1MaxSize(count + 10).setMaxWaitQueueSize(-1));
        long[] arrival = new long[count];
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch allReceived = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path)
                            .putHeader("Authorization", "Bearer " + token))
                    // the handler is set in the response future's own callback, before the first chunk (see SseClient)
                    .compose(req -> req.send().onSuccess(resp -> {
                        if (resp.statusCode() != 200) {
                            failed.incrementAndGet();
                            return;
                        }
                        boolean[] open = {false};
                        resp.handler(chunk -> {
                            String text = chunk.toString();
                            if (!open[0] && text.contains("retry:")) {
                                open[0] = true;
                                connected.incrementAndGet();
                            }
                            if (arrival[index] == 0 && text.contains("post-created")) {
                                arrival[index] = System.nanoTime();
                                received.incrementAndGet();
                                allReceived.countDown();
                            }
                        });
                    }))
                    .onFailure(e -> failed.incrementAndGet());
            if (i % 500 == 499) Thread.sleep(50); // do not flood the accept queue
        }
        long deadline = System.currentTimeMillis() + 180_000;
        while (connected.get() + failed.get() < count && System.currentTimeMillis() < deadline) Thread.sleep(200);
        Files.writeString(ready, connected.get() + " " + failed.get());
        System.out.println(sourceIp + ": connected " + connected.get() + ", failed " + failed.get());
        // The script posts and writes the wall-clock nanoTime-free start to the done file's sibling; we
        // report arrivals relative to the earliest one and to the post time the script gives us.
        allReceived.await(30, TimeUnit.SECONDS);
        long[] got = Arrays.stream(arrival).filter(t -> t > 0).toArray();
        StringBuilder sb = new StringBuilder();
        long offset = System.currentTimeMillis() * 1_000_000L - System.nanoTime(); // nanoTime to epoch nanos
        for (long t : got) sb.append((t + offset) / 1_000).append('\n'); // epoch microseconds
        Files.writeString(timesFile, sb.toString());
        Files.writeString(done, String.valueOf(received.get()));
        System.out.println(sourceIp + ": received " + received.get() + " of " + connected.get());
        client.close();
        vertx.close();
        System.exit(0);
    }

}
