package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Await;

/**
 * A reader that stopped taking bytes but whose backlog stays under the bound (few events, a quiet thread) is
 * still dropped: its ping cannot even leave within one ping interval.
 */
class StalledReaderTest {

    private Vertx vertx;
    private StreamHub hub;
    private SimpleMeterRegistry metrics;
    private HttpServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        hub = new StreamHub(vertx, 300);
        metrics = new SimpleMeterRegistry();
        hub.registerMetrics(metrics);
        Router router = Router.router(vertx);
        router.get("/events").handler(ctx -> hub.open(ctx, "stall", event -> true));
        server = Await.await(vertx.createHttpServer().requestHandler(router).listen(0));
    }

    @AfterEach
    void stop() {
        Await.await(vertx.close());
    }

    @Test
    void aReaderThatTakesNothingIsDroppedAtTheNextPing() throws Exception {
        try (Socket reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5_000);
            reader.getOutputStream().write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            awaitOpen(1);
            // ~100 KiB: more than the socket buffers take (64 KiB + the reader's 4 KiB, doubled by Linux at most),
            // less than the socket buffers plus the 64 KiB backlog bound, so only the stalled ping can drop it.
            String pad = "x".repeat(1_000);
            for (int i = 0; i < 100; i++) vertx.eventBus().publish("stall", new JsonObject().put("type", "note").put("pad", pad));
            awaitOpen(0);
            assertEquals(0.0, metrics.get("knowmad.live.streams.dropped").tag("reason", "backlog").functionCounter().count());
            assertEquals(1.0, metrics.get("knowmad.live.streams.dropped").tag("reason", "stalled").functionCounter().count());
            // Closed by the server: what the kernel held arrives, then the end.
            reader.setSoTimeout(5_000);
            InputStream in = reader.getInputStream();
            byte[] buffer = new byte[65_536];
            try {
                while (in.read(buffer) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stalled stream was left open");
            } catch (java.net.SocketException e) {
                // reset: closed as well
            }
        }
    }

    private void awaitOpen(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hub.openStreams() != count) {
            if (System.nanoTime() > deadline) throw new AssertionError(hub.openStreams() + " streams open, expected " + count);
            Thread.sleep(20);
        }
    }
}
