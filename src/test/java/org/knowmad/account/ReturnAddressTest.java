package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The return address after sign-in: a path on this site or "/", whatever a browser would make of the text. */
class ReturnAddressTest {

    /** Each of these, put in a Location header, leaves the site, splits the header, or is not a plain path. */
    static final List<String> HOSTILE = List.of(
            "/\t/evil.example/", "/\t\\evil.example", "/\\evil.example", "/\\/evil.example", "\\\\evil.example", "\\/evil.example",
            "//evil.example", "///evil.example", "////evil.example", "/.//evil.example", "/a//b", "/%09/..//evil.example",
            "/\n/evil.example", "/\r/evil.example", "/\r\nSet-Cookie: x=1", "/\u000b/evil.example", "/\u000c/evil.example",
            "/\u0000", "/\u007f/evil.example", "/\u0085/evil.example", "/ /evil.example", " /me", "/me ", "/me\t", "\t/me",
            "/\u00a0/evil.example", "/\u2028/evil.example", "/\u2029", "/\u3000/evil.example", "/\u200b/evil.example",
            "/\ufeff/evil.example", "/\uff0f\uff0fevil.example", "/\u2215\u2215evil.example", "/caf\u00e9",
            "https://evil.example", "http:/evil.example", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>", "mailto:a@evil.example", "evil.example", "me", "./me", "../me", "?x=1", "#top",
            "/%", "/%zz", "/<script>", "/\"onmouseover=\"x", "/a b", "/" + "a".repeat(500));

    static final List<String> FINE = List.of(
            "/", "/me", "/me/notifications", "/courses/demo/spring", "/courses/demo/spring/modules/week-1",
            "/courses/demo/spring/search?q=hello%20world&page=2", "/courses/demo/spring#meetup", "/signin?return=%2Fme",
            "/%2F%2Fevil.example", "/@evil.example", "/a:b", "/a;b", "/~x", "/" + "a".repeat(499));

    @Test
    void hostileAddressesFallBackToTheFrontPage() {
        for (String s : HOSTILE) {
            assertEquals("/", SigninService.safeReturn(s), () -> "accepted: " + s.chars().mapToObj(c -> c < 0x21 || c > 0x7e
                    ? String.format("\\u%04x", c) : String.valueOf((char) c)).reduce("", String::concat));
        }
    }

    @Test
    void pathsOnThisSiteAreKept() {
        for (String s : FINE) assertEquals(s, SigninService.safeReturn(s), s);
    }

    @Test
    void noAddressMeansNone() {
        assertNull(SigninService.safeReturn(null));
        assertNull(SigninService.safeReturn(""));
    }
}
