package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HtmlEscaperTest {

    private final HtmlEscaper escaper = new HtmlEscaper();

    @Test
    void escapesTheHtmlSpecials() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&#x60;",
                escaper.escape("<a href=\"x\" title='y'>&`").toString());
    }

    @Test
    void leavesPlainTextAloneWithoutCopying() {
        String plain = "Week 1: Dokters versus internet, 09:00 = fine";
        assertSame(plain, escaper.escape(plain));
    }

    @Test
    void escapedTextNeverContainsARawSpecial() {
        Random random = new Random(42);
        String alphabet = "ab<>&\"'`= \n";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(30); j > 0; j--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String out = escaper.escape(sb.toString()).toString();
            String withoutEntities = out.replaceAll("&(amp|lt|gt|quot|#x27|#x60);", "");
            for (char c : "<>\"'`".toCharArray()) {
                assertEquals(-1, withoutEntities.indexOf(c), sb + " -> " + out);
            }
            assertEquals(-1, withoutEntities.indexOf('&'), sb + " -> " + out);
        }
    }
}
