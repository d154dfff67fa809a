package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** Signing out ends the session on the server, here or everywhere; personal answers are never cached. */
@ExtendWith(VertxExtension.class)
class SessionEndHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static WebClient raw;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        raw = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() {
        raw.close();
        node.close();
    }

    /** A request carrying a copied cookie header, as someone who kept the cookie would send it. */
    private static HttpResponse<Buffer> withCookie(String cookieHeader, String path) {
        return Await.await(raw.get(node.port(), "localhost", path).followRedirects(false).putHeader("Cookie", cookieHeader).send());
    }

    private static long sessionsOf(String email) {
        return Await.await(node.app.pool().preparedQuery(
                        "SELECT count(*) AS n FROM session s JOIN account a ON a.id = s.account_id WHERE a.email = $1")
                .execute(Tuple.of(email))).iterator().next().getLong("n");
    }

    @Test
    void aCopiedCookieDiesWithSignOut() {
        Browser b = node.browser().signIn("copied@example.org");
        String cookie = b.cookieHeader();
        assertEquals(200, withCookie(cookie, "/api/v1/me").statusCode(), "the cookie works while signed in");
        assertEquals(1, sessionsOf("copied@example.org"));

        assertEquals(303, b.post("/signout").statusCode());

        assertEquals(401, withCookie(cookie, "/api/v1/me").statusCode(), "the old cookie no longer signs anyone in");
        assertEquals(0, sessionsOf("copied@example.org"), "the session row is gone");
        assertEquals(303, withCookie(cookie, "/me").statusCode(), "the page asks to sign in again");
    }

    @Test
    void signOutEverywhereEndsEverySessionButKeepsTokens() {
        Browser laptop = node.browser().signIn("everywhere@example.org");
        Browser phone = node.browser().signIn("everywhere@example.org");
        Browser someoneElse = node.browser().signIn("bystander@example.org");
        ApiUser script = ApiUser.create(node, clock, "everywhere@example.org");
        String phoneCookie = phone.cookieHeader();
        assertEquals(2, sessionsOf("everywhere@example.org"));

        String access = laptop.get("/me/access").bodyAsString();
        assertTrue(access.contains("signed in in 2 places"), access);
        assertTrue(access.contains("action=\"/signout/everywhere\""));
        assertEquals(303, laptop.post("/signout/everywhere").statusCode());

        assertEquals(401, laptop.json(HttpMethod.GET, "/api/v1/me", null).statusCode());
        assertEquals(401, withCookie(phoneCookie, "/api/v1/me").statusCode(), "the other device is signed out too");
        assertEquals(0, sessionsOf("everywhere@example.org"));
        assertEquals(200, script.call(HttpMethod.GET, "/api/v1/me", null).statusCode(), "API tokens are revoked one by one");
        assertEquals(200, someoneElse.json(HttpMethod.GET, "/api/v1/me", null).statusCode(), "nobody else is signed out");
    }

    @Test
    void signOutEverywhereThroughTheApi() {
        Browser b = node.browser().signIn("apiout@example.org");
        ApiUser script = ApiUser.create(node, clock, "apiout@example.org");
        HttpResponse<Buffer> r = script.call(HttpMethod.DELETE, "/api/v1/me/sessions", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(1, r.bodyAsJsonObject().getInteger("ended"));
        assertEquals(401, b.json(HttpMethod.GET, "/api/v1/me", null).statusCode());

        Browser again = node.browser().signIn("apiout@example.org");
        assertEquals(200, again.json(HttpMethod.DELETE, "/api/v1/me/sessions", null).statusCode(), "a browser may do it too (with CSRF)");
        assertEquals(401, again.json(HttpMethod.GET, "/api/v1/me", null).statusCode());
    }

    @Test
    void theMePageLoadsTheAccessSection() {
        Browser b = node.browser().signIn("mepage@example.org");
        String me = b.get("/me").bodyAsString();
        assertTrue(me.contains("hx-get=\"/me/access\""), "the section is loaded into /me");
        assertTrue(me.contains("href=\"/me/access\""), "and is a link without JavaScript");
        var client = WebClient.create(node.vertx);
        try {
            HttpResponse<Buffer> fragment = Await.await(client.get(node.port(), "localhost", "/me/access")
                    .putHeader("Cookie", b.cookieHeader()).putHeader("HX-Request", "true").send());
            assertEquals(200, fragment.statusCode());
            assertTrue(fragment.bodyAsString().contains("Sign out everywhere"));
            assertFalse(fragment.bodyAsString().contains("<html"), "htmx gets the section only");
        } finally {
            client.close();
        }
        assertTrue(b.get("/me/access").bodyAsString().contains("<html"), "opened directly it is a page");
        assertEquals(303, node.browser().get("/me/access").statusCode(), "visitors are asked to sign in");
    }

    @Test
    void personalJsonIsNeverStored() {
        Browser b = node.browser().signIn("nocache@example.org");
        ApiUser api = ApiUser.joined(node, clock, "nocache-api@example.org", "spring");
        for (String path : new String[] {"/api/v1/me", "/api/v1/me/notifications", "/api/v1/me/tokens", "/api/v1/courses/demo/spring",
                "/api/v1/courses"}) {
            HttpResponse<Buffer> byCookie = b.json(HttpMethod.GET, path, null);
            assertEquals("no-store", byCookie.getHeader("Cache-Control"), path + " (cookie)");
            HttpResponse<Buffer> byToken = api.call(HttpMethod.GET, path, null);
            assertEquals(200, byToken.statusCode(), path);
            assertEquals("no-store", byToken.getHeader("Cache-Control"), path + " (token)");
        }
        HttpResponse<Buffer> visitor = Await.await(raw.get(node.port(), "localhost", "/api/v1/courses").send());
        assertEquals(200, visitor.statusCode());
        assertNull(visitor.getHeader("Cache-Control"), "the public catalogue may be cached");
    }
}
