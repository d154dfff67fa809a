package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The language rule as pure functions: every combination of choice, cookie, browser and course. */
class LanguageChoiceTest {

    // Every kind of value each source can bring: nothing, either language, something we do not speak, junk.
    private static final List<String> STORED = Arrays.asList(null, "en", "nl", "fr", "", "NL", "nl-BE");
    private static final List<String> HEADERS = Arrays.asList(null, "en", "nl", "fr", "nl-BE,nl;q=0.9", "fr, nl;q=0.1", "nl;q=0", "-", ",;q=");
    private static final List<String> COURSES = Arrays.asList(null, "en", "nl", "nl-NL", "de");

    @Test
    void theChoiceThenTheBrowserThenTheCourseThenEnglish() {
        for (String account : STORED) for (String cookie : STORED) for (String header : HEADERS) for (String course : COURSES) {
            String expected;
            if ("en".equals(account) || "nl".equals(account)) expected = account;
            else if ("en".equals(cookie) || "nl".equals(cookie)) expected = cookie;
            else if (Pages.fromAcceptLanguage(header) != null) expected = Pages.fromAcceptLanguage(header);
            else if (course != null) expected = Messages.supported(course);
            else expected = "en";
            String where = account + "/" + cookie + "/" + header + "/" + course;
            assertEquals(expected, Pages.choose(account, cookie, header, course), where);
            String api = Pages.fromAcceptLanguage(header) != null ? Pages.fromAcceptLanguage(header) : Pages.choose(account, cookie, null, course);
            assertEquals(api, Pages.chooseForApi(account, cookie, header, course), "api " + where);
        }
    }

    @Test
    void aStoredChoiceIsTakenOnlyAsTheSwitcherWritesIt() {
        assertEquals("nl", Pages.choose("nl", "en", "en", "en"));
        assertEquals("en", Pages.choose(null, "en", "nl", "nl"));
        assertEquals("nl", Pages.choose("fr", "NL", "nl", "en"), "unknown values count as no choice");
        assertEquals("nl", Pages.choose(null, null, null, "nl"));
        assertEquals("en", Pages.choose(null, null, null, null));
        assertEquals("en", Pages.chooseForApi("nl", null, "en-US", "nl"));
        assertEquals("nl", Pages.chooseForApi("nl", null, null, "en"));
    }

    @Test
    void acceptLanguageHonoursWeightsAndIsTotal() {
        assertEquals("nl", Pages.fromAcceptLanguage("nl-BE,nl;q=0.9,en;q=0.8"));
        assertEquals("en", Pages.fromAcceptLanguage("en-US,en;q=0.9"));
        assertEquals("nl", Pages.fromAcceptLanguage("en;q=0.5, nl"), "the weight, not the order");
        assertEquals("nl", Pages.fromAcceptLanguage("fr, nl;q=0.3, en;q=0.2"));
        assertEquals("nl", Pages.fromAcceptLanguage("nl;q=0.5, en;q=0.5"), "a tie keeps the order given");
        assertNull(Pages.fromAcceptLanguage("nl;q=0, fr"), "q=0 refuses");
        assertNull(Pages.fromAcceptLanguage("nl;q=0.000"));
        assertNull(Pages.fromAcceptLanguage("*"), "any language: no preference of its own");
        assertNull(Pages.fromAcceptLanguage(null));
        for (String junk : List.of("", ",", "-", ";", ";q=x,,*;q=", "nl;q=2", "nl;q=abc", "nl;x=1", "a-".repeat(2000), "\u0000")) {
            assertNull(Pages.fromAcceptLanguage(junk), junk);
        }
        assertEquals("nl", Pages.fromAcceptLanguage("NL-be ; q = 0.7"));
    }

    @Test
    void errorPagesFindTheirCourseAndCohortFromThePath() {
        assertEquals(Optional.of("demo"), ErrorHandler.courseId("/courses/demo"));
        assertEquals(Optional.of("demo"), ErrorHandler.courseId("/courses/demo/spring/modules/week-2"));
        assertEquals(Optional.of("demo"), ErrorHandler.courseId("/api/v1/courses/demo/spring"));
        assertEquals(Optional.empty(), ErrorHandler.courseId("/courses/"));
        assertEquals(Optional.empty(), ErrorHandler.courseId("/me"));
        assertEquals(Optional.empty(), ErrorHandler.courseId("/api/v1/courses"));
        assertEquals(Optional.empty(), ErrorHandler.courseId(null));
        assertEquals(Optional.of("/courses/demo/spring"), ErrorHandler.cohortPath("/courses/demo/spring/modules/week-2"));
        assertEquals(Optional.of("/courses/demo/spring"), ErrorHandler.cohortPath("/courses/demo/spring/threads/4"));
        assertEquals(Optional.empty(), ErrorHandler.cohortPath("/courses/demo/spring"));
        assertEquals(Optional.empty(), ErrorHandler.cohortPath("/courses//spring/x"));
        assertEquals(Optional.empty(), ErrorHandler.cohortPath("/api/v1/courses/demo/spring/modules/x"));
        assertEquals(Optional.empty(), ErrorHandler.cohortPath(null));
    }
}
