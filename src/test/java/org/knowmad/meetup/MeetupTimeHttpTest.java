package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The meetup page says when the meetup is without naming its day twice. */
@ExtendWith(VertxExtension.class)
class MeetupTimeHttpTest {

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.demo(vertx, new MutableClock(MeetupHttpTest.WEEK_1));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aMeetupWithinOneDayShowsTheDayOnceWithItsHours() {
        Browser b = node.browser().signIn("tara@example.org");
        b.get("/courses/cafe/autumn");
        assertEquals(303, b.post("/courses/cafe/autumn/join", "acceptGuidelines", "on").statusCode());

        Element when = Jsoup.parse(b.get(MeetupHttpTest.PAGE).bodyAsString()).selectFirst("main time");
        // The café: 16 September 2030 13:00 Amsterdam, three hours.
        assertEquals("Monday 16 September 2030, 13:00\u201316:00", when.text());
        assertEquals(MeetupHttpTest.CAFE.toString(), when.attr("datetime"));
    }
}
