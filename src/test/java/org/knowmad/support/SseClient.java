package org.knowmad.support;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A browser's EventSource, reduced to what tests need: connect, then wait for an event containing some text. */
public final class SseClient implements AutoCloseable {

    private final HttpClient http;
    private final StringBuffer received = new StringBuffer();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(String text, Promise<String> promise) {
    }

    private SseClient(HttpClient http) {
        this.http = http;
    }

    /** Connects with a header ("Cookie" or "Authorization") and returns once the stream is open. */
    public static SseClient connect(Vertx vertx, int port, String path, String header, String value) {
        SseClient client = new SseClient(vertx.createHttpClient());
        Promise<Void> open = Promise.promise();
        StringBuffer stage = new StringBuffer("request not sent");
        client.http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(port).setURI(path)
                        .putHeader(header, value))
                .onFailure(open::tryFail)
                .onSuccess(req -> {
                    stage.setLength(0);
                    stage.append("request sent, no answer");
                    // The chunk handler is set in a callback of the response future itself: that runs as the head
                    // arrives, on the stream's own context, before the first chunk (which comes in the same read).
                    // A callback further down a compose chain belongs to the chain's context and, when that is
                    // another one, runs as a later task: the "retry:" chunk then found no handler and was dropped,
                    // and the stream looked as if it never opened (seen with the two-node test on a loaded machine).
                    req.send().onFailure(open::tryFail).onSuccess(resp -> {
                        stage.setLength(0);
                        stage.append("answered ").append(resp.statusCode()).append(", no \"retry:\" line yet");
                        if (resp.statusCode() != 200) {
                            open.tryFail("event stream answered " + resp.statusCode());
                            return;
                        }
                        resp.handler(chunk -> {
                            client.received.append(chunk.toString());
                            if (client.received.indexOf("retry:") >= 0) open.tryComplete();
                            client.waiters.forEach(w -> {
                                if (client.received.indexOf(w.text()) >= 0) w.promise().tryComplete(client.received.toString());
                            });
                        });
                    });
                });
        try {
            Await.await(open.future());
        } catch (IllegalStateException e) {
            // Says where a stream that did not open stopped (a flaky open was once only "TimeoutException").
            throw new IllegalStateException("event stream " + path + " on port " + port + " did not open: " + stage
                    + "; received \"" + client.received + "\"", e);
        }
        return client;
    }

    /** Waits (up to the Await limit) until the stream has carried {@code text}; answers everything received. */
    public String awaitText(String text) {
        Promise<String> p = Promise.promise();
        waiters.add(new Waiter(text, p));
        if (received.indexOf(text) >= 0) p.tryComplete(received.toString());
        return Await.await(p.future());
    }

    /** Everything the stream has carried so far. */
    public String received() {
        return received.toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
