package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.schedule.HumanTime;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The development outbox as a first-time developer meets it: where to sign in, and readable times. */
@ExtendWith(VertxExtension.class)
class DevMailPageHttpTest {

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.demo(vertx, new MutableClock(Fixtures.SPRING_DAY_2));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theEmptyOutboxSaysWhereToSignIn() {
        Document page = Jsoup.parse(node.browser().get("/dev/mail?to=nobody-yet@example.org").bodyAsString());
        Element empty = page.selectFirst("p.empty");
        assertTrue(empty.text().contains("No mail yet"), empty.text());
        assertEquals("/signin", empty.selectFirst("a").attr("href"));
    }

    @Test
    void mailsShowWhenTheyWereWrittenReadablyInTheReadersLanguage() {
        Browser b = node.browser();
        b.get("/signin");
        assertEquals(200, b.post("/signin", "email", "tim@example.org").statusCode());

        Element time = Jsoup.parse(b.get("/dev/mail?to=tim@example.org").bodyAsString()).selectFirst("article.mail time");
        Instant written = Instant.parse(time.attr("datetime"));
        assertEquals(HumanTime.dateTime(written, ZoneId.systemDefault(), Locale.ENGLISH), time.text());
        assertFalse(time.text().matches(".*\\d{4}-\\d{2}-\\d{2}T.*"), "no raw timestamp: " + time.text());

        b.get("/dev/mail");
        assertEquals(303, b.post("/language", "lang", "nl", "return", "/dev/mail").statusCode());
        Element dutch = Jsoup.parse(b.get("/dev/mail?to=tim@example.org").bodyAsString()).selectFirst("article.mail time");
        assertEquals(HumanTime.dateTime(written, ZoneId.systemDefault(), Locale.forLanguageTag("nl")), dutch.text());
        assertTrue(dutch.text().contains(" om "), dutch.text());
    }
}
