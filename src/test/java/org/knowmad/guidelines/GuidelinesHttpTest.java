package org.knowmad.guidelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Guidelines the cohort writes itself, switched on in the demo course's file (cohort_guidelines) and off in the café
 * course: proposing, voting, anonymity, adopting versions, being asked to accept, the window, and bad input.
 */
@ExtendWith(VertxExtension.class)
class GuidelinesHttpTest {

    private static final String C = "/courses/demo/spring";
    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) throws IOException {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        Path courses = Fixtures.coursesCopy();
        Files.writeString(courses.resolve("demo/course.yaml"), "\ncohort_guidelines:\n  propose_for: P7D\n", StandardOpenOption.APPEND);
        node = TestNode.start(vertx, TestDatabase.fresh(), courses, clock, Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void springDayTwo() {
        clock.set(Fixtures.SPRING_DAY_2);
    }

    private static long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    private static Browser member(String email) {
        Browser b = node.browser().signIn(email);
        b.get(C);
        assertEquals(303, b.post(C + "/join", "acceptGuidelines", "on").statusCode());
        return b;
    }

    private static JsonObject page(ApiUser u) {
        HttpResponse<Buffer> r = u.call(HttpMethod.GET, "/api/v1" + C + "/guidelines", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static JsonObject proposal(JsonObject page, String body) {
        JsonArray list = page.getJsonArray("proposals");
        for (int i = 0; i < list.size(); i++) if (list.getJsonObject(i).getString("body").equals(body)) return list.getJsonObject(i);
        throw new AssertionError("no proposal " + body + " in " + list);
    }

    @Test
    void participantsProposeAndVoteTheFacilitatorAdoptsAndEveryoneIsAskedOnce() {
        Browser ann = member("ann@example.org");
        ApiUser annApi = ApiUser.create(node, clock, "ann@example.org");
        ApiUser bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");

        ann.get(C + "/guidelines");
        HttpResponse<Buffer> proposed = ann.post(C + "/guidelines/proposals", "body", "Ask before you quote someone", "_idem", "ann-1");
        assertEquals(303, proposed.statusCode(), proposed.bodyAsString());
        assertEquals(303, ann.post(C + "/guidelines/proposals", "body", "Ask before you quote someone", "_idem", "ann-1").statusCode());
        assertEquals(1, count("SELECT count(*) FROM guideline_proposal"), "the same form sent twice proposes once");
        assertEquals(201, bob.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals",
                new JsonObject().put("body", "Mistakes may be shared").put("anonymous", true)).statusCode());

        JsonObject seenByAnn = page(annApi);
        long bobs = proposal(seenByAnn, "Mistakes may be shared").getLong("id");
        long anns = proposal(seenByAnn, "Ask before you quote someone").getLong("id");
        assertNull(proposal(seenByAnn, "Mistakes may be shared").getString("proposer"), "anonymous to peers");
        assertEquals("bob", proposal(page(fay), "Mistakes may be shared").getString("proposer"), "facilitators know");
        assertEquals("bob", proposal(page(bob), "Mistakes may be shared").getString("proposer"), "and so does the proposer");
        assertEquals("ann", proposal(page(bob), "Ask before you quote someone").getString("proposer"));
        assertTrue(ann.get(C + "/guidelines").bodyAsString().contains("proposed anonymously"));

        assertEquals(200, annApi.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/proposals/" + bobs + "/vote", null).statusCode());
        assertEquals(200, annApi.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/proposals/" + bobs + "/vote", null).statusCode());
        assertEquals(1, proposal(page(annApi), "Mistakes may be shared").getInteger("votes"), "a vote counts once");
        HttpResponse<Buffer> own = annApi.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/proposals/" + anns + "/vote", null);
        assertEquals(409, own.statusCode());
        assertTrue(own.bodyAsString().contains("your own proposal"), own.bodyAsString());
        assertEquals(403, bob.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/versions",
                new JsonObject().put("proposals", new JsonArray().add(bobs))).statusCode(), "participants do not adopt");

        clock.advance(Duration.ofHours(1)); // a day of proposing later
        HttpResponse<Buffer> adopted = fay.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/versions",
                new JsonObject().put("course", new JsonArray().add(0)).put("proposals", new JsonArray().add(bobs)));
        assertEquals(201, adopted.statusCode(), adopted.bodyAsString());
        assertEquals(1, adopted.bodyAsJsonObject().getInteger("version"));

        JsonObject standing = page(annApi).getJsonObject("standing");
        assertEquals(1, standing.getInteger("version"));
        assertEquals("Share experiences, not verdicts", standing.getJsonArray("items").getJsonObject(0).getString("body"));
        assertTrue(standing.getJsonArray("items").getJsonObject(0).getBoolean("fromCourse"));
        assertEquals("Mistakes may be shared", standing.getJsonArray("items").getJsonObject(1).getString("body"));
        assertTrue(standing.getJsonArray("items").getJsonObject(1).getBoolean("anonymous"));

        // Beside every reply form: the adopted set, not the file's.
        long thread = bob.call(HttpMethod.POST, "/api/v1" + C + "/modules/week-1/threads",
                new JsonObject().put("title", "Hello").put("body", "First")).bodyAsJsonObject().getLong("id");
        String threadPage = ann.get(C + "/threads/" + thread).bodyAsString();
        assertTrue(threadPage.contains("Mistakes may be shared"), "the adopted set beside the reply form");
        assertFalse(threadPage.contains("Assume good intent"), "the file's set no longer stands");

        // Asked once: the banner until they accept; someone who joins after the adoption is not asked.
        assertTrue(ann.get(C).bodyAsString().contains("id=\"guidelines-banner\""));
        assertTrue(page(annApi).getBoolean("askToAccept"));
        ann.get(C + "/guidelines");
        assertEquals(303, ann.post(C + "/guidelines/acceptance").statusCode());
        assertFalse(ann.get(C).bodyAsString().contains("id=\"guidelines-banner\""), "accepted: not asked again");
        clock.advance(Duration.ofMinutes(1));
        Browser cleo = member("cleo@example.org");
        assertFalse(cleo.get(C).bodyAsString().contains("id=\"guidelines-banner\""), "joined after the adoption");
        String join = node.browser().signIn("dan@example.org").get(C).bodyAsString();
        assertTrue(join.contains("Mistakes may be shared") && !join.contains("Assume good intent"), "new joiners accept the set that stands");

        // Versions are kept.
        clock.advance(Duration.ofMinutes(1));
        assertEquals(201, fay.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/versions",
                new JsonObject().put("course", new JsonArray().add(0).add(1))).statusCode());
        assertEquals(2, page(fay).getJsonArray("versions").size());
        assertTrue(page(annApi).getBoolean("askToAccept"), "a new version: asked again");
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() {
        ApiUser eve = ApiUser.joined(node, clock, "eve@example.org", "spring");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        long before = count("SELECT count(*) FROM guideline_proposal");
        assertEquals(400, eve.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "  ")).statusCode());
        HttpResponse<Buffer> tooLong = eve.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "x".repeat(281)));
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.bodyAsString().contains("280"), tooLong.bodyAsString());
        assertEquals(before, count("SELECT count(*) FROM guideline_proposal"));
        long versions = count("SELECT count(*) FROM guideline_version");
        assertEquals(400, fay.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/versions", new JsonObject()).statusCode(), "nothing chosen");
        assertEquals(400, fay.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/versions",
                new JsonObject().put("course", new JsonArray().add(7))).statusCode(), "no such course guideline");
        assertEquals(versions, count("SELECT count(*) FROM guideline_version"));
        assertEquals(404, eve.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/proposals/999999/vote", null).statusCode());
        assertEquals(400, fay.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/window", new JsonObject().put("days", 99)).statusCode());
    }

    @Test
    void theWindowClosesAfterTheFilesDaysAndAFacilitatorCanOpenItAgain() {
        ApiUser gus = ApiUser.joined(node, clock, "gus@example.org", "spring");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        clock.set(Instant.parse("2030-03-11T08:01:00Z")); // a week after 2030-03-04 09:00 Amsterdam
        HttpResponse<Buffer> late = gus.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "Late idea"));
        assertEquals(409, late.statusCode());
        assertFalse(page(gus).getBoolean("canPropose"));
        HttpResponse<Buffer> opened = fay.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/window", new JsonObject().put("days", 3));
        assertEquals(200, opened.statusCode(), opened.bodyAsString());
        assertTrue(opened.bodyAsJsonObject().getBoolean("open"));
        assertEquals(201, gus.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "Late idea")).statusCode());
        assertEquals(200, fay.call(HttpMethod.PUT, "/api/v1" + C + "/guidelines/window", new JsonObject().put("days", 0)).statusCode());
        assertEquals(409, gus.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "Later")).statusCode());
    }

    @Test
    void onlyMembersSeeItAndACourseWithoutTheSwitchHasNone() {
        assertEquals(401, node.browser().get("/api/v1" + C + "/guidelines").statusCode());
        ApiUser other = ApiUser.joined(node, clock, "other@example.org", "small");
        assertEquals(403, other.call(HttpMethod.GET, "/api/v1" + C + "/guidelines", null).statusCode());
        assertEquals(403, other.call(HttpMethod.POST, "/api/v1" + C + "/guidelines/proposals", new JsonObject().put("body", "Mine")).statusCode());
        assertFalse(node.browser().get(C).bodyAsString().contains("/guidelines\""), "visitors get no link");
        Browser b = node.browser().signIn("forger@example.org");
        b.get(C);
        b.post(C + "/join", "acceptGuidelines", "on");
        assertEquals(403, b.postWithoutCsrf(C + "/guidelines/proposals", "body", "Forged").statusCode());
        // The café course did not switch it on: no page, no link, its file's guidelines stand.
        ApiUser cafe = ApiUser.create(node, clock, "cafe-member@example.org");
        cafe.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true));
        assertEquals(404, cafe.call(HttpMethod.GET, "/api/v1/courses/cafe/autumn/guidelines", null).statusCode());
        assertEquals(404, cafe.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/guidelines/proposals", new JsonObject().put("body", "x")).statusCode());
    }
}
