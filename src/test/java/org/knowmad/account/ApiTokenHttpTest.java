package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.notify.Outbox;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;

/** People see and revoke their own API tokens (never a secret or its hash), and tokens run out. */
@ExtendWith(VertxExtension.class)
class ApiTokenHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static WebClient client;
    private static SigninService signin;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        client = WebClient.create(vertx);
        signin = new SigninService(node.app.pool(), clock, new Outbox(), new AccountStore(), new SessionStore(), new Messages(),
                "http://localhost");
    }

    @AfterAll
    static void stop() {
        client.close();
        node.close();
    }

    private static HttpResponse<Buffer> call(String token, HttpMethod method, String path) {
        return Await.await(client.request(method, node.port(), "localhost", path).bearerTokenAuthentication(token).send());
    }

    private static JsonArray tokens(String token) {
        HttpResponse<Buffer> r = call(token, HttpMethod.GET, "/api/v1/me/tokens");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonArray("tokens");
    }

    private static JsonObject byLabel(JsonArray tokens, String label) {
        for (int i = 0; i < tokens.size(); i++) {
            if (label.equals(tokens.getJsonObject(i).getString("label"))) return tokens.getJsonObject(i);
        }
        throw new AssertionError("no token labelled " + label + " in " + tokens.encode());
    }

    @Test
    void ownersListTheirTokensWithoutSecretsOrHashes() {
        String laptop = Await.await(signin.createApiToken("lister@example.org", "laptop script"));
        String ci = Await.await(signin.createApiToken("lister@example.org", "ci", Duration.ofDays(7)));
        String stranger = Await.await(signin.createApiToken("stranger@example.org", "not yours"));
        assertEquals(200, call(ci, HttpMethod.GET, "/api/v1/me").statusCode());

        HttpResponse<Buffer> r = call(laptop, HttpMethod.GET, "/api/v1/me/tokens");
        String body = r.bodyAsString();
        JsonArray list = r.bodyAsJsonObject().getJsonArray("tokens");
        assertEquals(2, list.size(), "only the owner's tokens: " + body);
        for (String secret : new String[] {laptop, ci, stranger}) {
            assertFalse(body.contains(secret), "no token is ever shown again");
            assertFalse(body.contains(HexFormat.of().formatHex(Tokens.hash(secret))), "nor its hash in hex");
            assertFalse(body.contains(java.util.Base64.getEncoder().encodeToString(Tokens.hash(secret))), "nor in base64");
        }
        JsonObject laptopRow = byLabel(list, "laptop script");
        assertEquals(Set.of("id", "label", "createdAt", "lastUsedAt", "expiresAt", "expired"), laptopRow.fieldNames());
        assertEquals(Fixtures.SPRING_DAY_2.toString(), laptopRow.getString("createdAt"));
        assertEquals(Fixtures.SPRING_DAY_2.plus(Duration.ofDays(90)).toString(), laptopRow.getString("expiresAt"), "90 days by default");
        assertNotNull(laptopRow.getString("lastUsedAt"), "it was just used to ask");
        JsonObject ciRow = byLabel(list, "ci");
        assertEquals(Fixtures.SPRING_DAY_2.plus(Duration.ofDays(7)).toString(), ciRow.getString("expiresAt"));
        assertFalse(ciRow.getBoolean("expired"));
    }

    @Test
    void aRevokedTokenStopsWorkingAndOnlyTheOwnerRevokes() {
        String keep = Await.await(signin.createApiToken("revoker@example.org", "keep"));
        String drop = Await.await(signin.createApiToken("revoker@example.org", "drop"));
        String other = Await.await(signin.createApiToken("other@example.org", "theirs"));
        long dropId = byLabel(tokens(keep), "drop").getLong("id");
        long otherId = byLabel(tokens(other), "theirs").getLong("id");

        assertEquals(404, call(keep, HttpMethod.DELETE, "/api/v1/me/tokens/" + otherId).statusCode(), "someone else's token is not yours to revoke");
        assertEquals(200, call(other, HttpMethod.GET, "/api/v1/me").statusCode());
        assertEquals(404, call(keep, HttpMethod.DELETE, "/api/v1/me/tokens/not-a-number").statusCode());

        assertEquals(204, call(keep, HttpMethod.DELETE, "/api/v1/me/tokens/" + dropId).statusCode());
        assertEquals(401, call(drop, HttpMethod.GET, "/api/v1/me").statusCode(), "revoked means it no longer works");
        assertEquals(404, call(keep, HttpMethod.DELETE, "/api/v1/me/tokens/" + dropId).statusCode(), "and it is gone");
        assertEquals(1, tokens(keep).size());
        assertEquals(204, call(keep, HttpMethod.DELETE, "/api/v1/me/tokens/" + byLabel(tokens(keep), "keep").getLong("id")).statusCode(),
                "a token may revoke itself");
        assertEquals(401, call(keep, HttpMethod.GET, "/api/v1/me").statusCode());
    }

    @Test
    void tokensExpire() {
        String shortLived = Await.await(signin.createApiToken("expiring@example.org", "one day", Duration.ofDays(1)));
        String longer = Await.await(signin.createApiToken("expiring@example.org", "default"));
        assertEquals(200, call(shortLived, HttpMethod.GET, "/api/v1/me").statusCode());
        clock.advance(Duration.ofDays(1));
        try {
            HttpResponse<Buffer> late = call(shortLived, HttpMethod.GET, "/api/v1/me");
            assertEquals(401, late.statusCode(), "an expired token answers 401");
            assertTrue(late.bodyAsString().contains("expired"), late.bodyAsString());
            JsonObject row = byLabel(tokens(longer), "one day");
            assertTrue(row.getBoolean("expired"), "its owner sees it expired");
            clock.advance(Duration.ofDays(89));
            assertEquals(401, call(longer, HttpMethod.GET, "/api/v1/me").statusCode(), "the default lifetime is 90 days");
        } finally {
            clock.set(Fixtures.SPRING_DAY_2);
        }
    }

    @Test
    void aLifetimeOutsideOneDayToAYearIsRefused() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofHours(23), Duration.ofDays(367), Duration.ofDays(-1)}) {
            Throwable t = Await.awaitFailure(signin.createApiToken("bad-lifetime@example.org", "x", bad));
            assertTrue(t instanceof HttpProblem p && p.status() == 400, bad + ": " + t);
        }
        assertNotNull(Await.await(signin.createApiToken("bad-lifetime@example.org", "a year", Duration.ofDays(366))));
    }

    @Test
    void theMePageListsAndRevokesTokens() {
        String token = Await.await(signin.createApiToken("pageowner@example.org", "calendar sync"));
        Browser b = node.browser().signIn("pageowner@example.org");
        String page = b.get("/me/access").bodyAsString();
        assertTrue(page.contains("calendar sync"), page);
        assertTrue(page.contains("Works until"));
        assertTrue(page.contains("never"), "not used yet");
        assertFalse(page.contains(token));
        assertFalse(page.contains(HexFormat.of().formatHex(Tokens.hash(token))));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("action=\"(/me/tokens/\\d+/revoke)\"").matcher(page);
        assertTrue(m.find(), "a revoke button per token");

        Browser intruder = node.browser().signIn("intruder@example.org");
        intruder.get("/me/access");
        assertEquals(404, intruder.post(m.group(1)).statusCode(), "nobody revokes someone else's token");
        assertEquals(200, call(token, HttpMethod.GET, "/api/v1/me").statusCode());

        assertEquals(403, b.postWithoutCsrf(m.group(1)).statusCode(), "a forged form revokes nothing");
        HttpResponse<Buffer> done = b.post(m.group(1));
        assertEquals(303, done.statusCode());
        assertEquals("/me/access?revoked=1", done.getHeader("Location"));
        assertTrue(b.get("/me/access?revoked=1").bodyAsString().contains("no longer works"));
        assertEquals(401, call(token, HttpMethod.GET, "/api/v1/me").statusCode());
        assertTrue(b.get("/me/access").bodyAsString().contains("You have no API tokens."));
    }

    @Test
    void theTokenListNeedsSigningIn() {
        HttpResponse<Buffer> r = Await.await(client.get(node.port(), "localhost", "/api/v1/me/tokens").send());
        assertEquals(401, r.statusCode());
        assertEquals(403, Await.await(client.delete(node.port(), "localhost", "/api/v1/me/sessions").send()).statusCode(),
                "a visitor's (cookie) request without a CSRF token is refused before anything");
    }
}
