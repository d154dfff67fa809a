package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RawHttp;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * The interface language: the person's choice (account, else cookie), else the browser's Accept-Language, else the
 * course's language on its pages, else English; the same on every kind of page, error pages and API problems too.
 * Here the demo course is Dutch and the café course English, so "the course's language" is visible.
 */
@ExtendWith(VertxExtension.class)
class LanguageHttpTest {

    private static final String ENGLISH = "Knowmad: social courses where people learn from each other";
    private static final String DUTCH = "Knowmad: sociale cursussen waarin mensen van elkaar leren";

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        Path courses = Fixtures.coursesCopy();
        try {
            Path demo = courses.resolve("demo/course.yaml");
            Files.writeString(demo, Files.readString(demo).replace("language: en", "language: nl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node = TestNode.start(vertx, TestDatabase.fresh(), courses, new MutableClock(Fixtures.SPRING_DAY_2), Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void assertLanguage(String lang, HttpResponse<Buffer> page, String what) {
        String html = page.bodyAsString();
        assertTrue(html.contains("<html lang=\"" + lang + "\">"), what + " should be in " + lang + ": " + html);
        assertTrue(html.contains("en".equals(lang) ? ENGLISH : DUTCH), what + " interface text in " + lang);
        assertEquals(lang, page.getHeader("Content-Language"), what);
    }

    @Test
    void withoutAChoiceTheCoursePagesFollowTheCourseAndTheRestIsEnglish() {
        Browser visitor = node.browser();
        assertLanguage("nl", visitor.get("/courses/demo"), "the Dutch course's page");
        assertLanguage("nl", visitor.get("/courses/demo/spring"), "its cohort page");
        assertLanguage("nl", visitor.get("/courses/demo/nope"), "an error page on its paths");
        assertLanguage("en", visitor.get("/courses/cafe/autumn"), "the English course's cohort page");
        assertLanguage("en", visitor.get("/"), "the catalogue");
        assertLanguage("en", visitor.get("/signin"), "the sign-in page");
        assertLanguage("en", visitor.get("/no/such/page"), "an error page elsewhere");
        // A browser asking for a language we do not speak is the same as one asking for none.
        assertLanguage("nl", visitor.getWith("/courses/demo/spring", "Accept-Language", "fr-FR, de;q=0.8"), "French browser, Dutch course");
        assertLanguage("en", visitor.getWith("/", "Accept-Language", "fr-FR"), "French browser, catalogue");
    }

    @Test
    void theBrowsersLanguageComesBeforeTheCourses() {
        Browser dutchBrowser = node.browser();
        assertLanguage("nl", dutchBrowser.getWith("/", "Accept-Language", "nl-BE,nl;q=0.9,en;q=0.5"), "catalogue");
        assertLanguage("nl", dutchBrowser.getWith("/courses/cafe/autumn", "Accept-Language", "nl"), "the English course");
        assertLanguage("nl", dutchBrowser.getWith("/signin", "Accept-Language", "nl"), "sign-in");
        assertLanguage("nl", dutchBrowser.getWith("/nope", "Accept-Language", "nl"), "an error page");
        Browser englishBrowser = node.browser();
        assertLanguage("en", englishBrowser.getWith("/courses/demo/spring", "Accept-Language", "en-US,en;q=0.9"), "the Dutch course");
        // Weights count, not only the order; q=0 means "not this one".
        assertLanguage("nl", englishBrowser.getWith("/", "Accept-Language", "en;q=0.2, nl;q=0.8"), "weights");
        assertLanguage("nl", englishBrowser.getWith("/courses/demo", "Accept-Language", "en;q=0"), "en refused: the course's");
    }

    @Test
    void aVisitorsChoiceIsACookieAndReturnsToTheSamePage() {
        Browser visitor = node.browser();
        visitor.getWith("/courses/demo/spring?tab=modules", "Accept-Language", "nl");
        HttpResponse<Buffer> page = visitor.getWith("/courses/demo/spring?tab=modules", "Accept-Language", "nl");
        assertTrue(page.bodyAsString().contains("name=\"return\" value=\"/courses/demo/spring?tab=modules\""),
                "the switcher returns to this page, query included: " + page.bodyAsString());
        assertTrue(page.bodyAsString().contains("action=\"/language\""), "a switcher on the page");
        HttpResponse<Buffer> switched = visitor.post("/language", "lang", "en", "return", "/courses/demo/spring?tab=modules");
        assertEquals(303, switched.statusCode());
        assertEquals("/courses/demo/spring?tab=modules", switched.getHeader("Location"));
        assertTrue(String.valueOf(switched.headers().getAll("Set-Cookie")).contains(Pages.LANG_COOKIE + "=en"));
        // The choice beats both the browser's language and the course's.
        assertLanguage("en", visitor.getWith("/courses/demo/spring", "Accept-Language", "nl"), "chosen English on the Dutch course");
        assertLanguage("en", visitor.getWith("/courses/demo/nope", "Accept-Language", "nl"), "chosen English on an error page");
        visitor.get("/");
        assertEquals(303, visitor.post("/language", "lang", "nl", "return", "/").statusCode());
        assertLanguage("nl", visitor.getWith("/", "Accept-Language", "en"), "chosen Dutch on the catalogue");
        assertLanguage("nl", visitor.get("/courses/cafe/autumn"), "chosen Dutch on the English course");
        assertLanguage("nl", visitor.get("/signin"), "chosen Dutch on sign-in");
        // On the sign-in page the switch keeps where signing in leads (checked, as sign-in checks it).
        assertTrue(visitor.get("/signin?return=/courses/demo/spring").bodyAsString()
                .contains("name=\"return\" value=\"/signin?return=%2Fcourses%2Fdemo%2Fspring\""), "sign-in keeps its return address");
    }

    @Test
    void aSignedInChoiceIsKeptOnTheAccountAndFollowsThePersonToAnotherBrowser() {
        Browser first = node.browser().signIn("lena@example.org");
        first.get("/me");
        assertEquals(303, first.post("/language", "lang", "nl", "return", "/me").statusCode());
        assertEquals("nl", accountLanguage("lena@example.org"));
        assertLanguage("nl", first.get("/me"), "/me");

        Browser second = node.browser().signIn("lena@example.org"); // no cookie of its own
        assertLanguage("nl", second.getWith("/me", "Accept-Language", "en"), "/me elsewhere");
        assertLanguage("nl", second.getWith("/courses/cafe/autumn", "Accept-Language", "en"), "a cohort page elsewhere");
        assertEquals(303, second.post("/language", "lang", "en", "return", "/me").statusCode());
        assertEquals("en", accountLanguage("lena@example.org"));
    }

    @Test
    void aChoiceMadeBeforeSigningInBecomesTheAccountsUnlessItHasOne() {
        Browser b = node.browser();
        b.get("/");
        assertEquals(303, b.post("/language", "lang", "nl", "return", "/").statusCode());
        b.signIn("mo@example.org");
        assertEquals("nl", accountLanguage("mo@example.org"), "mails to Mo now follow the choice too");

        Browser other = node.browser();
        other.get("/");
        other.post("/language", "lang", "en", "return", "/");
        other.signIn("mo@example.org");
        assertEquals("nl", accountLanguage("mo@example.org"), "a cookie does not overwrite the account's own choice");
    }

    @Test
    void anUnknownLanguageIs400AndChangesNothing() {
        Browser b = node.browser().signIn("nour@example.org");
        b.get("/");
        HttpResponse<Buffer> refused = b.post("/language", "lang", "fr", "return", "/");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.bodyAsString().contains("Choose English (en) or Dutch (nl)."), refused.bodyAsString());
        assertFalse(String.valueOf(refused.headers().getAll("Set-Cookie")).contains(Pages.LANG_COOKIE), "no cookie");
        assertEquals(400, b.post("/language", "return", "/").statusCode(), "no language at all");
        assertNull(accountLanguage("nour@example.org"), "nothing stored");
        assertEquals(403, b.postWithoutCsrf("/language", "lang", "nl").statusCode(), "a forged switch is refused");
        assertNull(accountLanguage("nour@example.org"));
    }

    @Test
    void everyKindOfPageSpeaksTheChosenLanguage() {
        Browser ann = node.browser().signIn("ann@example.org");
        ann.get("/courses/demo/spring");
        assertEquals(303, ann.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        ann.get("/");
        ann.post("/language", "lang", "en", "return", "/");
        String[] pages = {"/", "/me", "/me/access", "/me/notifications", "/me/calendar", "/courses/demo", "/courses/demo/spring",
                "/courses/demo/spring/modules/week-1", "/courses/demo/spring/modules/week-2", "/courses/demo/nope", "/signin"};
        for (String page : pages) assertLanguage("en", ann.getWith(page, "Accept-Language", "nl"), page);
        HttpResponse<Buffer> module = ann.get("/courses/demo/spring/modules/week-1");
        assertTrue(module.bodyAsString().contains("<strong>week one</strong>"), "the course's content itself is unchanged");
        assertTrue(module.bodyAsString().contains("<article class=\"module-content\" lang=\"nl\">"),
                "and marked as the course's language, for screen readers and translation tools");
        ann.post("/language", "lang", "nl", "return", "/");
        for (String page : pages) assertLanguage("nl", ann.getWith(page, "Accept-Language", "en"), page);
        assertLanguage("nl", ann.get("/courses/cafe/autumn"), "the English course's cohort");
    }

    @Test
    void apiProblemsFollowTheRequestsAcceptLanguage() {
        Browser b = node.browser();
        HttpResponse<Buffer> dutch = b.getWith("/api/v1/courses/cafe/nope", "Accept-Language", "nl");
        assertEquals(404, dutch.statusCode());
        JsonObject problem = dutch.bodyAsJsonObject();
        assertEquals("Deze pagina bestaat niet. Controleer het adres, of begin bij de lijst met cursussen.", problem.getString("detail"));
        assertEquals("Niet gevonden", problem.getString("title"));
        assertEquals("error.notFound", problem.getString("code"), "the code stays the same in every language");
        assertEquals("nl", dutch.getHeader("Content-Language"));
        HttpResponse<Buffer> english = b.getWith("/api/v1/courses/demo/nope", "Accept-Language", "en-GB");
        assertEquals("Not found", english.bodyAsJsonObject().getString("title"));
        assertEquals("en", english.getHeader("Content-Language"));
        // No header: the course's language for the course's paths, else English.
        assertEquals("nl", b.get("/api/v1/courses/demo/nope").getHeader("Content-Language"));
        assertEquals("en", b.get("/api/v1/nothing-here").getHeader("Content-Language"));
        // For the API a request's header comes before a stored choice: clients negotiate per request.
        b.get("/");
        b.post("/language", "lang", "nl", "return", "/");
        assertEquals("en", b.getWith("/api/v1/courses/demo/nope", "Accept-Language", "en").getHeader("Content-Language"));
        assertEquals("nl", b.get("/api/v1/courses/cafe/nope").getHeader("Content-Language"), "without a header the choice counts");
    }

    @Test
    void aLockedModuleSaysKindlyWhenItOpensOnceAndLeadsBackToTheCohort() {
        Browser bo = node.browser().signIn("bo@example.org");
        bo.get("/courses/demo/spring");
        assertEquals(303, bo.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        bo.get("/");
        bo.post("/language", "lang", "en", "return", "/");

        HttpResponse<Buffer> locked = bo.get("/courses/demo/spring/modules/week-2");
        assertEquals(403, locked.statusCode(), "the content is still refused");
        String html = locked.bodyAsString();
        assertTrue(html.contains("<h1>Not open yet</h1>"), html);
        assertFalse(html.contains("Not allowed"), "not headed as a prohibition");
        assertEquals(1, count(html, "Monday 11 March 2030, 09:00"), "the date once: " + html);
        assertTrue(html.contains("“Week two” opens on Monday 11 March 2030, 09:00. Come back then!"), html);
        assertTrue(html.contains("href=\"/courses/demo/spring\"") && html.contains("Back to the cohort"), "a way back");
        assertFalse(html.contains("The second week"), "no content of the module");

        bo.post("/language", "lang", "nl", "return", "/");
        String dutch = bo.get("/courses/demo/spring/modules/week-2").bodyAsString();
        assertTrue(dutch.contains("<h1>Nog niet open</h1>"), dutch);
        assertFalse(dutch.contains("Niet toegestaan"));
        assertEquals(1, count(dutch, "maandag 11 maart 2030 om 09:00"), "in the reader's language, once: " + dutch);
        assertTrue(dutch.contains("Terug naar de groep"));
    }

    @Test
    void onlyAPageWhoseViewerMayReceiveTheCohortsEventsSubscribesToThem() {
        Browser visitor = node.browser();
        assertFalse(visitor.get("/courses/demo/spring").bodyAsString().contains("data-live="), "a visitor's page opens no stream");
        Browser outsider = node.browser().signIn("out@example.org");
        assertFalse(outsider.get("/courses/demo/spring").bodyAsString().contains("data-live="), "nor does a non-member's");
        Browser member = node.browser().signIn("cy@example.org");
        member.get("/courses/demo/spring");
        member.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        assertTrue(member.get("/courses/demo/spring").bodyAsString().contains("data-live=\"/courses/demo/spring/events\""), "a member's does");
        Browser facilitator = node.browser().signIn("fac@example.org");
        assertTrue(facilitator.get("/courses/demo/spring").bodyAsString().contains("data-live=\"/courses/demo/spring/events\""),
                "a facilitator's does");
        // The route still refuses those whose page does not ask.
        assertEquals(303, RawHttp.get(node.port(), "/courses/demo/spring/events", "Host: localhost", "Accept: text/event-stream").status(),
                "a visitor is sent to sign in");
        assertEquals(403, outsider.getWith("/courses/demo/spring/events", "Accept", "text/event-stream").statusCode());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    private static String accountLanguage(String email) {
        return Await.await(node.app.pool().preparedQuery("SELECT language FROM account WHERE lower(email) = $1").execute(Tuple.of(email)))
                .iterator().next().getString(0);
    }
}
