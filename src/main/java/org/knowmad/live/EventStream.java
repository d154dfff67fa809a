package org.knowmad.live;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;

/** A server-sent-event stream of one event-bus address to one browser, until it goes away. */
public final class EventStream {

    private EventStream() {
    }

    public static void open(RoutingContext ctx, String address, Predicate<JsonObject> visible) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().consumer(address, message -> {
            JsonObject event = message.body();
            if (visible.test(event)) {
                response.write("event: " + event.getString("type", "message") + "\ndata: " + event.encode() + "\n\n");
            }
        });
        // The first bytes go out once the consumer is registered: a client that saw the stream open
        // must not miss an event published right after.
        consumer.completion().onComplete(ar -> response.write("retry: 3000\n\n"));
        long ping = ctx.vertx().setPeriodic(25_000, id -> response.write(": ping\n\n"));
        response.closeHandler(v -> {
            consumer.unregister();
            ctx.vertx().cancelTimer(ping);
        });
    }
}
