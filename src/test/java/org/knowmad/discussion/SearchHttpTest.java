package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

@ExtendWith(VertxExtension.class)
class SearchHttpTest {

    private static TestNode node;
    private static MutableClock clock;
    private static ApiUser writer;
    private static ApiUser reader;
    private static ApiUser facilitator;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        writer = participant("writer@example.org");
        reader = participant("reader@example.org");
        facilitator = ApiUser.create(node, clock, "fac@example.org");
        long id = thread(writer, "week-1", "Learning from failure", "We were failing often, and it taught us <script>alert(1)</script> humility.");
        writer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "Working out loud helps trust grow."));
        thread(facilitator, "week-2", "Preparing trust exercises", "Trust will be next week's topic.");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        return ApiUser.joined(node, clock, email, "spring");
    }

    private static long thread(ApiUser who, String module, String title, String body) {
        var r = who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/" + module + "/threads", new JsonObject().put("title", title).put("body", body));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private static JsonArray search(ApiUser who, String q) {
        var r = who.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonArray("hits");
    }

    @Test
    void findsWordsByTheirStemAndHighlightsThemSafely() {
        JsonArray hits = search(reader, "fail");
        assertEquals(1, hits.size(), hits.encode());
        String snippet = hits.getJsonObject(0).getString("snippetHtml");
        assertTrue(snippet.contains("<mark>failing</mark>"), snippet);
        assertFalse(snippet.contains("<script>"), "the snippet is escaped");
        assertTrue(search(reader, "\"working out loud\"").size() >= 1);
        assertTrue(search(reader, "failure").getJsonObject(0).getString("title").contains("failure"), "titles are searched too");
    }

    @Test
    void onlyWhatTheSearcherMaySee() {
        assertEquals(1, search(reader, "trust").size(), "the thread in locked week 2 is not found by participants");
        assertEquals(2, search(facilitator, "trust").size(), "facilitators see every module");
        ApiUser outsider = ApiUser.create(node, clock, "outsider@example.org");
        assertEquals(403, outsider.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=trust", null).statusCode());
        assertEquals(400, reader.call(HttpMethod.GET, "/api/v1/courses/demo/spring/search?q=" + "x".repeat(201), null).statusCode());
        assertEquals(0, search(reader, "   ").size());
    }

    @Test
    void theSearchPageWorksWithoutJavaScript() {
        Browser b = node.browser().signIn("reader@example.org");
        String html = b.get("/courses/demo/spring/search?q=humility").bodyAsString();
        assertTrue(html.contains("Learning from failure"));
        assertTrue(html.contains("<mark>humility</mark>"));
        assertTrue(b.get("/courses/demo/spring/search?q=%3Cb%3Ezebra").bodyAsString().contains("Nothing found for &lt;b&gt;zebra"));
    }
}
