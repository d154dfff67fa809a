package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Await;
import org.knowmad.support.SseClient;

/**
 * A route whose access check finishes on another event loop (a future some job made: Vert.x 5 runs its callbacks
 * where it was made) still gets its stream on the connection's own loop: every stream of a churn of opens and
 * closes gets its first line and the events, and the groups live on the server's loop only.
 */
class StreamLoopTest {

    private Vertx vertx;
    private StreamHub hub;
    private HttpServer server;
    private Context elsewhere;
    private final AtomicReference<Context> serverLoop = new AtomicReference<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        hub = new StreamHub(vertx, 60_000);
        elsewhere = ((VertxInternal) vertx).createEventLoopContext();
        Router router = Router.router(vertx);
        router.get("/events").handler(ctx -> {
            serverLoop.set(((ContextInternal) Vertx.currentContext()).unwrap());
            // The access check's future completes on another loop, and the stream is opened from there.
            Promise<Void> checked = Promise.promise();
            elsewhere.runOnContext(v -> checked.complete());
            checked.future().onComplete(ar -> elsewhere.runOnContext(v -> hub.open(ctx, "loops", event -> true)));
        });
        server = Await.await(vertx.createHttpServer().requestHandler(router).listen(0));
    }

    @AfterEach
    void stop() {
        Await.await(vertx.close());
    }

    @Test
    void streamsOpenedFromAnotherLoopLiveOnTheirConnectionsLoop() {
        List<SseClient> open = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            open.add(SseClient.connect(vertx, server.actualPort(), "/events", "Accept", "text/event-stream"));
            // Close every other one at once: their groups empty and fill again while others open.
            if (round % 2 == 1) open.remove(0).close();
        }
        assertEquals(Set.of(serverLoop.get()), hub.loops(), "the groups are on the server's loop only");
        assertNotSame(serverLoop.get(), ((ContextInternal) elsewhere).unwrap());
        vertx.eventBus().publish("loops", new JsonObject().put("type", "note").put("text", "to all"));
        for (SseClient s : open) s.awaitText("to all");
        open.forEach(SseClient::close);
    }
}
