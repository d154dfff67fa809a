package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Drill: a thousand event streams whose clients never read a byte while events keep coming. Each is dropped once
 * its unsent backlog passes the bound, and the server's memory stays bounded instead of growing with every event
 * for every stream.
 */
class SlowReaderDrillTest {

    private static final int STREAMS = Integer.getInteger("drill.streams", 1_000);
    /** Events of ~7 KiB (NOTIFY allows 8,000 bytes), so that a few hundred KiB per stream pile up quickly. */
    private static final int PAD = 7_000;
    private static final int MAX_EVENTS = Integer.getInteger("drill.events", 200);

    private Vertx vertx;
    private DatabaseTarget db;
    private TestNode node;
    private MutableClock clock;
    private final List<Socket> sockets = new ArrayList<>();
    private WebClient web;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        db = TestDatabase.fresh();
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.start(vertx, db, Fixtures.coursesCopy(), clock, Fixtures.tempDir());
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        node.close();
        Await.await(vertx.close());
    }

    @Test
    void streamsThatNeverReadAreDroppedAndMemoryStaysBounded() throws Exception {
        ApiUser reader = ApiUser.joined(node, clock, "reader@example.org", "spring");
        long thread = reader.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Never read").put("body", "first")).bodyAsJsonObject().getLong("id");
        byte[] request = ("GET /courses/demo/spring/threads/" + thread + "/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + reader.token() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < STREAMS; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096); // a phone on a bad network, or a client that hangs: it takes almost nothing
            s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            sockets.add(s);
        }
        awaitStreams(STREAMS);
        long heapBefore = usedHeapAfterGc();
        long directBefore = directMemory();

        // Events for that thread, as any node's NOTIFY would deliver them.
        String pad = "x".repeat(PAD);
        long peakDirect = directBefore;
        long peakHeap = heapBefore;
        int events = 0;
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + LiveEvents.CHANNEL + "', ?)")) {
            while (events < MAX_EVENTS && openStreams() > 0) {
                notify.setString(1, new JsonObject().put("course", "demo").put("cohort", "spring").put("thread", thread)
                        .put("type", "post-changed").put("number", 1).put("pad", pad).encode());
                notify.execute();
                events++;
                Thread.sleep(20);
                peakDirect = Math.max(peakDirect, directMemory());
                Runtime rt = Runtime.getRuntime();
                peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
            }
        }
        long floodMillis = (System.nanoTime() - started) / 1_000_000;
        awaitStreams(0);
        long heapAfter = usedHeapAfterGc();
        long unbounded = (long) STREAMS * events * PAD;
        System.out.printf("slow readers: %d streams dropped after %d events of %d B (%d ms); unbounded they would hold %d MiB;"
                        + " heap %d -> %d MiB after GC (peak %d MiB before GC), Netty direct %d -> peak %d MiB%n",
                STREAMS, events, PAD, floodMillis, unbounded >> 20, heapBefore >> 20, heapAfter >> 20, peakHeap >> 20,
                directBefore >> 20, peakDirect >> 20);

        assertTrue(events < MAX_EVENTS, "every stream was dropped before " + MAX_EVENTS + " events");
        assertTrue(web.get(node.port(), "localhost", "/metrics").send().toCompletionStage().toCompletableFuture().get().bodyAsString()
                .contains("knowmad_live_streams_dropped_total{reason=\"backlog\"} " + STREAMS + ".0"), "all dropped for their backlog");
        // Each frame exists once, whatever the number of streams queueing it (measured: +2 MiB); a copy per stream
        // would be up to 1,000 x 64 KiB.
        assertTrue(peakDirect - directBefore < 32L << 20, "direct memory grew by " + ((peakDirect - directBefore) >> 20) + " MiB");
        assertTrue(heapAfter - heapBefore < 64L << 20, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
        // The server closed the connections: what the kernel still held arrives, then end of stream.
        for (Socket s : sockets.subList(0, 5)) assertClosedByServer(s);
        // A reader that does read is served as before.
        assertEquals(200, Await.await(web.get(node.port(), "localhost", "/health").send()).statusCode());
    }

    private static void assertClosedByServer(Socket s) throws Exception {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[65_536];
        try {
            while (in.read(buffer) >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a dropped stream open");
        } catch (java.net.SocketException e) {
            // reset by the server: closed as well
        }
    }

    private int openStreams() {
        String metrics = Await.await(web.get(node.port(), "localhost", "/metrics").send()).bodyAsString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("knowmad_live_streams ")) return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
        throw new AssertionError("no knowmad_live_streams gauge");
    }

    private void awaitStreams(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int open;
        while ((open = openStreams()) != count) {
            if (System.nanoTime() > deadline) throw new AssertionError(open + " streams open, expected " + count);
            Thread.sleep(100);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Netty's own count of direct memory (pooled buffers that hold unsent bytes), plus NIO's. */
    private static long directMemory() {
        long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return Math.max(0, PlatformDependent.usedDirectMemory()) + nio;
    }
}
