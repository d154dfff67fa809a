package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RealBrowser;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A participant's journey in a real browser, on the Dutch example course as shipped: choose Dutch, join the self-paced cohort,
 * read the first module, ask a question in a new thread, get an answer from another participant, and mark it as
 * the answer that helped; the thread then shows it solved, at the top, and the module's list says so.
 * Skipped when Debian's chromium and chromium-driver are not installed.
 */
@ExtendWith(VertxExtension.class)
class SolvedBrowserTest {

    private static final String COHORT = "/courses/knowmad/zelfstudie";
    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        assumeTrue(RealBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        clock = new MutableClock(Instant.parse("2030-09-03T10:00:00Z"));
        node = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses"), clock, Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    /** With -Dscreenshots=DIR, keeps what the person saw (to look at the pages, not to test them). */
    private static void shot(RealBrowser b, String name) {
        String dir = System.getProperty("screenshots");
        if (dir == null) return;
        try {
            byte[] png = ((org.openqa.selenium.TakesScreenshot) b.driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            java.nio.file.Files.write(Path.of(dir, name + ".png"), png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aParticipantAsksGetsAnAnswerAndMarksItSolved() {
        try (RealBrowser asker = new RealBrowser(node.port()).signIn("vraagsteller@example.org")) {
            // The browser asks for English; this participant follows the course in Dutch and says so.
            asker.open(COHORT);
            asker.driver.findElement(By.cssSelector("form.lang-switch button[value=nl]")).click();
            assertTrue(asker.awaitText("Doe mee met deze groep", Duration.ofSeconds(10)), asker.driver.getPageSource());
            // Join, accepting the guidelines, as the page asks.
            asker.driver.findElement(By.name("acceptGuidelines")).click();
            asker.driver.findElement(By.cssSelector("#join form button[type=submit]")).click();
            // The module's name is on the page before joining too, as plain text: wait for it to become a link.
            assertTrue(asker.awaitLink("Wie is die knowmad?", Duration.ofSeconds(10)), asker.driver.getPageSource());

            // Read the first module.
            asker.driver.findElement(By.linkText("Wie is die knowmad?")).click();
            assertTrue(asker.awaitText("Begin een nieuw draadje", Duration.ofSeconds(10)), asker.driver.getPageSource());

            // Ask a question in a new thread.
            asker.driver.findElement(By.xpath("//summary[contains(., 'Begin een nieuw draadje')]")).click();
            asker.driver.findElement(By.name("title")).sendKeys("Hoe herken ik een knowmad?");
            asker.driver.findElement(By.name("body")).sendKeys("Waar let jij op bij een nieuwe collega?");
            asker.driver.findElement(By.xpath("//button[contains(., 'Draadje beginnen')]")).click();
            assertTrue(asker.awaitText("Waar let jij op bij een nieuwe collega?", Duration.ofSeconds(10)));
            String threadUrl = asker.driver.getCurrentUrl();
            long thread = Long.parseLong(threadUrl.replaceAll(".*/threads/(\\d+).*", "$1"));

            // Another participant answers.
            ApiUser helper = ApiUser.create(node, clock, "helper.nl@example.org");
            assertEquals(200, helper.call(HttpMethod.POST, "/api/v1/courses/knowmad/zelfstudie/enrolment",
                    new JsonObject().put("acceptGuidelines", true)).statusCode());
            assertEquals(201, helper.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                    new JsonObject().put("body", "Aan de vragen die ze stellen over *waarom*.")).statusCode());
            assertTrue(asker.awaitText("Aan de vragen die ze stellen", Duration.ofSeconds(15)), "the answer arrives (live, or on reload)");

            // The asker marks it as the answer that helped.
            asker.open(COHORT + "/threads/" + thread);
            WebElement mark = asker.driver.findElement(By.cssSelector("#post-2 button.mark-solved"));
            assertEquals("Markeer als het antwoord dat hielp", mark.getText());
            mark.click();
            assertTrue(asker.awaitText("Het antwoord dat de vraagsteller hielp", Duration.ofSeconds(10)), asker.driver.getPageSource());
            WebElement solution = asker.driver.findElement(By.id("solution"));
            assertTrue(solution.getText().contains("Aan de vragen die ze stellen"), solution.getText());
            assertTrue(asker.driver.findElement(By.cssSelector("#post-2")).getText().contains("Het antwoord dat hielp"));

            asker.open(COHORT + "/threads/" + thread);
            shot(asker, "thread");
            // The module's list shows the thread solved.
            asker.open(COHORT + "/modules/week-1#discussions");
            shot(asker, "module");
            assertTrue(asker.driver.findElement(By.cssSelector("ul.threads")).getText().contains("Opgelost"));
        }
    }
}
