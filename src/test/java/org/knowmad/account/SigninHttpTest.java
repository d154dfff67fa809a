package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

@ExtendWith(VertxExtension.class)
class SigninHttpTest {

    private static final Pattern LINK = Pattern.compile("http://localhost(/signin/[A-Za-z0-9_-]+)");
    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String linkFor(Browser b, String email) {
        b.get("/signin");
        assertEquals(200, b.post("/signin", "email", email).statusCode());
        Matcher m = LINK.matcher(b.get("/dev/mail?to=" + email).bodyAsString());
        assertTrue(m.find(), "the outbox holds a sign-in link");
        return m.group(1);
    }

    @Test
    void signInThroughTheOutboxThenSignOut() {
        Browser b = node.browser().signIn("ada@example.org");
        HttpResponse<Buffer> me = b.get("/me");
        assertEquals(200, me.statusCode());
        assertTrue(me.bodyAsString().contains("ada@example.org"));
        assertEquals(200, b.json(HttpMethod.GET, "/api/v1/me", null).statusCode());

        assertEquals(303, b.post("/signout").statusCode());
        assertEquals(303, b.get("/me").statusCode(), "signed out: /me sends to the sign-in page");
        assertEquals(401, b.json(HttpMethod.GET, "/api/v1/me", null).statusCode());
    }

    @Test
    void aLinkWorksOnceAndTheGetDoesNotSpendIt() {
        Browser b = node.browser();
        String link = linkFor(b, "once@example.org");
        assertEquals(200, b.get(link).statusCode(), "opening the link shows a confirm button");
        assertEquals(200, b.get(link).statusCode(), "a mail scanner's GET does not spend it");
        assertEquals(303, b.post(link).statusCode());
        Browser other = node.browser();
        other.get("/signin");
        HttpResponse<Buffer> replay = other.post(link);
        assertEquals(410, replay.statusCode());
        assertTrue(replay.bodyAsString().contains("already used"));
    }

    @Test
    void anExpiredLinkIsRefusedWithAMessage() {
        Browser b = node.browser();
        String link = linkFor(b, "late@example.org");
        clock.advance(Duration.ofMinutes(16));
        try {
            HttpResponse<Buffer> r = b.post(link);
            assertEquals(410, r.statusCode());
            assertTrue(r.bodyAsString().contains("expired"));
        } finally {
            clock.set(Fixtures.SPRING_DAY_2);
        }
    }

    @Test
    void unknownLinkBadAddressAndMissingCsrfAreRefused() {
        Browser b = node.browser();
        b.get("/signin");
        assertEquals(404, b.post("/signin/not-a-real-token").statusCode());
        HttpResponse<Buffer> bad = b.post("/signin", "email", "not an address");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.bodyAsString().contains("valid email address"));
        HttpResponse<Buffer> forged = b.postWithoutCsrf("/signin", "email", "x@example.org");
        assertEquals(403, forged.statusCode());
        assertTrue(forged.bodyAsString().contains("Reload the page"));
    }

    @Test
    void requestsAreRateLimitedPerAddress() {
        Browser b = node.browser();
        b.get("/signin");
        for (int i = 0; i < SigninService.MAX_PER_ADDRESS; i++) {
            assertEquals(200, b.post("/signin", "email", "busy@example.org").statusCode());
        }
        HttpResponse<Buffer> r = b.post("/signin", "email", "BUSY@example.org");
        assertEquals(429, r.statusCode());
        assertTrue(r.bodyAsString().contains("Wait 15 minutes"));
    }

    @Test
    void apiTokensAuthenticateWithoutCsrf() {
        SigninService signin = new SigninService(node.app.pool(), clock, new org.knowmad.notify.Outbox(), new AccountStore(),
                new SessionStore(), new org.knowmad.web.Messages(), "http://localhost");
        String token = Await.await(signin.createApiToken("api@example.org", "test"));
        var client = io.vertx.ext.web.client.WebClient.create(node.vertx);
        var ok = Await.await(client.get(node.port(), "localhost", "/api/v1/me").bearerTokenAuthentication(token).send());
        assertEquals(200, ok.statusCode());
        assertEquals("api@example.org", ok.bodyAsJsonObject().getString("email"));
        var bad = Await.await(client.get(node.port(), "localhost", "/api/v1/me").bearerTokenAuthentication("kmd_wrong").send());
        assertEquals(401, bad.statusCode());
        assertEquals("application/problem+json", bad.getHeader("Content-Type"));
    }
}
