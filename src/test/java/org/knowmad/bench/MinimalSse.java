package org.knowmad.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out benchmark's yardstick: the least a Vert.x server can do to deliver one event to every open event
 * stream on this machine. One HTTP server per core (as Knowmad runs), each holding its own streams; a POST to
 * {@code /post} is published on the event bus and every server writes the one encoded event to each of its streams.
 * No database, no sessions, no rules: what Knowmad's live fan-out is measured against (issue #13, target 2).
 *
 * <p>{@code java -cp ... org.knowmad.bench.MinimalSse PORT}; streams at {@code GET /events}.
 */
public final class MinimalSse {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        int instances = Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(() -> new VerticleBase() {
                    private final List<HttpServerResponse> streams = new ArrayList<>();

                    @Override
                    public Future<?> start() {
                        vertx.eventBus().<String>consumer("fanout", message -> {
                            Buffer event = Buffer.buffer("event: post-created\ndata: " + message.body() + "\n\n");
                            for (HttpServerResponse stream : streams) stream.write(event);
                        });
                        return vertx.createHttpServer().requestHandler(req -> {
                            if (req.method() == HttpMethod.POST && req.path().equals("/post")) {
                                vertx.eventBus().publish("fanout", "{\"type\":\"post-created\",\"number\":51}");
                                req.response().end("ok");
                            } else if (req.path().equals("/events")) {
                                HttpServerResponse response = req.response().setChunked(true)
                                        .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store");
                                response.write("retry: 2000\n\n");
                                streams.add(response);
                                response.closeHandler(v -> streams.remove(response));
                            } else {
                                req.response().setStatusCode(404).end();
                            }
                        }).listen(port);
                    }
                }, new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("minimal SSE server on port " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private MinimalSse() {
    }
}
