package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownTest {

    private final Markdown markdown = new Markdown();

    @Test
    void rendersFormattingListsTablesAndLinks() {
        String html = markdown.toHtml("# Title\n\n**bold** and *em*\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)");
        assertTrue(html.contains("<h1>Title</h1>"));
        assertTrue(html.contains("<strong>bold</strong>"));
        assertTrue(html.contains("<li>a</li>"));
        assertTrue(html.contains("<table>"));
        assertTrue(html.contains("href=\"https://example.org\""));
        assertTrue(html.contains("rel=\"nofollow ugc noopener\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"http://example.org/a.png\" onload=\"alert(1)\">",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<p onclick=\"alert(1)\">x</p>",
            "<object data=\"x\"></object>",
            "<form action=\"https://evil.example\"><input></form>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "![x](javascript:alert(1))",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<base href=\"https://evil.example/\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<IMG SRC=JaVaScRiPt:alert(1)>",
            "<img src=\"x\" onerror=\"alert(1)\"/>",
            "<body onload=alert(1)>",
            "<input autofocus onfocus=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "<video><source onerror=\"alert(1)\"></video>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<a href=\"  javascript:alert(1)\">x</a>",
            "<a href=\"java\u0000script:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "[x](javascript&colon;alert(1))",
            "[x](<javascript:alert(1)>)",
            "<scr<script>ipt>alert(1)</script>",
            "<<script>alert(1);//<</script>",
            "<embed src=\"https://evil.example/x.swf\">",
            "<link rel=stylesheet href=\"https://evil.example/x.css\">",
            "<textarea><script>alert(1)</script></textarea>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
            "<svg><script>alert(1)</script></svg>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
            "<div onmouseover=\"alert(1)\">hover</div>",
            "```html\n<script>alert(1)</script>\n```",
            "`<script>alert(1)</script>`",
            "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
            "<img src=\"https://example.org/a.png\" style=\"position:fixed\">",
            "<button formaction=\"javascript:alert(1)\">x</button>",
            "<isindex action=\"javascript:alert(1)\" type=image>",
            "<marquee onstart=alert(1)>x</marquee>",
            "<applet code=\"x\"></applet>",
    })
    void noScriptStyleOrEventHandlerSurvives(String payload) {
        String html = markdown.toHtml(payload).toLowerCase();
        for (String bad : List.of("<script", "onerror", "onload", "onclick", "onfocus", "ontoggle", "onmouseover", "onstart",
                "javascript:", "vbscript:", "<iframe", "<style", "<svg", "<object", "<form", "<base", "<meta", "data:text",
                "<embed", "<link", "<input", "<button", "<video", "<applet", "<isindex", "style=", "formaction", "background=")) {
            assertFalse(html.contains(bad), payload + " -> " + html);
        }
    }

    @Test
    void imagesOnlyOverHttps() {
        assertTrue(markdown.toHtml("![a](https://example.org/a.png)").contains("<img"));
        assertFalse(markdown.toHtml("![a](http://example.org/a.png)").contains("<img src=\"http:"));
    }

    @Test
    void emptyIsEmpty() {
        assertEquals("", markdown.toHtml(""));
        assertEquals("", markdown.toHtml(null));
    }
}
