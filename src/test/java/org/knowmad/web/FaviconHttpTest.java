package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** Every page names an icon, and the browser's own guess, /favicon.ico, gets the same icon instead of a 404. */
@ExtendWith(VertxExtension.class)
class FaviconHttpTest {

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
    void pagesLinkTheIconAndBothAddressesServeIt() {
        Browser b = node.browser();
        String href = Jsoup.parse(b.get("/").bodyAsString()).selectFirst("link[rel=icon]").attr("href");
        assertEquals("/assets/favicon.svg", href);

        HttpResponse<Buffer> linked = b.get(href);
        assertEquals(200, linked.statusCode());
        assertTrue(linked.getHeader("Content-Type").startsWith("image/svg+xml"), linked.getHeader("Content-Type"));
        assertTrue(linked.bodyAsString().startsWith("<svg"), linked.bodyAsString());

        HttpResponse<Buffer> guessed = b.get("/favicon.ico");
        assertEquals(200, guessed.statusCode());
        assertEquals("image/svg+xml", guessed.getHeader("Content-Type"));
        assertEquals(linked.bodyAsString(), guessed.bodyAsString());
    }
}
