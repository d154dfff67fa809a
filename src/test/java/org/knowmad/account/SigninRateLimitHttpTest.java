package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.App;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;

/** The per-IP sign-in limit counts the socket's address unless the peer is a proxy named in TRUSTED_PROXIES. */
@ExtendWith(VertxExtension.class)
class SigninRateLimitHttpTest {

    private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

    /** A visitor on the sign-in page who sends the form with the given X-Forwarded-For. */
    private record Visitor(WebClientSession client, String csrf) {
        static Visitor open(Vertx vertx, App app) {
            WebClientSession client = WebClientSession.create(WebClient.create(vertx, new WebClientOptions()
                    .setDefaultHost("127.0.0.1").setDefaultPort(app.port()).setFollowRedirects(false)));
            Matcher m = CSRF.matcher(Await.await(client.get("/signin").send()).bodyAsString());
            if (!m.find()) throw new AssertionError("no CSRF token on the sign-in page");
            return new Visitor(client, m.group(1));
        }

        int ask(String email, String forwardedFor) {
            MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("email", email);
            var request = client.post("/signin");
            if (forwardedFor != null) request.putHeader("X-Forwarded-For", forwardedFor);
            HttpResponse<Buffer> r = Await.await(request.sendForm(form));
            return r.statusCode();
        }
    }

    private static String lastRequestedIp(App app, String email) {
        return Await.await(app.pool().preparedQuery("SELECT requested_ip FROM signin_token WHERE email = $1 ORDER BY created_at DESC LIMIT 1")
                .execute(Tuple.of(email))).iterator().next().getString("requested_ip");
    }

    @Test
    void byDefaultAForwardedForHeaderBuysNoExtraRequests(Vertx vertx) {
        App app = ConfiguredNode.start(vertx, new MutableClock(Fixtures.SPRING_DAY_2), null, null);
        try {
            Visitor v = Visitor.open(vertx, app);
            for (int i = 0; i < SigninService.MAX_PER_IP; i++) {
                assertEquals(200, v.ask("spray" + i + "@example.org", "203.0.113." + i), "request " + i);
            }
            assertEquals("127.0.0.1", lastRequestedIp(app, "spray0@example.org"), "the socket's address is counted");
            assertEquals(429, v.ask("spray-last@example.org", "198.51.100.77"), "a new made-up address changes nothing");
            assertEquals(429, v.ask("spray-none@example.org", null));
        } finally {
            Await.await(app.stop());
        }
    }

    @Test
    void behindATrustedProxyEachClientHasItsOwnLimit(Vertx vertx) {
        App app = ConfiguredNode.start(vertx, new MutableClock(Fixtures.SPRING_DAY_2), null, "127.0.0.1, ::1");
        try {
            Visitor v = Visitor.open(vertx, app);
            for (int i = 0; i < SigninService.MAX_PER_IP; i++) {
                assertEquals(200, v.ask("busy" + i + "@example.org", "203.0.113.7"), "request " + i);
            }
            assertEquals("203.0.113.7", lastRequestedIp(app, "busy0@example.org"), "the proxy's last hop is the client");
            assertEquals(429, v.ask("busy-more@example.org", "203.0.113.7"));
            assertEquals(429, v.ask("busy-spoof@example.org", "198.51.100.1, 203.0.113.7"),
                    "what the client writes in front of the proxy's hop is ignored");
            assertEquals(200, v.ask("neighbour@example.org", "198.51.100.1"), "another client behind the same proxy is not blocked");
            assertEquals("198.51.100.1", lastRequestedIp(app, "neighbour@example.org"));
        } finally {
            Await.await(app.stop());
        }
    }

    /** A trusted-proxy list that does not name this peer leaves its header unread: only listed peers are believed. */
    @Test
    void aPeerOutsideTheTrustedProxiesIsNotBelieved(Vertx vertx) {
        App app = ConfiguredNode.start(vertx, new MutableClock(Fixtures.SPRING_DAY_2), null, "10.0.0.0/8, fd00::/8");
        try {
            Visitor v = Visitor.open(vertx, app);
            assertEquals(200, v.ask("outsider@example.org", "203.0.113.9"));
            assertEquals("127.0.0.1", lastRequestedIp(app, "outsider@example.org"), "the socket's address, not the header's");
        } finally {
            Await.await(app.stop());
        }
    }
}
