package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RealBrowser;
import org.knowmad.support.TestNode;
import org.openqa.selenium.By;

/**
 * An organiser ends a meetup in a real browser: the control room's button leads to a confirm step, nothing ends
 * until it is confirmed, and the meetup page then says the meetup ended. Skipped without Debian's chromium.
 */
@ExtendWith(VertxExtension.class)
class MeetupEndBrowserTest {

    private static final String PAGE = "/courses/cafe/autumn/meetup";
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

    private boolean ended() {
        for (Row r : Await.await(node.app.pool().query("SELECT ended_at FROM meetup_session WHERE cohort_id = 'autumn'").execute())) {
            if (r.getValue(0) != null) return true;
        }
        return false;
    }

    @Test
    void anOrganiserEndsTheMeetupAfterConfirming() {
        ApiUser ann = ApiUser.create(node, clock, "ann.browser@example.org");
        assertEquals(200, ann.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        assertEquals(200, ann.call(HttpMethod.POST, "/api/v1" + PAGE + "/registration", null).statusCode());
        clock.set(Instant.parse("2030-09-16T11:00:00Z").plus(Duration.ofHours(3)));

        try (RealBrowser organiser = new RealBrowser(node.port()).signIn("org@example.org")) {
            organiser.open(PAGE + "/control");
            assertTrue(organiser.awaitText("End the meetup", Duration.ofSeconds(30)), "the control room loads");
            organiser.driver.findElement(By.id("end-meetup")).click();
            assertTrue(organiser.awaitText("End the meetup?", Duration.ofSeconds(15)), "a confirm step, not a one-click end");
            assertTrue(!ended(), "nothing ended before confirming");
            organiser.driver.findElement(By.id("confirm-end")).click();
            assertTrue(organiser.awaitText("This meetup has ended:", Duration.ofSeconds(15)), "the meetup page says it ended");
            assertTrue(organiser.driver.getCurrentUrl().contains(PAGE), organiser.driver.getCurrentUrl());
            assertTrue(ended());
            assertNotNull(organiser.driver.findElement(By.cssSelector("form[action='" + PAGE + "/reopening'] button")), "and offers to reopen");
        }
    }
}
