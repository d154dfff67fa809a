package org.knowmad.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, for the few tests that need a real browser (scripts, live updates).
 * It uses the Debian packages {@code chromium} and {@code chromium-driver}; when they are missing the tests
 * that need it are skipped (Selenium's own driver download does not work here).
 */
public final class RealBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern LINK = Pattern.compile("(http://localhost[^\\s<\"]*/signin/[A-Za-z0-9_-]+)");

    public final WebDriver driver;
    private final int port;

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    public RealBrowser(int port) {
        this(port, null);
    }

    /** A browser whose person reads {@code language} first (its Accept-Language and its own messages), e.g. "nl". */
    public RealBrowser(int port, String language) {
        this.port = port;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,900");
        if (language != null) {
            options.addArguments("--lang=" + language);
            options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    public void open(String path) {
        driver.get("http://localhost:" + port + path);
    }

    /** Signs in as a person would: the form, the link from the development outbox, the button. */
    public RealBrowser signIn(String email) {
        open("/signin");
        driver.findElement(By.name("email")).sendKeys(email);
        var button = driver.findElement(By.cssSelector("main form button[type=submit]"));
        button.click();
        // The click only starts the POST: wait for its answer (the form's page is gone) before looking for the mail.
        awaitGone(button);
        Matcher m = null;
        for (long until = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < until; ) {
            open("/dev/mail?to=" + email);
            m = LINK.matcher(driver.getPageSource());
            if (m.find()) break;
            m = null;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (m == null) throw new AssertionError("no sign-in link for " + email);
        driver.get(m.group(1).replace("http://localhost/", "http://localhost:" + port + "/"));
        var confirm = driver.findElement(By.cssSelector("main form button[type=submit]"));
        confirm.click();
        // Signed in once the confirmation's answer replaced the page; opening another page earlier would cancel it.
        awaitGone(confirm);
        return this;
    }

    /**
     * Waits until the page that held {@code element} was replaced. Chromium reports an element of a page being torn
     * down either as stale or, mid-navigation, as "node does not belong to the document": both mean it is gone.
     */
    private void awaitGone(org.openqa.selenium.WebElement element) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        });
    }

    /** Waits until the page shows {@code text} without being reloaded by the test. */
    public boolean awaitText(String text, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).until(d -> d.getPageSource().contains(text));
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    /** Waits until the page has a link reading {@code text} (text that may already be on the page before, not as a link). */
    public boolean awaitLink(String text, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).until(d -> !d.findElements(org.openqa.selenium.By.linkText(text)).isEmpty());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
