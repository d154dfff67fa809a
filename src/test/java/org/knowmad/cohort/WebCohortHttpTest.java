package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.component.VEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
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
 * Starting a cohort on the web, on the Dutch example course: a refused form comes back on the course page in Dutch,
 * filled in, with the message beside the field; web cohorts can be self-paced and have their own meetup; organisers
 * named on the web run the meetup as those of the course file do.
 */
@ExtendWith(VertxExtension.class)
class WebCohortHttpTest {

    /** Tuesday 1 December 2026, 11:00 Amsterdam. */
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(NOW);
        node = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses"), clock, Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Browser anna() {
        Browser anna = node.browser().signIn("anna@example.org");
        anna.get("/courses/knowmad");
        return anna;
    }

    @Test
    void aBadNameComesBackInDutchBesideTheFieldWithEverythingTypedAndNothingWritten() {
        Browser anna = anna();
        HttpResponse<Buffer> bad = anna.post("/courses/knowmad/cohorts", "pace", "fixed", "starts", "2027-03-01T09:00", "id", "Slechte naam!",
                "enrolment", "invite", "capacity", "30", "meetupVenue", "Utrecht <De Werkplaats>", "meetupCapacity", "25", "_idem", "k1");
        assertEquals(400, bad.statusCode());
        String page = bad.bodyAsString();
        assertTrue(page.contains("<html lang=\"nl\""), "the course's language");
        assertTrue(page.contains("<h1>Help! Er zit een knowmad in mijn organisatie</h1>"), "the course page itself, not an error page");
        Matcher id = Pattern.compile("<input type=\"text\" name=\"id\" value=\"([^\"]*)\"[^>]*aria-invalid=\"true\"[^>]*>\\s*"
                + "<small class=\"field-error\" id=\"error-id\" role=\"alert\">([^<]*)</small>").matcher(page);
        assertTrue(id.find(), page);
        assertEquals("Slechte naam!", id.group(1), "the name as typed");
        assertEquals("Een groepsnaam bestaat uit kleine letters, cijfers en streepjes, zoals 2027-03.", id.group(2));
        assertTrue(page.contains("name=\"starts\" value=\"2027-03-01T09:00\""));
        assertTrue(page.contains("<option value=\"invite\" selected>"));
        assertTrue(page.contains("name=\"capacity\" min=\"1\" value=\"30\""));
        assertTrue(page.contains("value=\"Utrecht &lt;De Werkplaats&gt;\""), "typed text is escaped");
        assertTrue(page.contains("name=\"meetupCapacity\" min=\"1\" value=\"25\""));
        assertTrue(page.contains("pattern=\"[a-z0-9][a-z0-9\\-]*\""), "a pattern Chromium's v-mode accepts");
        assertEquals(0, count("SELECT count(*) FROM web_cohort"), "nothing written");
        assertEquals(0, count("SELECT count(*) FROM idempotency_key"), "the key is free for the corrected form");

        HttpResponse<Buffer> taken = anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "2017-01", "_idem", "k2");
        assertEquals(409, taken.statusCode());
        assertTrue(taken.bodyAsString().contains("id=\"error-id\" role=\"alert\">Er is al een groep 2017-01. Kies een andere naam.</small>"));

        HttpResponse<Buffer> noStart = anna.post("/courses/knowmad/cohorts", "pace", "fixed", "id", "voorjaar", "_idem", "k3");
        assertEquals(400, noStart.statusCode());
        assertTrue(noStart.bodyAsString().contains("id=\"error-starts\" role=\"alert\">Een groep die samen optrekt heeft een startdatum en -tijd nodig."));
        assertTrue(noStart.bodyAsString().contains("name=\"id\" value=\"voorjaar\""));

        HttpResponse<Buffer> early = anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "voorjaar",
                "meetupStarts", "2027-02-01T13:00", "_idem", "k4");
        assertEquals(400, early.statusCode());
        assertTrue(early.bodyAsString().contains("id=\"error-meetupStarts\" role=\"alert\">De bijeenkomst kan niet vóór de start van de groep zijn."));
        for (String[] field : List.of(new String[] {"capacity", "0"}, new String[] {"meetupCapacity", "veel"}, new String[] {"pace", "snel"},
                new String[] {"enrolment", "soms"}, new String[] {"meetupStarts", "volgende week"}, new String[] {"meetupVenue", "x".repeat(201)})) {
            HttpResponse<Buffer> r = anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "voorjaar", field[0], field[1]);
            assertEquals(400, r.statusCode(), field[0]);
            assertTrue(r.bodyAsString().contains("id=\"error-" + field[0] + "\""), field[0]);
        }
        HttpResponse<Buffer> badStart = anna.post("/courses/knowmad/cohorts", "starts", "maandag", "id", "voorjaar");
        assertEquals(400, badStart.statusCode());
        assertTrue(badStart.bodyAsString().contains("id=\"error-starts\""));
        assertEquals(0, count("SELECT count(*) FROM web_cohort"), "nothing written");

        HttpResponse<Buffer> good = anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "voorjaar-2027", "_idem", "k5");
        assertEquals(303, good.statusCode());
        assertEquals("/courses/knowmad/voorjaar-2027", good.getHeader("Location"));
        assertEquals(200, anna.get("/courses/knowmad/voorjaar-2027").statusCode());
    }

    @Test
    void theApiNamesTheFieldAndKeepsItsProblemJson() {
        Browser anna = anna();
        HttpResponse<Buffer> r = anna.json(HttpMethod.POST, "/api/v1/courses/knowmad/cohorts", new JsonObject().put("starts", "2027-03-01T09:00")
                .put("id", "slecht idee").put("meetup", new JsonObject().put("venue", "Arnhem")));
        assertEquals(400, r.statusCode());
        assertEquals("application/problem+json", r.getHeader("Content-Type"));
        assertEquals("id", r.bodyAsJsonObject().getString("field"));
        assertEquals("cohort.new.badId", r.bodyAsJsonObject().getString("code"));
        HttpResponse<Buffer> made = anna.json(HttpMethod.POST, "/api/v1/courses/knowmad/cohorts", new JsonObject().put("id", "api-eigen").put("pace", "self"));
        assertEquals(201, made.statusCode(), made.bodyAsString());
        assertEquals("self", anna.json(HttpMethod.GET, "/api/v1/courses/knowmad/api-eigen", null).bodyAsJsonObject().getString("pace"));
    }

    @Test
    void aSelfPacedWebCohortOpensModulesFromEachParticipantsOwnJoinTime() {
        Browser anna = anna();
        assertEquals(303, anna.post("/courses/knowmad/cohorts", "pace", "self", "id", "eigen-tempo", "_idem", "s1").statusCode());
        assertTrue(anna.get("/courses/knowmad").bodyAsString().contains("<a href=\"/courses/knowmad/eigen-tempo\">eigen-tempo</a>\n    <span class=\"tag\">in eigen tempo</span>"));

        ApiUser early = ApiUser.create(node, clock, "vroeg@example.org");
        assertEquals(200, early.call(HttpMethod.POST, "/api/v1/courses/knowmad/eigen-tempo/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        clock.advance(Duration.ofDays(3));
        ApiUser late = ApiUser.create(node, clock, "laat@example.org");
        assertEquals(200, late.call(HttpMethod.POST, "/api/v1/courses/knowmad/eigen-tempo/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());

        JsonObject cohort = early.call(HttpMethod.GET, "/api/v1/courses/knowmad/eigen-tempo", null).bodyAsJsonObject();
        assertEquals("self", cohort.getString("pace"));
        assertEquals("2026-12-08T11:00+01:00", module(cohort, "week-2").getString("opensAt"), "seven days after the early one joined");
        assertEquals("2026-12-11T11:00+01:00", module(late.call(HttpMethod.GET, "/api/v1/courses/knowmad/eigen-tempo", null).bodyAsJsonObject(), "week-2")
                .getString("opensAt"), "seven days after the late one joined");

        Await.await(node.app.releases().runOnce());
        assertEquals(2, count("SELECT count(*) FROM module_release WHERE cohort_id = 'eigen-tempo' AND module_id = 'week-1'"),
                "the release job opens the first module for each of them");

        clock.set(Instant.parse("2026-12-09T10:00:00Z"));
        Await.await(node.app.releases().runOnce());
        assertEquals(1, count("SELECT count(*) FROM module_release WHERE cohort_id = 'eigen-tempo' AND module_id = 'week-2'"),
                "week 2 for the early one only");
        assertEquals(200, early.call(HttpMethod.GET, "/api/v1/courses/knowmad/eigen-tempo/modules/week-2", null).statusCode());
        assertEquals(403, late.call(HttpMethod.GET, "/api/v1/courses/knowmad/eigen-tempo/modules/week-2", null).statusCode());
        clock.set(Instant.parse("2026-12-11T10:00:01Z"));
        assertEquals(200, late.call(HttpMethod.GET, "/api/v1/courses/knowmad/eigen-tempo/modules/week-2", null).statusCode());
    }

    private static JsonObject module(JsonObject cohort, String id) {
        JsonArray modules = cohort.getJsonArray("modules");
        for (int i = 0; i < modules.size(); i++) if (id.equals(modules.getJsonObject(i).getString("id"))) return modules.getJsonObject(i);
        throw new AssertionError("no module " + id);
    }

    @Test
    void aWebCohortsOwnMeetupIsOnItsMeetupPageAndCalendar() {
        Browser anna = anna();
        assertEquals(303, anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "utrecht", "meetupStarts", "2027-04-10T13:30",
                "meetupVenue", "De Werkplaats, Utrecht", "meetupCapacity", "2", "_idem", "m1").statusCode());
        ApiUser p = ApiUser.create(node, clock, "deelnemer@example.org");
        assertEquals(200, p.call(HttpMethod.POST, "/api/v1/courses/knowmad/utrecht/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        JsonObject meetup = p.call(HttpMethod.GET, "/api/v1/courses/knowmad/utrecht/meetup", null).bodyAsJsonObject();
        assertEquals("2027-04-10T11:30:00Z", meetup.getString("starts"), "13:30 summer time in Amsterdam");
        assertEquals("De Werkplaats, Utrecht", meetup.getString("venue"));
        assertEquals(2, meetup.getInteger("capacity"));
        String home = anna.get("/courses/knowmad/utrecht").bodyAsString();
        assertTrue(home.contains("De Werkplaats, Utrecht"), "the cohort page shows its own venue");
        String page = anna.get("/courses/knowmad/utrecht/meetup").bodyAsString();
        assertTrue(page.contains("De Werkplaats, Utrecht"));
        assertTrue(page.contains("10 april 2027"), page);

        HttpResponse<Buffer> ics = anna.get("/courses/knowmad/utrecht/calendar.ics");
        assertEquals(200, ics.statusCode());
        VEvent cafe = Biweekly.parse(ics.bodyAsString()).first().getEvents().stream()
                .filter(e -> e.getLocation() != null && "De Werkplaats, Utrecht".equals(e.getLocation().getValue())).findFirst()
                .orElseThrow(() -> new AssertionError(ics.bodyAsString()));
        assertEquals(Instant.parse("2027-04-10T11:30:00Z"), cafe.getDateStart().getValue().toInstant());

        // Without an override the course's meetup holds (36 days 4 hours after the start, at the HAN).
        assertEquals(303, anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "gewoon", "_idem", "m2").statusCode());
        ApiUser q = ApiUser.create(node, clock, "ander@example.org");
        q.call(HttpMethod.POST, "/api/v1/courses/knowmad/gewoon/enrolment", new JsonObject().put("acceptGuidelines", true));
        JsonObject plain = q.call(HttpMethod.GET, "/api/v1/courses/knowmad/gewoon/meetup", null).bodyAsJsonObject();
        assertEquals("HAN, Nijmegen", plain.getString("venue"));
        assertEquals(70, plain.getInteger("capacity"));
        assertEquals("2027-04-06T11:00:00Z", plain.getString("starts"));
    }

    @Test
    void organisersNamedOnTheWebRunTheMeetupAndOthersDoNot() {
        Browser anna = anna();
        assertEquals(303, anna.post("/courses/knowmad/cohorts", "starts", "2027-03-01T09:00", "id", "utrecht", "_idem", "o1").statusCode());
        anna.get("/courses/knowmad");

        HttpResponse<Buffer> bad = anna.post("/courses/knowmad/utrecht/organisers", "emails", "kees@example.org, geen-adres");
        assertEquals(400, bad.statusCode());
        String page = bad.bodyAsString();
        assertTrue(page.contains("value=\"kees@example.org, geen-adres\""), "typed into the right cohort's form");
        assertTrue(page.contains("<small class=\"field-error\" id=\"error-emails\" role=\"alert\">geen-adres is geen e-mailadres.</small>"), page);
        assertEquals(1, Pattern.compile("field-error").matcher(page).results().count(), "beside that cohort's field only");
        assertEquals(0, count("SELECT count(*) FROM cohort_organiser"), "nothing written");

        HttpResponse<Buffer> named = anna.post("/courses/knowmad/utrecht/organisers", "emails", "Kees@Example.org\nmira@example.org, kees@example.org");
        assertEquals(303, named.statusCode());
        assertEquals("/courses/knowmad#organisers-utrecht", named.getHeader("Location"));
        assertTrue(anna.get("/courses/knowmad").bodyAsString().contains("value=\"kees@example.org, mira@example.org\""), "shown on the course page");
        // A YAML cohort too.
        assertEquals(303, anna.post("/courses/knowmad/2017-01/organisers", "emails", "kees@example.org").statusCode());

        Browser kees = node.browser().signIn("kees@example.org");
        assertEquals(200, kees.get("/courses/knowmad/utrecht/meetup/control").statusCode(), "a named organiser");
        assertEquals(200, kees.get("/courses/knowmad/2017-01/meetup/control").statusCode(), "on a YAML cohort too");
        ApiUser lies = ApiUser.create(node, clock, "lies@example.org");
        lies.call(HttpMethod.POST, "/api/v1/courses/knowmad/utrecht/enrolment", new JsonObject().put("acceptGuidelines", true));
        Browser liesPage = node.browser().signIn("lies@example.org");
        assertEquals(403, liesPage.get("/courses/knowmad/utrecht/meetup/control").statusCode(), "a participant not named");
        assertEquals(403, liesPage.post("/courses/knowmad/utrecht/organisers", "emails", "lies@example.org").statusCode(), "only facilitators name them");
        assertFalse(liesPage.get("/courses/knowmad").bodyAsString().contains("name=\"emails\""), "and only they see the form");

        // Naming nobody takes the standing away again.
        anna.get("/courses/knowmad");
        assertEquals(303, anna.post("/courses/knowmad/utrecht/organisers", "emails", "").statusCode());
        assertEquals(403, kees.get("/courses/knowmad/utrecht/meetup/control").statusCode());
        assertEquals(1, count("SELECT count(*) FROM cohort_organiser"), "the YAML cohort's stays");
    }

    private long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
