package org.knowmad.support;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.notify.Outbox;
import org.knowmad.web.Messages;

/** Someone using the JSON API with a personal token (as made by {@code knowmad token create}). */
public final class ApiUser {

    private final WebClient client;
    private final int port;
    private final String token;

    private ApiUser(WebClient client, int port, String token) {
        this.client = client;
        this.port = port;
        this.token = token;
    }

    public static ApiUser create(TestNode node, Clock clock, String email) {
        SigninService signin = new SigninService(node.app.pool(), clock, new Outbox(), new AccountStore(), new SessionStore(),
                new Messages(), "http://localhost");
        return new ApiUser(WebClient.create(node.vertx), node.port(), Await.await(signin.createApiToken(email, "test")));
    }

    /** Someone who joined a cohort of the demo course (accepting its guidelines) through the API. */
    public static ApiUser joined(TestNode node, Clock clock, String email, String cohort) {
        ApiUser u = create(node, clock, email);
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, "/api/v1/courses/demo/" + cohort + "/enrolment",
                new JsonObject().put("acceptGuidelines", true));
        if (r.statusCode() != 200) throw new AssertionError("could not join " + cohort + ": " + r.bodyAsString());
        return u;
    }

    /** The same person talking to another node. */
    public ApiUser on(TestNode node) {
        return new ApiUser(WebClient.create(node.vertx), node.port(), token);
    }

    public io.vertx.core.Future<HttpResponse<Buffer>> send(HttpMethod method, String path, JsonObject body) {
        var request = client.request(method, port, "localhost", path).bearerTokenAuthentication(token);
        return body == null ? request.send() : request.sendJsonObject(body);
    }

    public HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body) {
        return Await.await(send(method, path, body));
    }

    public String token() {
        return token;
    }
}
