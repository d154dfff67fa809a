package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
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

/** The emailed link's answer goes to a path on this site, always answers, and a bad address never spends a link for nothing. */
@ExtendWith(VertxExtension.class)
class ReturnAddressHttpTest {

    private static final Pattern LINK = Pattern.compile("http://localhost(/signin/[A-Za-z0-9_-]+)");
    private static TestNode node;
    private static MutableClock clock;
    private static int people;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Asks for a link with this return address (as the sign-in form sends it) and answers the link's path. */
    private static String linkWithReturn(Browser b, String returnTo) {
        String email = "return" + (++people) + "@example.org";
        b.get("/signin");
        HttpResponse<Buffer> sent = b.post("/signin", "email", email, "return", returnTo);
        assertEquals(200, sent.statusCode(), sent.bodyAsString());
        Matcher m = LINK.matcher(b.get("/dev/mail?to=" + email).bodyAsString());
        assertTrue(m.find(), "the outbox holds a sign-in link");
        return m.group(1);
    }

    @Test
    void theProbesReturnValuesLandOnThisSite() {
        // The per-IP limit (30 in 15 minutes) counts every request of this class: stay well below it.
        List<String> probes = List.of("/\t/evil.example/", "/\t\\evil.example", "//evil.example", "/\\evil.example",
                "https://evil.example/", "/\u3000/evil.example", "/\uff0f\uff0fevil.example");
        for (String probe : probes) {
            Browser b = node.browser();
            String link = linkWithReturn(b, probe);
            b.get(link);
            HttpResponse<Buffer> used = b.post(link);
            assertEquals(303, used.statusCode(), probe);
            assertEquals("/", used.getHeader("Location"), probe);
            assertEquals(200, b.json(HttpMethod.GET, "/api/v1/me", null).statusCode(), "signed in all the same");
        }
    }

    @Test
    void controlCharactersNeitherHangNorSpendALinkForNothing() {
        for (String probe : List.of("/\n/evil.example", "/\r/evil.example", "/me\r\nSet-Cookie: evil=1", "/\u000b/evil.example",
                "/\u000c/evil.example")) {
            Browser b = node.browser();
            String link = linkWithReturn(b, probe);
            b.get(link);
            HttpResponse<Buffer> used = b.post(link); // before the fix this never answered (Await gives up after 30 s)
            assertEquals(303, used.statusCode(), probe);
            assertEquals("/", used.getHeader("Location"));
            assertFalse(String.valueOf(used.headers().getAll("Set-Cookie")).contains("evil"));
            assertEquals(200, b.json(HttpMethod.GET, "/api/v1/me", null).statusCode(), "the spent link gave a session");
        }
    }

    @Test
    void aGoodReturnAddressIsKept() {
        Browser b = node.browser();
        String link = linkWithReturn(b, "/courses/demo/spring?tab=modules#week-1");
        b.get(link);
        assertEquals("/courses/demo/spring?tab=modules#week-1", b.post(link).getHeader("Location"));
        Browser plain = node.browser();
        plain.get("/signin");
        String email = "noreturn@example.org";
        plain.post("/signin", "email", email);
        Matcher m = LINK.matcher(plain.get("/dev/mail?to=" + email).bodyAsString());
        assertTrue(m.find());
        plain.get(m.group(1));
        assertEquals("/me", plain.post(m.group(1)).getHeader("Location"), "no return address: the person's own page");
    }

    @Test
    void aLinkStoredBeforeTheCheckStillAnswersSafely() {
        // Links made by an older server may hold any text; the answer is checked again on the way out.
        String token = Tokens.random();
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        Await.await(node.app.pool().preparedQuery("""
                        INSERT INTO signin_token (token_hash, email, requested_ip, return_to, created_at, expires_at)
                        VALUES ($1, 'legacy@example.org', '127.0.0.1', $2, $3, $4)""")
                .execute(Tuple.of(Tokens.hash(token), "/\n/evil.example", now, now.plusMinutes(15))));
        Browser b = node.browser();
        b.get("/signin/" + token);
        HttpResponse<Buffer> used = b.post("/signin/" + token);
        assertEquals(303, used.statusCode());
        assertEquals("/", used.getHeader("Location"));
    }

    @Test
    void theSignInPageAndTheLanguageSwitchUseTheSameCheck() {
        Browser b = node.browser();
        String page = b.get("/signin?return=%2F%09%2Fevil.example%2F").bodyAsString();
        assertFalse(page.contains("evil.example"), "the form does not carry the hostile address on");
        HttpResponse<Buffer> switched = b.post("/language", "lang", "nl", "return", "/\t/evil.example/");
        assertEquals(303, switched.statusCode());
        assertEquals("/", switched.getHeader("Location"));
        HttpResponse<Buffer> crlf = b.post("/language", "lang", "en", "return", "/x\r\nSet-Cookie: evil=1");
        assertEquals(303, crlf.statusCode());
        assertEquals("/", crlf.getHeader("Location"));
    }
}
