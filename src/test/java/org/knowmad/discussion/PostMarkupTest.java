package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Templates;

/** Kept post markup: the same as rendering afresh, a new version shows at once, and only the buttons get the viewer's token. */
class PostMarkupTest {

    private final Pages pages = new Pages(new Templates(new Messages()), new Messages(), false);
    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    private static PostMarkup.Face face(int number, String html, String lang) {
        return new PostMarkup.Face(number, Instant.parse("2026-12-01T09:30:00Z"), false, false, false, "Anna", html, null, false, null,
                false, false, false, false, lang, ZONE);
    }

    private static PostMarkup.Actions buttons(int number, int helpful, boolean canFlag, boolean canMark) {
        return new PostMarkup.Actions(number, "/courses/c/k/threads/7", "en", helpful, false, true, false, false, false, 0, canMark,
                false, false, false, false, canFlag, false, false, false, 0, false, false, false);
    }

    private String page(PostMarkup markup, PostMarkup.Face face, PostMarkup.Actions buttons, String csrf, String idem) {
        Buffer out = Buffer.buffer();
        markup.append(out, face, buttons, csrf.getBytes(StandardCharsets.UTF_8), idem.getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void keptMarkupIsWhatAFreshRenderGivesWithTheViewersTokenFilledIn() {
        PostMarkup kept = new PostMarkup(pages);
        PostMarkup.Face face = face(3, "<p>Hello</p>", "en");
        PostMarkup.Actions buttons = buttons(3, 2, true, true);
        String first = page(kept, face, buttons, "tokenA", "keyA");
        String again = page(kept, face, buttons, "tokenB", "keyB");
        String fresh = page(new PostMarkup(pages), face, buttons, "tokenB", "keyB");
        assertEquals(fresh, again, "a kept post renders as a fresh one");
        assertTrue(first.contains("value=\"tokenA\"") && first.contains("value=\"keyA-p3\""), first);
        assertTrue(again.contains("value=\"tokenB\"") && !again.contains("tokenA") && !again.contains("keyA"), again);
        assertFalse(again.contains(PostMarkup.CSRF_SLOT) || again.contains(PostMarkup.IDEM_SLOT));
        assertTrue(again.contains("<p>Hello</p>") && again.endsWith("</article>\n"));
    }

    @Test
    void aNewVersionOrAnotherViewersRightsIsANewEntry() {
        PostMarkup kept = new PostMarkup(pages);
        page(kept, face(3, "<p>Hello</p>", "en"), buttons(3, 2, true, true), "t", "k");
        assertTrue(page(kept, face(3, "<p>Edited</p>", "en"), buttons(3, 2, true, true), "t", "k").contains("<p>Edited</p>"));
        assertTrue(page(kept, face(3, "<p>Hello</p>", "en"), buttons(3, 5, true, true), "t", "k").contains("· 5"));
        String noFlag = page(kept, face(3, "<p>Hello</p>", "en"), buttons(3, 2, false, false), "t", "k");
        assertFalse(noFlag.contains("/flag\"") || noFlag.contains("/mark\""), noFlag);
        assertNotEquals(page(kept, face(3, "<p>Hello</p>", "nl"), buttons(3, 2, true, true), "t", "k"),
                page(kept, face(3, "<p>Hello</p>", "en"), buttons(3, 2, true, true), "t", "k"));
    }

    @Test
    void aSlotTypedIntoAPostIsNeverFilled() {
        PostMarkup kept = new PostMarkup(pages);
        String body = "<p>" + PostMarkup.CSRF_SLOT + " " + PostMarkup.IDEM_SLOT + "</p>";
        String html = page(kept, face(4, body, "en"), buttons(4, 0, true, true), "secretToken", "key");
        assertTrue(html.contains(body), "the post's own text is left as it is");
        assertTrue(html.indexOf("secretToken") > html.indexOf("<footer"), "the token appears only in the buttons");
    }

    @Test
    void markersOfRemovedPostsHaveNoButtons() {
        PostMarkup kept = new PostMarkup(pages);
        PostMarkup.Face removed = new PostMarkup.Face(5, null, true, false, false, null, null, null, false, null, false, false, false,
                false, "en", ZONE);
        String html = page(kept, removed, null, "t", "k");
        assertFalse(html.contains("<footer") || html.contains("value=\"t\""), html);
        assertTrue(html.contains("id=\"post-5\"") && html.endsWith("</article>\n"));
    }

    @Test
    void fillingReplacesEverySlotAndNothingElse() {
        Random random = new Random(13);
        String[] pieces = {"a", "<b>", "·", "é", PostMarkup.CSRF_SLOT, PostMarkup.IDEM_SLOT, "knowmad-", "-slot", "\"", ""};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder html = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                String piece = pieces[random.nextInt(pieces.length)];
                html.append(piece);
            }
            // The expected text, built independently: replace slot by slot from the left.
            String s = html.toString();
            int i = 0;
            while (i < s.length()) {
                if (s.startsWith(PostMarkup.CSRF_SLOT, i)) { expected.append("TOKEN"); i += PostMarkup.CSRF_SLOT.length(); }
                else if (s.startsWith(PostMarkup.IDEM_SLOT, i)) { expected.append("KEY"); i += PostMarkup.IDEM_SLOT.length(); }
                else expected.append(s.charAt(i++));
            }
            Buffer out = Buffer.buffer("head:");
            PostMarkup.Kept.of(s).appendTo(out, "TOKEN".getBytes(StandardCharsets.UTF_8), "KEY".getBytes(StandardCharsets.UTF_8));
            assertEquals("head:" + expected, out.toString(StandardCharsets.UTF_8), s);
        }
    }
}
