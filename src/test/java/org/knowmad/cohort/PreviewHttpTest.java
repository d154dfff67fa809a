package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The facilitator's "as a participant at date X" preview keeps its date, its words and its links. */
@ExtendWith(VertxExtension.class)
class PreviewHttpTest {

    private static TestNode node;
    private static Browser fay;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.demo(vertx, new MutableClock(Fixtures.SPRING_DAY_2));
        fay = node.browser().signIn("fac@example.org");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theChosenDateStaysAndModuleLinksStayInThePreview() {
        HttpResponse<Buffer> r = fay.get("/courses/demo/spring?as=2030-03-12T10:00");
        assertEquals(200, r.statusCode());
        String page = r.bodyAsString();
        assertTrue(page.contains("name=\"as\" value=\"2030-03-12T10:00\""), "the date is still in the form");
        assertTrue(page.contains("href=\"/courses/demo/spring/modules/week-2?as=2030-03-12T10%3A00\""), page);
        String module = fay.get("/courses/demo/spring/modules/week-2?as=2030-03-12T10%3A00").bodyAsString();
        assertTrue(module.contains("class=\"notice preview\""), "still a preview");
        assertTrue(module.contains("<a href=\"/courses/demo/spring?as=2030-03-12T10%3A00\">Demo course</a>"), "and back into it");
        assertFalse(fay.get("/courses/demo/spring").bodyAsString().contains("?as="), "outside a preview links are plain");
    }

    @Test
    void aSelfPacedPreviewKeepsTheJoinDateAndDoesNotTalkAboutJoiningNow() {
        String page = fay.get("/courses/demo/own-pace?as=2030-03-20T10:00&joined=2030-03-05T09:00").bodyAsString();
        assertTrue(page.contains("name=\"as\" value=\"2030-03-20T10:00\""));
        assertTrue(page.contains("name=\"joined\" value=\"2030-03-05T09:00\""));
        assertTrue(page.contains("href=\"/courses/demo/own-pace/modules/week-3?as=2030-03-20T10%3A00&amp;joined=2030-03-05T09%3A00\""), page);
        assertFalse(page.contains("if you join now"), "the preview is not about joining now");
        assertTrue(fay.get("/courses/demo/own-pace").bodyAsString().contains("if you join now"), "the plain page still says it");
    }
}
