package org.knowmad.circles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Circles switched on in the demo course's file (size 5, two backgrounds), off in the café course: opting in, forming
 * with the mixer, a circle's conversation for its members and the facilitators only (every other standing gets a
 * refusal on the page, the API and posting; search does not reach circle posts), leaving, re-forming that adds
 * newcomers without moving anyone, forming on two nodes at once, and bad input.
 */
@ExtendWith(VertxExtension.class)
class CirclesHttpTest {

    private static final String C = "/courses/demo/spring";
    private static final String AC = "/api/v1" + C;
    private static TestNode node;
    private static TestNode second;
    private static MutableClock clock;
    private static ApiUser fac;

    @BeforeAll
    static void start(Vertx vertx) throws IOException {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        Path courses = Fixtures.coursesCopy();
        Files.writeString(courses.resolve("demo/course.yaml"), "\ncircles:\n  size: 5\n  backgrounds: [Care, Education]\n",
                StandardOpenOption.APPEND);
        DatabaseTarget db = TestDatabase.fresh();
        node = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
        second = TestNode.start(vertx, db, courses, clock, Fixtures.tempDir());
        fac = ApiUser.create(node, clock, "fac@example.org");
    }

    @AfterAll
    static void stop() {
        second.close();
        node.close();
    }

    private static long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    private static JsonObject ok(HttpResponse<Buffer> r) {
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static List<ApiUser> optedIn(String prefix, int n) {
        List<ApiUser> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ApiUser u = ApiUser.joined(node, clock, prefix + i + "@example.org", "spring");
            ok(u.call(HttpMethod.PUT, AC + "/circles/participation", new JsonObject().put("background", i % 2 == 0 ? "Care" : "Education")));
            users.add(u);
        }
        return users;
    }

    /** person -> circle, for everyone placed in the cohort now. */
    private static Map<Long, Long> placements() {
        Map<Long, Long> at = new HashMap<>();
        for (var r : Await.await(node.app.pool().query("SELECT account_id, circle_id FROM circle_member WHERE left_at IS NULL "
                + "AND course_id = 'demo' AND cohort_id = 'spring'").execute())) {
            at.put(r.getLong(0), r.getLong(1));
        }
        return at;
    }

    @Test
    void circlesFromOptInToLeaving() {
        List<ApiUser> people = optedIn("p", 11);
        ApiUser outsider = ApiUser.joined(node, clock, "outsider@example.org", "spring"); // enrolled, did not opt in
        ApiUser elsewhere = ApiUser.joined(node, clock, "elsewhere@example.org", "own-pace");

        // Bad input: a background the course does not offer; forming by a participant.
        HttpResponse<Buffer> bad = outsider.call(HttpMethod.PUT, AC + "/circles/participation", new JsonObject().put("background", "Astronaut"));
        assertEquals(400, bad.statusCode(), bad.bodyAsString());
        assertEquals(0, count("SELECT count(*) FROM circle_optin o JOIN account a ON a.id = o.account_id WHERE a.email = 'outsider@example.org'"));
        assertEquals(403, people.get(0).call(HttpMethod.POST, AC + "/circles/formation", null).statusCode());
        assertEquals(403, fac.call(HttpMethod.PUT, AC + "/circles/participation", new JsonObject()).statusCode(), "facilitators read, they do not join");

        // Eleven people make two circles of 6 and 5, each person in exactly one, backgrounds mixed.
        JsonObject formed = ok(fac.call(HttpMethod.POST, AC + "/circles/formation", null));
        assertEquals(2, formed.getInteger("made"));
        assertEquals(11, formed.getInteger("placed"));
        JsonObject all = ok(fac.call(HttpMethod.GET, AC + "/circles", null));
        JsonArray circles = all.getJsonArray("circles");
        assertEquals(2, circles.size());
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < circles.size(); i++) {
            JsonArray members = circles.getJsonObject(i).getJsonArray("members");
            sizes.add(members.size());
            long care = members.stream().filter(m -> "Care".equals(((JsonObject) m).getString("background"))).count();
            assertTrue(care >= 2 && care <= 4, "backgrounds mixed: " + members);
        }
        sizes.sort(null);
        assertEquals(List.of(5, 6), sizes);
        assertEquals(11, placements().size());
        assertEquals(0, all.getLong("waiting"));

        // A member sees their own circle only, with names and backgrounds, and talks there (once per key).
        ApiUser member = people.get(0);
        JsonObject mine = ok(member.call(HttpMethod.GET, AC + "/circles", null));
        long circle = mine.getLong("circle");
        assertEquals(1, mine.getJsonArray("circles").size());
        assertNull(mine.getValue("waiting"));
        long other = circles.getJsonObject(0).getLong("id") == circle ? circles.getJsonObject(1).getLong("id") : circles.getJsonObject(0).getLong("id");
        String path = AC + "/circles/" + circle;
        HttpResponse<Buffer> posted = Await.await(WebClient.create(node.vertx).post(node.port(), "localhost", path + "/posts")
                .bearerTokenAuthentication(member.token()).putHeader("Idempotency-Key", "circle-hello-1")
                .sendJsonObject(new JsonObject().put("body", "Hello circle, **zebracorn** here <script>alert(1)</script>")));
        assertEquals(201, posted.statusCode(), posted.bodyAsString());
        HttpResponse<Buffer> again = Await.await(WebClient.create(node.vertx).post(second.port(), "localhost", path + "/posts")
                .bearerTokenAuthentication(member.token()).putHeader("Idempotency-Key", "circle-hello-1")
                .sendJsonObject(new JsonObject().put("body", "Hello circle, **zebracorn** here <script>alert(1)</script>")));
        assertEquals(posted.bodyAsJsonObject().getLong("id"), again.bodyAsJsonObject().getLong("id"), "a retried post lands once");
        assertEquals(1, count("SELECT count(*) FROM circle_post"));
        ApiUser mate = people.stream().filter(u -> u != member && ok(u.call(HttpMethod.GET, AC + "/circles", null)).getLong("circle") == circle)
                .findFirst().orElseThrow();
        JsonObject page = ok(mate.call(HttpMethod.GET, path, null));
        assertTrue(page.getJsonArray("posts").getJsonObject(0).getString("html").contains("<strong>zebracorn</strong>"));
        assertFalse(page.getJsonArray("posts").getJsonObject(0).getString("html").contains("<script"), "Markdown is sanitised");
        assertNotNull(page.getJsonArray("members").getJsonObject(0).getString("background"));
        assertEquals(400, member.call(HttpMethod.POST, path + "/posts", new JsonObject().put("body", "   ")).statusCode());
        assertEquals(400, member.call(HttpMethod.POST, path + "/posts", new JsonObject().put("body", "x".repeat(CircleService.MAX_BODY + 1))).statusCode());
        assertEquals(1, count("SELECT count(*) FROM circle_post"), "nothing half-written");

        // The page, as the member reads it, and a post from its form.
        Browser browser = node.browser().signIn("p0@example.org");
        HttpResponse<Buffer> html = browser.get(C + "/circles/" + circle);
        assertEquals(200, html.statusCode());
        assertTrue(html.bodyAsString().contains("<strong>zebracorn</strong>"));
        assertFalse(html.bodyAsString().contains("<script>alert"));
        assertEquals(303, browser.post(C + "/circles/" + circle + "/posts", "body", "From the form", "_idem", "form-1").statusCode());
        assertEquals(2, count("SELECT count(*) FROM circle_post"));
        assertTrue(browser.get(C + "/circles").bodyAsString().contains("/circles/" + circle));
        assertTrue(browser.get(C).bodyAsString().contains("circles-link"), "the cohort page links to circles");

        // Everyone else: another circle's member, an enrolled non-member, another cohort's member, a visitor.
        ApiUser otherMember = people.stream().filter(u -> ok(u.call(HttpMethod.GET, AC + "/circles", null)).getLong("circle") == other)
                .findFirst().orElseThrow();
        for (ApiUser stranger : List.of(otherMember, outsider, elsewhere)) {
            int get = stranger.call(HttpMethod.GET, path, null).statusCode();
            int post = stranger.call(HttpMethod.POST, path + "/posts", new JsonObject().put("body", "Let me in")).statusCode();
            assertTrue(get == 403 || get == 404, "GET " + get);
            assertTrue(post == 403 || post == 404, "POST " + post);
        }
        assertEquals(404, outsider.call(HttpMethod.GET, path, null).statusCode());
        assertEquals(0, ok(outsider.call(HttpMethod.GET, AC + "/circles", null)).getJsonArray("circles").size());
        Browser outsiderPage = node.browser().signIn("outsider@example.org");
        assertEquals(404, outsiderPage.get(C + "/circles/" + circle).statusCode());
        assertEquals(404, outsiderPage.post(C + "/circles/" + circle + "/posts", "body", "Let me in").statusCode());
        Browser visitor = node.browser();
        int visitorStatus = visitor.get(C + "/circles/" + circle).statusCode();
        assertTrue(visitorStatus == 303 || visitorStatus == 401, "visitor " + visitorStatus);
        assertEquals(401, Await.await(WebClient.create(node.vertx).get(node.port(), "localhost", path).send()).statusCode());
        assertEquals(2, count("SELECT count(*) FROM circle_post"), "no refused post was written");
        assertFalse(outsider.call(HttpMethod.GET, AC + "/search?q=zebracorn", null).bodyAsString().contains("zebracorn"),
                "search does not reach circle posts");
        assertFalse(member.call(HttpMethod.GET, AC + "/search?q=zebracorn", null).bodyAsString().contains("zebracorn"));

        // Facilitators see every circle and read each.
        assertTrue(ok(fac.call(HttpMethod.GET, path, null)).getJsonArray("posts").size() == 2);
        assertEquals(200, fac.call(HttpMethod.GET, AC + "/circles/" + other, null).statusCode());

        // The pulse counts posting in a circle as taking part (a repeat counts once: the retry above was answered, not posted).
        Await.await(node.app.activity().flush());
        Await.await(second.app.activity().flush());
        assertEquals(2, count("SELECT coalesce(sum(d.replies), 0) FROM activity_day d JOIN account a ON a.id = d.account_id "
                + "WHERE a.email = 'p0@example.org' AND d.module_id = ''"));

        // One's own circle posts are in one's export (and nobody else's).
        assertTrue(exported(member).entrySet().stream().anyMatch(e -> e.getKey().startsWith("demo/spring/circles/circle-")
                && e.getValue().contains("zebracorn")), "the author's export has their circle posts");
        assertFalse(exported(mate).values().stream().anyMatch(v -> v.contains("zebracorn")), "a mate's export has only their own");

        // Leaving: the circle stays for the others; the person no longer sees it.
        JsonObject afterLeaving = ok(member.call(HttpMethod.DELETE, AC + "/circles/participation", null));
        assertNull(afterLeaving.getValue("circle"));
        assertFalse(afterLeaving.getBoolean("optedIn"));
        assertEquals(404, member.call(HttpMethod.GET, path, null).statusCode());
        assertEquals(404, browser.get(C + "/circles/" + circle).statusCode());
        assertEquals(200, mate.call(HttpMethod.GET, path, null).statusCode());

        // Once a cohort has circles, someone who asks joins one with room at once, and nobody else moves.
        Map<Long, Long> before = placements();
        JsonObject joined = ok(outsider.call(HttpMethod.PUT, AC + "/circles/participation", new JsonObject()));
        assertNotNull(joined.getValue("circle"), "placed in a circle with room straight away");
        Map<Long, Long> after = placements();
        before.forEach((who, where) -> assertEquals(where, after.get(who), "nobody moves"));
        assertEquals(before.size() + 1, after.size());
        assertEquals(0, ok(fac.call(HttpMethod.POST, AC + "/circles/formation", null)).getInteger("placed"), "forming again changes nothing");

        // With every circle full, people who ask wait; the facilitators' forming makes new circles for them, and on two
        // nodes at once each new circle is made once and everyone placed once.
        optedIn("q", 9);
        long waiting = ok(fac.call(HttpMethod.GET, AC + "/circles", null)).getLong("waiting");
        assertTrue(waiting >= 4 && waiting <= 9, "waiting " + waiting);
        for (int n : placementsSizes()) assertTrue(n <= 6, "joining never grows a circle past six");
        Future<HttpResponse<Buffer>> a = fac.send(HttpMethod.POST, AC + "/circles/formation", null);
        Future<HttpResponse<Buffer>> b = fac.on(second).send(HttpMethod.POST, AC + "/circles/formation", null);
        JsonObject ra = ok(Await.await(a));
        JsonObject rb = ok(Await.await(b));
        assertEquals(waiting, ra.getInteger("placed") + rb.getInteger("placed"));
        assertTrue(ra.getInteger("made") + rb.getInteger("made") >= 1);
        for (int n : placementsSizes()) assertTrue(n >= 4 && n <= 6, "sizes " + placementsSizes());
        assertEquals(count("SELECT count(*) FROM circle WHERE course_id = 'demo' AND cohort_id = 'spring'"),
                2 + ra.getInteger("made") + rb.getInteger("made"));
        assertEquals(placements().size(), count("SELECT count(DISTINCT account_id) FROM circle_member WHERE left_at IS NULL"));
        assertEquals(20, placements().size());
    }

    private static List<Integer> placementsSizes() {
        Map<Long, Integer> sizes = new HashMap<>();
        placements().values().forEach(c -> sizes.merge(c, 1, Integer::sum));
        return new ArrayList<>(sizes.values());
    }

    private static Map<String, String> exported(ApiUser u) {
        HttpResponse<Buffer> r = u.call(HttpMethod.GET, "/api/v1/me/export.zip", null);
        assertEquals(200, r.statusCode());
        Map<String, String> files = new HashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(r.body().getBytes()))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }

    @Test
    void theFormsAskLeaveAndForm() {
        Browser ann = node.browser().signIn("form-ann@example.org");
        ann.get(C);
        assertEquals(303, ann.post(C + "/join", "acceptGuidelines", "on").statusCode());
        String page = ann.get(C + "/circles").bodyAsString();
        assertTrue(page.contains("id=\"opt-in\"") && page.contains("<option value=\"Care\">"), page);
        assertFalse(page.contains("form-circles"), "participants are not offered forming");
        assertEquals(400, ann.post(C + "/circles/participation", "background", "Nope").statusCode());
        HttpResponse<Buffer> asked = ann.post(C + "/circles/participation", "background", "Care");
        assertEquals(303, asked.statusCode());
        assertTrue(asked.getHeader("Location").endsWith("/circles?joined=1"));
        assertTrue(ann.get(C + "/circles").bodyAsString().contains("id=\"leave\""));
        assertEquals(303, ann.post(C + "/circles/participation/end").statusCode());
        assertTrue(ann.get(C + "/circles").bodyAsString().contains("id=\"opt-in\""));

        Browser fay = node.browser().signIn("fac@example.org");
        String facPage = fay.get(C + "/circles").bodyAsString();
        assertTrue(facPage.contains("form-circles"), facPage);
        assertFalse(facPage.contains("id=\"opt-in\""), "facilitators read circles, they do not join them");
        HttpResponse<Buffer> formed = fay.post(C + "/circles/formation");
        assertEquals(303, formed.statusCode());
        assertTrue(fay.get(formed.getHeader("Location")).bodyAsString().contains("id=\"formed\""));
        assertEquals(403, ann.post(C + "/circles/formation").statusCode());
    }

    @Test
    void aCourseWithoutCirclesHasNone() {
        // The café course has no circles: even its facilitator finds nothing to see or form.
        assertEquals(404, fac.call(HttpMethod.GET, "/api/v1/courses/cafe/autumn/circles", null).statusCode());
        assertEquals(404, fac.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/circles/formation", null).statusCode());
        assertEquals(404, fac.call(HttpMethod.GET, AC + "/circles/999999", null).statusCode());
        assertEquals(404, fac.call(HttpMethod.GET, AC + "/circles/not-a-number", null).statusCode());
    }
}
