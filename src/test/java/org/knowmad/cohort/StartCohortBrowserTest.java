package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RealBrowser;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A new facilitator of the Dutch example course starts a cohort in a real browser: the name check works in the
 * browser; a name the server refuses comes back in Dutch beside the field with everything else still filled in;
 * a good name lands on the new cohort. Skipped when Debian's chromium and chromium-driver are not installed.
 */
@ExtendWith(VertxExtension.class)
class StartCohortBrowserTest {

    private TestNode node;

    @BeforeEach
    void start(Vertx vertx) {
        assumeTrue(RealBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        node = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses"), new MutableClock(Instant.parse("2026-12-01T10:00:00Z")),
                Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void aNewFacilitatorStartsACohortWithABadNameThenAGoodOne() {
        try (RealBrowser joost = new RealBrowser(node.port(), "nl").signIn("joost@example.org")) {
            joost.open("/courses/knowmad");
            JavascriptExecutor js = (JavascriptExecutor) joost.driver;
            WebElement form = joost.driver.findElement(By.id("new-cohort"));
            js.executeScript("arguments[0].value = '2027-03-01T09:00'", form.findElement(By.name("starts")));
            new Select(form.findElement(By.name("enrolment"))).selectByValue("invite");
            form.findElement(By.name("capacity")).sendKeys("40");
            form.findElement(By.name("meetupVenue")).sendKeys("De Werkplaats, Utrecht");
            WebElement id = form.findElement(By.name("id"));
            id.sendKeys("Slechte Naam");
            assertEquals(Boolean.FALSE, js.executeScript("return arguments[0].checkValidity()", id),
                    "the browser's own check of the name works (the pattern compiles in v mode)");

            // A browser that does not check (as Chromium did not while the pattern failed to compile): the server does.
            js.executeScript("arguments[0].removeAttribute('pattern')", id);
            form.findElement(By.cssSelector("button[type=submit]")).click();
            assertTrue(joost.awaitText("error-id", java.time.Duration.ofSeconds(10)), joost.driver.getPageSource());
            assertEquals("nl", joost.driver.findElement(By.tagName("html")).getAttribute("lang"));
            assertEquals("Een groepsnaam bestaat uit kleine letters, cijfers en streepjes, zoals 2027-03.",
                    joost.driver.findElement(By.id("error-id")).getText(), "the message beside the field, in Dutch");
            form = joost.driver.findElement(By.id("new-cohort"));
            assertEquals("true", form.findElement(By.name("id")).getAttribute("aria-invalid"));
            assertEquals("Slechte Naam", form.findElement(By.name("id")).getAttribute("value"));
            assertEquals("2027-03-01T09:00", form.findElement(By.name("starts")).getAttribute("value"));
            assertEquals("invite", new Select(form.findElement(By.name("enrolment"))).getFirstSelectedOption().getAttribute("value"));
            assertEquals("40", form.findElement(By.name("capacity")).getAttribute("value"));
            assertEquals("De Werkplaats, Utrecht", form.findElement(By.name("meetupVenue")).getAttribute("value"));

            id = form.findElement(By.name("id"));
            id.clear();
            id.sendKeys("voorjaar-2027");
            assertEquals(Boolean.TRUE, js.executeScript("return arguments[0].checkValidity()", id));
            form.findElement(By.cssSelector("button[type=submit]")).click();
            assertTrue(joost.awaitText("voorjaar-2027", java.time.Duration.ofSeconds(10)));
            assertTrue(joost.driver.getCurrentUrl().endsWith("/courses/knowmad/voorjaar-2027"), joost.driver.getCurrentUrl());
            assertTrue(joost.driver.getPageSource().contains("De Werkplaats, Utrecht"), "the cohort's own meetup venue");
        }
    }
}
