package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RawHttp;
import org.knowmad.support.TestNode;

/** What a security probe answered with 5xx: each is a clear 4xx now, and harmless text is not mistaken for it. */
@ExtendWith(VertxExtension.class)
class HostileInputHttpTest {

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

    @Test
    void aNulByteInAPathOrQueryIsA400() {
        for (String path : new String[] {"/courses/demo/a%00b", "/courses/demo/spring/modules/a%00b", "/courses/demo/spring/people/a%00b",
                "/courses/demo/spring/search?q=%00", "/dev/mail?to=a%00b", "/api/v1/courses/demo/spring/modules/x%00",
                "/courses/demo%00/spring", "/?x=%00"}) {
            assertEquals(400, RawHttp.get(node.port(), path).status(), path);
        }
    }

    @Test
    void invalidUtf8AnywhereIsA400() {
        assertEquals(400, RawHttp.get(node.port(), "/courses/demo/%C3%28").status());
        assertEquals(400, RawHttp.get(node.port(), "/courses/demo/spring/search?q=%FF%FE").status());
        assertEquals(400, RawHttp.get(node.port(), "/courses/demo/spring/people/%ED%A0%80").status(), "a lone surrogate");
        ApiUser ada = ApiUser.joined(node, clock, "utf@example.org", "spring");
        byte[] json = "{\"title\":\"x\",\"body\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1); // é as one Latin-1 byte
        var answer = RawHttp.send(node.port(), "POST /api/v1/courses/demo/spring/modules/week-1/threads HTTP/1.1\r\n"
                + "Authorization: Bearer " + ada.token() + "\r\nContent-Type: application/json", json);
        assertEquals(400, answer.status(), answer.text());
        byte[] form = "title=x&body=%FF%FE".getBytes(StandardCharsets.US_ASCII);
        Browser b = node.browser().signIn("utfform@example.org");
        b.get("/courses/demo/spring");
        b.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        b.get("/courses/demo/spring/modules/week-1");
        var formAnswer = RawHttp.send(node.port(), "POST /courses/demo/spring/modules/week-1/threads HTTP/1.1\r\nCookie: " + b.cookieHeader()
                + "\r\nContent-Type: application/x-www-form-urlencoded", ("_csrf=" + b.csrf() + "&" + new String(form, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, formAnswer.status(), formAnswer.text());
    }

    @Test
    void postsThatMerelyMentionPercentZeroZeroAreFine() {
        ApiUser ada = ApiUser.joined(node, clock, "percent@example.org", "spring");
        var r = ada.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Escapes").put("body", "In a URL, %00 is how a NUL is written."));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        Browser b = node.browser().signIn("percentform@example.org");
        b.get("/courses/demo/spring");
        b.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        b.get("/courses/demo/spring/modules/week-1");
        assertEquals(303, b.post("/courses/demo/spring/modules/week-1/threads", "title", "Also %00", "body", "Text with %00 in it").statusCode());
        // A real NUL is still refused, in a form and in JSON.
        assertEquals(400, b.post("/courses/demo/spring/modules/week-1/threads", "title", "nul", "body", "a\u0000b").statusCode());
        assertEquals(400, ada.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "nul").put("body", "a\u0000b")).statusCode());
    }

    @Test
    void malformedAcceptLanguageStillGetsThePage() {
        for (String value : new String[] {",", ";", ",,;q=1", "*", "-", "x-", ";q=0.5,", "\u00e9"}) {
            for (String path : new String[] {"/", "/signin", "/courses/demo", "/no/such/page"}) {
                int status = RawHttp.get(node.port(), path, "Accept-Language: " + value).status();
                assertTrue(status == 200 || status == 404, path + " with Accept-Language '" + value + "': " + status);
            }
        }
    }

    @Test
    void aHugeChunkedFormIs413() {
        byte[] chunk = ("a=" + "x".repeat(1_000_000)).getBytes(StandardCharsets.US_ASCII);
        StringBuilder body = new StringBuilder();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            byte[] piece = i == 0 ? chunk : "x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
            out.writeBytes((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(piece);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(body.length() == 0);
        var answer = RawHttp.send(node.port(), "POST /signin HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked", out.toByteArray());
        assertEquals(413, answer.status(), answer.text().substring(0, Math.min(300, answer.text().length())));
    }

    @Test
    void notificationSettingsWithoutAModeAre400() {
        Browser b = node.browser().signIn("mode@example.org");
        b.get("/me/notifications");
        assertEquals(400, b.post("/me/notifications").statusCode());
        assertEquals(400, b.post("/me/notifications", "mode", "sometimes").statusCode());
        ApiUser api = ApiUser.create(node, clock, "modeapi@example.org");
        assertEquals(400, api.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject()).statusCode());
    }

    @Test
    void silencingSomeoneWhoDoesNotExistIs404() {
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        var r = fay.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/987654321", null);
        assertEquals(404, r.statusCode(), r.bodyAsString());
        assertEquals(404, fay.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/-1", null).statusCode());
        assertEquals(400, fay.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/silenced/99999999999999999999", null).statusCode());
        Browser b = node.browser().signIn("fac@example.org");
        b.get("/courses/demo/spring/moderation");
        assertEquals(404, b.post("/courses/demo/spring/silenced", "account", "987654321").statusCode());
    }

    @Test
    void theErrorLogNeverCarriesASigninToken() {
        String secret = "abcdefghijklmnopqrstuvwxyzABCDEF0123456789";
        var logged = new java.util.ArrayList<String>();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ErrorHandler.class);
        var appender = new ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                logged.add(e.getFormattedMessage());
            }
        };
        appender.start();
        log.addAppender(appender);
        try {
            assertFalse(ErrorHandler.shownPath("/signin/" + secret + "?return=/x").contains(secret), "sign-in tokens are redacted");
            assertFalse(ErrorHandler.shownPath("/courses/demo/spring/search?q=" + secret).contains(secret), "queries are never logged");
            assertEquals("/signin/…", ErrorHandler.shownPath("/signin/" + secret));
            assertEquals("/courses/demo/spring/threads/12", ErrorHandler.shownPath("/courses/demo/spring/threads/12?after=3"));
            for (String line : logged) assertFalse(line.contains(secret), line);
        } finally {
            log.detachAppender(appender);
        }
        assertTrue(Await.await(node.app.pool().query("SELECT 1").execute()).size() == 1);
    }

    @Test
    void aFormThatIsNotValidPercentEncodingIs400() {
        for (String body : new String[] {"email=%%%", "email=%ZZ", "email=a%", "%=%"}) {
            var answer = RawHttp.send(node.port(), "POST /signin HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
                    body.getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, answer.status(), body + ": " + answer.text().substring(0, Math.min(200, answer.text().length())));
        }
    }

    @Test
    void aQueryThatIsNotValidPercentEncodingIs400() {
        for (String path : new String[] {"/?q=%ZZ", "/courses/demo/spring/search?q=%", "/api/v1/me/notifications?x=%G1"}) {
            assertEquals(400, RawHttp.get(node.port(), path).status(), path);
        }
        var answer = RawHttp.send(node.port(), "PUT /api/v1/me/notifications?q=%ZZ HTTP/1.1\r\nContent-Type: application/json",
                "{}".getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, answer.status(), "a request with a body also gets its answer");
    }

    @Test
    void choosingALanguageWithoutOneIs400() {
        Browser b = node.browser();
        b.get("/signin");
        assertEquals(400, b.post("/language").statusCode());
        assertEquals(400, b.post("/language", "lang", "xx").statusCode());
    }

    @Test
    void anOverlongAddressGetsAnAnswer() {
        var answer = RawHttp.get(node.port(), "/courses/demo/spring/search?q=" + "x".repeat(10_000));
        assertEquals(414, answer.status(), answer.text());
    }
}
