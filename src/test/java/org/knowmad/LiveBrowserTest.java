package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RealBrowser;
import org.knowmad.support.TestNode;

/**
 * What only a real browser shows: pages that update themselves over server-sent events. A reader's thread page
 * gets a new reply, and an organiser's live meetup page gets a question from the room, without reloading.
 * Skipped when Debian's chromium and chromium-driver are not installed.
 */
@ExtendWith(VertxExtension.class)
class LiveBrowserTest {

    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        assumeTrue(RealBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        clock = new MutableClock(Instant.parse("2030-09-03T10:00:00Z"));
        node = TestNode.demo(vertx, clock);
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    private ApiUser participant(String email) {
        ApiUser u = ApiUser.create(node, clock, email);
        assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        return u;
    }

    @Test
    void aThreadPageShowsANewReplyWithoutReloading() {
        ApiUser writer = participant("writer.lb@example.org");
        participant("reader.lb@example.org");
        long thread = writer.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/modules/week-1/threads",
                new JsonObject().put("title", "Working out loud").put("body", "Who shows unfinished work?")).bodyAsJsonObject().getLong("id");
        try (RealBrowser reader = new RealBrowser(node.port()).signIn("reader.lb@example.org")) {
            reader.open("/courses/cafe/autumn/threads/" + thread);
            assertTrue(reader.awaitText("Who shows unfinished work?", Duration.ofSeconds(10)));
            Object marker = ((org.openqa.selenium.JavascriptExecutor) reader.driver).executeScript("window.notReloaded = 42; return 1;");
            assertEquals(1L, marker);
            assertEquals(201, writer.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                    new JsonObject().put("body", "I do, every Friday.")).statusCode());
            assertTrue(reader.awaitText("I do, every Friday.", Duration.ofSeconds(15)), "the reply appears by itself");
            Object still = ((org.openqa.selenium.JavascriptExecutor) reader.driver).executeScript("return window.notReloaded;");
            assertEquals(42L, still, "and the page was not reloaded");
        }
    }

    @Test
    void anOrganisersLivePageShowsAQuestionFromTheRoom() {
        ApiUser attendee = participant("attendee.lb@example.org");
        assertEquals(200, attendee.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/meetup/registration", null).statusCode());
        try (RealBrowser organiser = new RealBrowser(node.port()).signIn("org@example.org")) {
            organiser.open("/courses/cafe/autumn/meetup/live");
            assertTrue(organiser.awaitText("Closing café", Duration.ofSeconds(30)), "the live page loads (slow under a loaded CI machine)");
            ((org.openqa.selenium.JavascriptExecutor) organiser.driver).executeScript("window.notReloaded = 7;");
            // The stream is open once the browser connected; give EventSource a moment before the event.
            organiser.awaitText("never-there", Duration.ofMillis(700));
            assertEquals(201, attendee.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/meetup/live/questions",
                    new JsonObject().put("body", "How do we keep this going?")).statusCode());
            assertTrue(organiser.awaitText("How do we keep this going?", Duration.ofSeconds(15)), "the question appears by itself");
            Object still = ((org.openqa.selenium.JavascriptExecutor) organiser.driver).executeScript("return window.notReloaded;");
            assertEquals(7L, still, "and the page was not reloaded");
        }
    }
}
