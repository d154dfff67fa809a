package org.knowmad.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** Downloading one's own work: one's own posts and submissions as Markdown, nobody else's. */
@ExtendWith(VertxExtension.class)
class ExportHttpTest {

    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Map<String, String> unzip(HttpResponse<Buffer> r) throws IOException {
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("application/zip", r.getHeader("Content-Type"));
        assertTrue(r.getHeader("Content-Disposition").startsWith("attachment;"));
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body().getBytes()), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        }
        return files;
    }

    @Test
    void myPostsAndMySubmissionNothingOfAnyoneElse() throws IOException {
        ApiUser me = ApiUser.joined(node, clock, "exporter@example.org", "spring");
        ApiUser other = ApiUser.joined(node, clock, "other@example.org", "spring");
        long thread = me.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "What I learned / from ../../ climbing").put("body", "My first thoughts.")).bodyAsJsonObject().getLong("id");
        assertEquals(201, other.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "Someone else's words.")).statusCode());
        assertEquals(201, me.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                new JsonObject().put("body", "My answer to that.").put("replyTo", 2)).statusCode());
        HttpResponse<Buffer> gone = me.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "A post I deleted."));
        int goneNumber = gone.bodyAsJsonObject().getInteger("number");
        assertEquals(200, me.call(HttpMethod.DELETE, "/api/v1/threads/" + thread + "/posts/" + goneNumber, null).statusCode());
        clock.set(Instant.parse("2030-03-19T09:00:00Z")); // week three, with its assignment, is open
        assertEquals(200, me.call(HttpMethod.PUT, "/api/v1/courses/demo/spring/modules/week-3/assignment/submission",
                new JsonObject().put("text", "My practice, submitted.")).statusCode());

        Map<String, String> files = unzip(me.call(HttpMethod.GET, "/api/v1/me/export.zip", null));
        assertTrue(files.containsKey("README.md"));
        String postsFile = files.keySet().stream().filter(f -> f.startsWith("demo/spring/posts/week-1-" + thread + "-")).findFirst().orElseThrow();
        assertEquals("demo/spring/posts/week-1-" + thread + "-what-i-learned-from-climbing.md", postsFile, "a safe name, whatever the title");
        String posts = files.get(postsFile);
        assertTrue(posts.contains("My first thoughts.") && posts.contains("My answer to that."), posts);
        assertFalse(posts.contains("Someone else's words."), "only one's own posts");
        assertFalse(posts.contains("A post I deleted."), "deleted posts stay deleted");
        assertTrue(files.get("demo/spring/submissions/week-3.md").contains("My practice, submitted."));
        assertFalse(String.join("\n", files.values()).contains("other@example.org"));

        Map<String, String> theirs = unzip(other.call(HttpMethod.GET, "/api/v1/me/export.zip", null));
        assertFalse(String.join("\n", theirs.values()).contains("My first thoughts."), "the other person gets their own only");
        assertEquals(2, theirs.size(), "README and their one post");
    }

    @Test
    void fromTheMePageAndOnlyForWhoIsSignedIn() throws IOException {
        Browser p = node.browser().signIn("page-exporter@example.org");
        assertTrue(p.get("/me").bodyAsString().contains("href=\"/me/export.zip\""));
        Map<String, String> files = unzip(p.get("/me/export.zip"));
        assertEquals(1, files.size(), "nothing written yet: only the README");
        int visitor = node.browser().get("/me/export.zip").statusCode();
        assertTrue(visitor == 401 || visitor == 303, "visitors: " + visitor);
    }
}
