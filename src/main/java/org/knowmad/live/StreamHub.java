package org.knowmad.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Server-sent event streams, grouped so that one event reaches thousands of browsers cheaply: per event
 * loop and address there is one event-bus consumer, which encodes the event once and writes it to every
 * stream on that loop (rather than one consumer, one message and one encoding per stream). Everything a
 * loop's group holds is touched only from that loop's thread.
 */
public final class StreamHub {

    private static final long PING_MILLIS = 25_000;
    private static final long COALESCE_MILLIS = 100;
    /** Bytes a stream may have waiting unsent (beyond what the kernel buffers) before it is dropped. */
    static final int MAX_UNSENT_BYTES = 64 * 1024;
    /** The socket's own send buffer for a stream (Linux doubles what it is given: 64 KiB). */
    static final int KERNEL_SEND_BUFFER_BYTES = 32 * 1024;
    /** Tells a page to fetch what it may have missed, exactly as after reconnecting (see knowmad.js). */
    private static final Buffer PING = Buffer.buffer(": ping\n\n");
    static final Buffer RESYNC = Buffer.buffer("event: resync\ndata: {}\n\n");

    private final Vertx vertx;
    private final long pingMillis;
    private final Map<Context, Map<String, Group>> groups = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong droppedBacklog = new AtomicLong();
    private final AtomicLong droppedStalled = new AtomicLong();
    /** Per cohort, the signed-in people with a stream of it open here and how many each (tabs): see {@link #onlinePeople}. */
    private final Map<Cohort, Map<Long, Integer>> online = new ConcurrentHashMap<>();

    public StreamHub(Vertx vertx) {
        this(vertx, PING_MILLIS);
    }

    /** Tests ping more often, to see a stalled reader dropped without waiting 50 s. */
    StreamHub(Vertx vertx, long pingMillis) {
        this.vertx = vertx;
        this.pingMillis = pingMillis;
    }

    /** A cohort, as the key of who is online in it. */
    public record Cohort(String courseId, String cohortId) {
    }

    /**
     * That a stream shows someone online in a cohort (the presence the pulse samples); null for a stream that
     * does not count (a visitor's, a facilitator's): the route asks the pulse rules.
     */
    public record Presence(Cohort cohort, long accountId) {
        public Presence(String courseId, String cohortId, long accountId) {
            this(new Cohort(courseId, cohortId), accountId);
        }
    }

    /** The event that closes a person's streams of a cohort when they leave it. */
    public static final String MEMBER_LEFT = "member-left";

    private static final class Stream {
        final HttpServerResponse response;
        final Predicate<JsonObject> visible;
        boolean dropped;
        // Whose stream it is (0: a visitor's): someone who leaves the cohort has their streams closed at once.
        long accountId;
        // The HTTP/1.x socket, closed at once when the reader is dropped; null on HTTP/2.
        Channel socket;
        // The last ping not yet handed to the socket: still pending at the next ping means the reader is gone.
        Future<Void> ping = Future.succeededFuture();

        Stream(HttpServerResponse response, Predicate<JsonObject> visible) {
            this.response = response;
            this.visible = visible;
        }

        HttpServerResponse response() {
            return response;
        }

        Predicate<JsonObject> visible() {
            return visible;
        }
    }

    private void send(Group group, JsonObject event) {
        Buffer frame = null; // encoded once, and only if some stream here may see the event
        // A copy: a stream dropped while writing leaves the group.
        for (Stream s : List.copyOf(group.streams)) {
            if (!s.visible().test(event)) continue;
            if (frame == null) frame = shared("event: " + event.getString("type", "message") + "\ndata: " + event.encode() + "\n\n");
            write(s, frame);
        }
    }

    /**
     * One copy of a frame in direct memory, which every stream's socket queue then refers to: a heap buffer would be
     * copied into direct memory once per stream that has a backlog. The JDK frees it when the last queue lets go.
     */
    static Buffer shared(String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return BufferInternal.buffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
    }

    /**
     * Writes a frame, dropping a stream whose reader stopped reading: once {@link #MAX_UNSENT_BYTES} wait unsent
     * its connection is closed and its queue freed. The browser reconnects and catches up "after last seen",
     * which is cheaper than the server holding an ever-growing backlog for it.
     */
    private void write(Stream s, Buffer frame) {
        HttpServerResponse response = s.response();
        if (response.closed()) return;
        response.write(frame).onFailure(e -> drop(s, null));
        if (response.writeQueueFull()) drop(s, droppedBacklog);
    }

    /** {@code reason}: the counter to add one to, or null when the connection had failed anyway. */
    private static void drop(Stream s, AtomicLong reason) {
        if (s.dropped) return;
        s.dropped = true;
        if (reason != null) reason.incrementAndGet();
        // Vert.x's own close (its handler at the end of the pipeline) first sends everything queued, which a reader
        // that does not read never lets happen. Closing from the front of the pipeline skips it: the socket closes at
        // once and Netty frees the backlog. On HTTP/2 the stream is reset. Either way the close handler takes the
        // stream out of its group.
        ChannelHandlerContext front = s.socket == null ? null : s.socket.pipeline().firstContext();
        if (front != null) front.close();
        else s.response().reset();
    }

    /** The streams of one address on one event loop, and the consumer that feeds them. */
    private static final class Group {
        final Map<String, JsonObject> pending = new LinkedHashMap<>();
        long flush;
        final Set<Stream> streams = new LinkedHashSet<>();
        MessageConsumer<JsonObject> consumer;
        long ping;
    }

    /** Turns this response into an event stream of {@code address}, showing the events {@code visible} accepts. */
    public void open(RoutingContext ctx, String address, Predicate<JsonObject> visible) {
        open(ctx, address, 0, null, visible);
    }

    /**
     * The same for a signed-in viewer: an event {@code {"type": "member-left", "account": id}} on the address (sent
     * when someone leaves the cohort, on whichever node) closes that person's streams, so access ends in this channel
     * the moment it ends everywhere else. {@code presence}: whom this stream shows online in which cohort, or null.
     */
    public void open(RoutingContext ctx, String address, long accountId, Presence presence, Predicate<JsonObject> visible) {
        // The stream belongs to its connection's event loop: its close handler runs there, and so must everything
        // that touches the loop's groups. A caller may get here on another loop (its access check finished on a
        // future some job had made: Vert.x 5 runs a future's callbacks where it was made); then the groups of two
        // loops were changed from two threads at once, and a stream could join a group whose consumer had just been
        // unregistered, so its first line never came (a flaky two-node test, answered 200 with pings and no
        // "retry:"). Hop to the connection's own loop first.
        ContextInternal own = ((HttpServerRequestInternal) ctx.request()).context();
        Context loop = own.unwrap();
        Context current = Vertx.currentContext();
        if (current == null || ((ContextInternal) current).unwrap() != loop) {
            own.runOnContext(v -> open(ctx, address, accountId, presence, visible));
            return;
        }
        // Each request runs on its own duplicate of the event loop's context: group by the loop itself, or every
        // stream would get a group (and an event-bus consumer) of its own.
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .setWriteQueueMaxSize(MAX_UNSENT_BYTES)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        Map<String, Group> byAddress = groups.computeIfAbsent(loop, c -> new HashMap<>());
        Group group = byAddress.computeIfAbsent(address, a -> start(loop, a));
        Stream stream = new Stream(response, visible);
        stream.accountId = accountId;
        stream.socket = boundedSocket(ctx);
        group.streams.add(stream);
        open.incrementAndGet();
        if (presence != null) arrived(presence);
        Runnable remove = () -> {
            if (group.streams.remove(stream)) {
                open.decrementAndGet();
                if (presence != null) left(presence);
            }
            if (group.streams.isEmpty() && byAddress.get(address) == group) {
                byAddress.remove(address);
                group.consumer.unregister();
                vertx.cancelTimer(group.ping);
                if (group.flush != 0) vertx.cancelTimer(group.flush);
                if (byAddress.isEmpty()) groups.remove(loop, byAddress);
            }
        };
        response.closeHandler(v -> remove.run());
        // A client that left while its access was being checked never fires the close handler.
        if (response.closed()) remove.run();
        // The first bytes go out once the consumer is registered: a client that saw the stream open
        // must not miss an event published right after.
        group.consumer.completion().onComplete(ar -> response.write("retry: 3000\n\n"));
    }

    /**
     * Linux grows a socket's send buffer up to 4 MiB (tcp_wmem) before our own queue sees any backlog, so a reader
     * that stopped reading would cost that much kernel memory before being dropped. Fixing the size of an event
     * stream's buffer (which also turns the growth off for it) bounds that part too. Answers the socket, or null on
     * HTTP/2, where it carries other requests. Netty's channel is reached through Vert.x's connection implementation,
     * the one place this class leans on internals besides the context.
     */
    private static Channel boundedSocket(RoutingContext ctx) {
        if (ctx.request().version() == HttpVersion.HTTP_2) return null;
        if (!(ctx.request().connection() instanceof ConnectionBase connection)) return null;
        connection.channel().config().setOption(ChannelOption.SO_SNDBUF, KERNEL_SEND_BUFFER_BYTES);
        return connection.channel();
    }

    /**
     * Tells every open stream of this node, on every address, to catch up: called when the live channel is back
     * after an outage, because events published meanwhile never reached the streams. Each loop writes to its own.
     */
    public void resyncAll() {
        groups.forEach((loop, byAddress) -> loop.runOnContext(v -> {
            for (Group group : List.copyOf(byAddress.values())) {
                for (Stream s : List.copyOf(group.streams)) write(s, RESYNC);
            }
        }));
    }

    // The inner map is only touched inside the outer map's compute for its cohort, which serialises every loop's changes.
    private void arrived(Presence p) {
        online.compute(p.cohort(), (c, people) -> {
            Map<Long, Integer> map = people == null ? new HashMap<>() : people;
            map.merge(p.accountId(), 1, Integer::sum);
            return map;
        });
    }

    private void left(Presence p) {
        online.computeIfPresent(p.cohort(), (c, people) -> {
            people.computeIfPresent(p.accountId(), (a, n) -> n == 1 ? null : n - 1);
            return people.isEmpty() ? null : people;
        });
    }

    /** The event loops that hold groups of streams now (tests: each is the loop of its streams' connections). */
    Set<Context> loops() {
        return Set.copyOf(groups.keySet());
    }

    /** Per cohort, how many distinct people have at least one counted stream of it open on this node now. */
    public Map<Cohort, Integer> onlinePeople() {
        Map<Cohort, Integer> counts = new HashMap<>();
        for (Cohort c : online.keySet()) {
            online.computeIfPresent(c, (k, people) -> {
                counts.put(k, people.size());
                return people;
            });
        }
        return counts;
    }

    /** Open streams on this node. */
    public int openStreams() {
        return open.get();
    }

    /** Open streams, and streams dropped because their reader fell too far behind or stopped taking bytes at all. */
    public void registerMetrics(MeterRegistry metrics) {
        Gauge.builder("knowmad.live.streams", this, StreamHub::openStreams).description("Open event streams on this node")
                .register(metrics);
        FunctionCounter.builder("knowmad.live.streams.dropped", droppedBacklog, AtomicLong::get).tag("reason", "backlog")
                .description("Event streams closed by the server").register(metrics);
        FunctionCounter.builder("knowmad.live.streams.dropped", droppedStalled, AtomicLong::get).tag("reason", "stalled")
                .description("Event streams closed by the server").register(metrics);
    }

    private Group start(Context loop, String address) {
        Group group = new Group();
        group.consumer = vertx.eventBus().consumer(address, message -> {
            JsonObject event = message.body();
            if (MEMBER_LEFT.equals(event.getString("type"))) {
                long who = event.getLong("account", -1L);
                for (Stream s : List.copyOf(group.streams)) if (s.accountId == who) drop(s, null);
                return;
            }
            if (!event.getBoolean("coalesce", false)) {
                send(group, event);
                return;
            }
            // Events that only say "look again" (a vote count moved) are folded: at most one of each type per
            // COALESCE_MILLIS reaches a screen, however many votes come in.
            group.pending.put(event.getString("type", "message"), event);
            if (group.flush == 0) {
                group.flush = vertx.setTimer(COALESCE_MILLIS, id -> {
                    group.flush = 0;
                    List<JsonObject> due = new ArrayList<>(group.pending.values());
                    group.pending.clear();
                    due.forEach(e -> send(group, e));
                });
            }
        });
        group.ping = vertx.setPeriodic(pingMillis, id -> {
            for (Stream s : List.copyOf(group.streams)) {
                // Even a few bytes did not leave in a whole ping interval: the reader is gone or stuck.
                if (!s.ping.isComplete()) drop(s, droppedStalled);
                else if (!s.response().closed()) s.ping = s.response().write(PING).onFailure(e -> drop(s, null));
            }
        });
        return group;
    }
}
