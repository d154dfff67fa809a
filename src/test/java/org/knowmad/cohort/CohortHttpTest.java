package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

@ExtendWith(VertxExtension.class)
class CohortHttpTest {

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), new MutableClock(Fixtures.SPRING_DAY_2), Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void visitorsSeeTheCatalogueAndCohortOverviewButNoContent() {
        Browser visitor = node.browser();
        HttpResponse<Buffer> catalogue = visitor.get("/");
        assertEquals(200, catalogue.statusCode());
        assertTrue(catalogue.bodyAsString().contains("Demo course"));
        assertTrue(catalogue.bodyAsString().contains("/courses/demo/spring"));
        HttpResponse<Buffer> home = visitor.get("/courses/demo/spring");
        assertEquals(200, home.statusCode());
        assertTrue(home.bodyAsString().contains("Week two"));
        assertEquals(303, visitor.get("/courses/demo/spring/modules/week-1").statusCode(), "sent to sign in");
        assertEquals(404, visitor.get("/courses/demo/nope").statusCode());
        assertEquals(404, visitor.get("/courses/nope/spring").statusCode());
    }

    @Test
    void joiningNeedsTheGuidelinesThenOpenModulesReadAndLockedOnesSay403WithTheDate() {
        Browser ann = node.browser().signIn("ann@example.org");
        ann.get("/courses/demo/spring");
        HttpResponse<Buffer> notAccepted = ann.post("/courses/demo/spring/join");
        assertEquals(400, notAccepted.statusCode());
        assertTrue(notAccepted.bodyAsString().contains("accept the community guidelines"));
        assertEquals(403, ann.get("/courses/demo/spring/modules/week-1").statusCode(), "not yet joined");

        ann.get("/courses/demo/spring");
        assertEquals(303, ann.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        HttpResponse<Buffer> week1 = ann.get("/courses/demo/spring/modules/week-1");
        assertEquals(200, week1.statusCode());
        String html = week1.bodyAsString();
        assertTrue(html.contains("<strong>week one</strong>"));
        assertFalse(html.contains("<script>alert"), "Markdown is sanitised");
        assertTrue(html.contains("rel=\"nofollow ugc noopener\""));

        HttpResponse<Buffer> week2 = ann.get("/courses/demo/spring/modules/week-2");
        assertEquals(403, week2.statusCode());
        assertTrue(week2.bodyAsString().contains("Monday 11 March 2030, 09:00"), week2.bodyAsString());

        HttpResponse<Buffer> api = ann.json(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-2", null);
        assertEquals(403, api.statusCode());
        assertEquals("application/problem+json", api.getHeader("Content-Type"));
        assertEquals("2030-03-11T09:00+01:00", api.bodyAsJsonObject().getString("opensAt"));

        JsonObject cohort = ann.json(HttpMethod.GET, "/api/v1/courses/demo/spring", null).bodyAsJsonObject();
        JsonArray modules = cohort.getJsonArray("modules");
        assertEquals("open", modules.getJsonObject(0).getString("state"));
        assertEquals("locked", modules.getJsonObject(1).getString("state"));
        assertTrue(cohort.getBoolean("enrolled"));
    }

    @Test
    void lockedPagesSpeakTheViewersLanguage() {
        Browser bo = node.browser().signIn("bo@example.org");
        bo.get("/courses/demo/spring");
        bo.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        bo.get("/");
        assertEquals(303, bo.post("/language", "lang", "nl", "return", "/").statusCode());
        HttpResponse<Buffer> r = bo.get("/courses/demo/spring/modules/week-2");
        assertEquals(403, r.statusCode());
        assertTrue(r.bodyAsString().contains("maandag 11 maart 2030 om 09:00"), r.bodyAsString());
    }

    @Test
    void selfPacedModulesOpenFromTheParticipantsOwnJoinTime() {
        Browser cy = node.browser().signIn("cy@example.org");
        cy.get("/courses/demo/own-pace");
        assertEquals(303, cy.post("/courses/demo/own-pace/join", "acceptGuidelines", "on").statusCode());
        assertEquals(200, cy.get("/courses/demo/own-pace/modules/week-1").statusCode());
        HttpResponse<Buffer> week2 = cy.get("/courses/demo/own-pace/modules/week-2");
        assertEquals(403, week2.statusCode());
        // joined 2030-03-05 11:00 local: week 2 opens seven days later at the same local time
        assertTrue(week2.bodyAsString().contains("Tuesday 12 March 2030, 11:00"), week2.bodyAsString());
    }

    @Test
    void closedFullAndInviteOnlyCohortsRefuseWithAReason() {
        Browser dee = node.browser().signIn("dee@example.org");
        dee.get("/courses/demo/past");
        HttpResponse<Buffer> closed = dee.post("/courses/demo/past/join", "acceptGuidelines", "on");
        assertEquals(403, closed.statusCode());
        assertTrue(closed.bodyAsString().contains("closed"));

        dee.get("/courses/demo/small");
        assertEquals(303, dee.post("/courses/demo/small/join", "acceptGuidelines", "on").statusCode());
        Browser eve = node.browser().signIn("eve@example.org");
        eve.get("/courses/demo/small");
        assertTrue(eve.get("/courses/demo/small").bodyAsString().contains("1 participant · no places left"));
        HttpResponse<Buffer> full = eve.post("/courses/demo/small/join", "acceptGuidelines", "on");
        assertEquals(409, full.statusCode());
        assertTrue(full.bodyAsString().contains("full"));

        eve.get("/courses/demo/invited");
        assertEquals(403, eve.post("/courses/demo/invited/join", "acceptGuidelines", "on").statusCode());
        Browser fay = node.browser().signIn("fac@example.org");
        fay.get("/courses/demo/invited");
        assertEquals(303, fay.post("/courses/demo/invited/invites").statusCode());
        Matcher m = Pattern.compile("invite=([A-Za-z0-9_-]+)").matcher(fay.get("/courses/demo/invited").bodyAsString());
        assertTrue(m.find(), "the facilitator sees the invite link");
        eve.get("/courses/demo/invited?invite=" + m.group(1));
        assertEquals(303, eve.post("/courses/demo/invited/join", "acceptGuidelines", "on", "invite", m.group(1)).statusCode());
        assertEquals(200, eve.get("/courses/demo/invited/modules/week-1").statusCode());

        eve.get("/courses/demo/invited");
        assertEquals(303, eve.post("/courses/demo/invited/leave").statusCode());
        assertEquals(403, eve.get("/courses/demo/invited/modules/week-1").statusCode(), "left: content closed again");
    }

    @Test
    void facilitatorsSeeEverythingAndPreviewAsAParticipantAtADate() {
        Browser fay = node.browser().signIn("fac@example.org");
        HttpResponse<Buffer> early = fay.get("/courses/demo/spring/modules/week-3");
        assertEquals(200, early.statusCode());
        assertTrue(early.bodyAsString().contains("Participants cannot see this module yet"));
        HttpResponse<Buffer> preview = fay.get("/courses/demo/spring?as=2030-03-12T10:00");
        assertEquals(200, preview.statusCode());
        String html = preview.bodyAsString();
        assertTrue(html.contains("Preview"));
        assertTrue(html.contains("id=\"module-week-2\"") && html.matches("(?s).*module-week-2\">.*?module.*open.*"));
        assertEquals(403, fay.get("/courses/demo/spring/modules/week-3?as=2030-03-12T10:00").statusCode(),
                "as a participant on 12 March, week 3 is still locked");
        assertEquals(400, fay.get("/courses/demo/spring?as=tomorrow").statusCode());

        Browser someone = node.browser().signIn("nosy@example.org");
        assertEquals(403, someone.get("/courses/demo/spring?as=2030-03-12T10:00").statusCode(), "only facilitators preview");
    }

    @Test
    void facilitatorsStartACohortFromTheWebOnce() {
        Browser fay = node.browser().signIn("fac@example.org");
        fay.get("/courses/demo");
        HttpResponse<Buffer> made = fay.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00", "id", "autumn", "_idem", "k-1");
        assertEquals(303, made.statusCode());
        assertEquals("/courses/demo/autumn", made.getHeader("Location"));
        assertEquals(303, fay.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00", "id", "autumn", "_idem", "k-1").statusCode(),
                "a double submit repeats the first answer");
        assertEquals(409, fay.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00", "id", "autumn", "_idem", "k-2").statusCode());
        assertEquals(400, fay.post("/courses/demo/cohorts", "starts", "next week", "_idem", "k-3").statusCode());
        assertEquals(400, fay.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00", "id", "Bad Id!", "_idem", "k-4").statusCode());
        assertTrue(fay.get("/").bodyAsString().contains("/courses/demo/autumn"));

        Browser gus = node.browser().signIn("gus@example.org");
        gus.get("/courses/demo/autumn");
        assertEquals(303, gus.post("/courses/demo/autumn/join", "acceptGuidelines", "on").statusCode());
        assertEquals(403, gus.get("/courses/demo/autumn/modules/week-1").statusCode(), "the new cohort has not started yet");
        gus.get("/courses/demo");
        assertEquals(403, gus.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00").statusCode(), "participants cannot start cohorts");
    }

    @Test
    void facilitatorsStartACohortThroughTheApi() {
        Browser fay = node.browser().signIn("fac@example.org");
        HttpResponse<Buffer> made = fay.json(HttpMethod.POST, "/api/v1/courses/demo/cohorts",
                new JsonObject().put("id", "winter").put("starts", "2030-12-02T09:00").put("capacity", 30));
        assertEquals(201, made.statusCode());
        assertEquals("/courses/demo/winter", made.bodyAsJsonObject().getString("path"));
        assertEquals(30, fay.json(HttpMethod.GET, "/api/v1/courses/demo/winter", null).bodyAsJsonObject().getInteger("capacity"));
        assertEquals(400, fay.json(HttpMethod.POST, "/api/v1/courses/demo/cohorts",
                new JsonObject().put("starts", "2030-12-02T09:00").put("capacity", "thirty")).statusCode());
        Browser hal = node.browser().signIn("notfac@example.org");
        assertEquals(403, hal.json(HttpMethod.POST, "/api/v1/courses/demo/cohorts", new JsonObject().put("starts", "2030-12-02T09:00")).statusCode());
    }

    @Test
    void apiJoinAndLeave() {
        Browser hal = node.browser().signIn("hal@example.org");
        assertEquals(400, hal.json(HttpMethod.POST, "/api/v1/courses/demo/spring/enrolment", new JsonObject()).statusCode());
        HttpResponse<Buffer> joined = hal.json(HttpMethod.POST, "/api/v1/courses/demo/spring/enrolment", new JsonObject().put("acceptGuidelines", true));
        assertEquals(200, joined.statusCode());
        assertTrue(joined.bodyAsJsonObject().getBoolean("enrolled"));
        assertEquals(200, hal.json(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1", null).statusCode());
        assertEquals(204, hal.json(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());
        assertEquals(404, hal.json(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());
        JsonArray courses = hal.json(HttpMethod.GET, "/api/v1/courses", null).bodyAsJsonObject().getJsonArray("courses");
        assertTrue(courses.stream().map(JsonObject.class::cast).anyMatch(c -> "demo".equals(c.getString("id"))), courses.encode());
    }

    @Test
    void healthMetricsSchemaAndUnknownPaths() {
        Browser b = node.browser();
        HttpResponse<Buffer> health = b.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("up", health.bodyAsJsonObject().getString("database"));
        HttpResponse<Buffer> metrics = b.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.bodyAsString().contains("knowmad_module_releases_total"), "our own counters are exported");
        HttpResponse<Buffer> schema = b.get("/schema/course.json");
        assertEquals(200, schema.statusCode());
        assertTrue(schema.bodyAsString().contains("\"$schema\""));
        assertEquals(404, b.json(HttpMethod.GET, "/api/v1/nothing", null).statusCode());
        assertEquals(200, b.get("/webjars/htmx.org/2.0.10/dist/htmx.min.js").statusCode());
        assertEquals(200, b.get("/assets/knowmad.css").statusCode());
    }
}
