package org.knowmad.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person with a browser: keeps cookies, does not follow redirects (tests assert on them), and
 * remembers the CSRF token of the last page it read, like a form would carry it.
 */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("(http://localhost[^\\s<\"]*/signin/[A-Za-z0-9_-]+)");

    private final WebClientSession client;
    private String csrf = "";

    Browser(Vertx vertx, int port) {
        this.client = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("localhost").setDefaultPort(port).setFollowRedirects(false)));
    }

    public HttpResponse<Buffer> get(String path) {
        HttpResponse<Buffer> r = Await.await(client.get(path).send());
        String body = r.bodyAsString();
        if (body != null) {
            Matcher m = CSRF.matcher(body);
            if (m.find()) csrf = m.group(1);
        }
        return r;
    }

    /** A GET with extra request headers (name, value, name, value, ...), e.g. the browser's Accept-Language. */
    public HttpResponse<Buffer> getWith(String path, String... headers) {
        var request = client.get(path);
        for (int i = 0; i + 1 < headers.length; i += 2) request.putHeader(headers[i], headers[i + 1]);
        HttpResponse<Buffer> r = Await.await(request.send());
        String body = r.bodyAsString();
        if (body != null) {
            Matcher m = CSRF.matcher(body);
            if (m.find()) csrf = m.group(1);
        }
        return r;
    }

    /** Posts a form as the page would, with the CSRF token of the last page read. */
    public HttpResponse<Buffer> post(String path, String... fields) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        form.add("_csrf", csrf);
        for (int i = 0; i + 1 < fields.length; i += 2) form.add(fields[i], fields[i + 1]);
        return Await.await(client.post(path).sendForm(form));
    }

    /** Posts a form without any CSRF token, as a forged cross-site form would. */
    public HttpResponse<Buffer> postWithoutCsrf(String path, String... fields) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i + 1 < fields.length; i += 2) form.add(fields[i], fields[i + 1]);
        return Await.await(client.post(path).sendForm(form));
    }

    public HttpResponse<Buffer> json(HttpMethod method, String path, JsonObject body) {
        var request = client.request(method, path).putHeader("X-CSRF-Token", csrf).putHeader("Accept", "application/json");
        return Await.await(body == null ? request.send() : request.sendJsonObject(body));
    }

    /** The cookies this browser would send, for a raw HTTP request (e.g. an event stream). */
    public String cookieHeader() {
        StringBuilder sb = new StringBuilder();
        client.cookieStore().get(false, "localhost", "/").forEach(c -> {
            if (sb.length() > 0) sb.append("; ");
            sb.append(c.name()).append('=').append(c.value());
        });
        return sb.toString();
    }

    public String csrf() {
        return csrf;
    }

    /** Signs in the way a person does: request a link, open it from the development outbox, confirm. */
    public Browser signIn(String email) {
        get("/signin");
        HttpResponse<Buffer> sent = post("/signin", "email", email);
        if (sent.statusCode() != 200) throw new AssertionError("sign-in request failed: " + sent.statusCode() + " " + sent.bodyAsString());
        String outbox = get("/dev/mail?to=" + email).bodyAsString();
        Matcher m = LINK.matcher(outbox);
        if (!m.find()) throw new AssertionError("no sign-in link in the outbox for " + email);
        return openSigninLink(m.group(1));
    }

    /** Opens a sign-in link and presses the button. */
    public Browser openSigninLink(String url) {
        String path = url.replaceFirst("http://localhost(:\\d+)?", "");
        get(path);
        HttpResponse<Buffer> done = post(path);
        if (done.statusCode() != 303) throw new AssertionError("sign-in failed: " + done.statusCode() + " " + done.bodyAsString());
        get("/me");
        return this;
    }

    public void close() {
        client.close();
    }
}
