package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.ICalendar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * The "done when", on the Dutch example course as shipped in {@code courses/}: a facilitator starts a
 * cohort from the web; its café (70 seats) fills up; Noor joins the waitlist, gets the invite when someone
 * cancels, checks in with her code, sits at the table of the question she voted for online, adds to its notes,
 * upvotes a live question, and reads the published harvest in the cohort's feed.
 */
@ExtendWith(VertxExtension.class)
class ExampleCourseMeetupTest {

    static final String COHORT = "/courses/knowmad/2027-03";
    static final String API = "/api/v1" + COHORT + "/meetup";

    @Test
    void aParticipantGoesFromTheWaitlistToTheHarvest(Vertx vertx) {
        MutableClock clock = new MutableClock(Instant.parse("2027-02-20T10:00:00Z"));
        try (TestNode node = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses"), clock, Fixtures.tempDir())) {
            ApiUser anna = ApiUser.create(node, clock, "anna@example.org");
            assertEquals(201, anna.call(HttpMethod.POST, "/api/v1/courses/knowmad/cohorts",
                    new JsonObject().put("id", "2027-03").put("starts", "2027-03-01T09:00").put("enrolment", "open")).statusCode());
            ApiUser noor = join(node, clock, "noor@example.org");
            List<ApiUser> others = new ArrayList<>();
            for (int i = 0; i < 70; i++) others.add(join(node, clock, "deelnemer" + i + "@example.org"));

            // Online, in week 1: a thread is nominated as a café question and Noor votes for it.
            clock.set(Instant.parse("2027-03-02T10:00:00Z"));
            long thread = others.get(0).call(HttpMethod.POST, "/api/v1" + COHORT + "/modules/week-1/threads",
                    new JsonObject().put("title", "Fouten maken").put("body", "Hoe leer je van een mislukking?")).bodyAsJsonObject().getLong("id");
            long other = others.get(1).call(HttpMethod.POST, "/api/v1" + COHORT + "/modules/week-1/threads",
                    new JsonObject().put("title", "Diepgang online").put("body", "Kan dat?")).bodyAsJsonObject().getLong("id");
            assertEquals(200, others.get(0).call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/nomination", null).statusCode());
            assertEquals(200, others.get(1).call(HttpMethod.PUT, "/api/v1/threads/" + other + "/nomination", null).statusCode());
            assertEquals(200, noor.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/vote", null).statusCode());

            List<Future<HttpResponse<Buffer>>> registrations = new ArrayList<>();
            for (ApiUser p : others) registrations.add(p.send(HttpMethod.POST, API + "/registration", null));
            for (Future<HttpResponse<Buffer>> f : registrations) assertEquals("confirmed", Await.await(f).bodyAsJsonObject().getString("status"));
            JsonObject waiting = noor.call(HttpMethod.POST, API + "/registration", null).bodyAsJsonObject();
            assertEquals("waitlisted", waiting.getString("status"), "70 seats, all taken");
            assertEquals(1, waiting.getInteger("position"));

            assertEquals(200, others.get(69).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
            JsonObject mine = noor.call(HttpMethod.GET, API, null).bodyAsJsonObject();
            assertEquals("confirmed", mine.getJsonObject("registration").getString("status"), "promoted when someone cancelled");
            String code = mine.getJsonObject("registration").getString("code");
            List<Row> invite = new ArrayList<>();
            Await.await(node.app.pool().query("SELECT subject, attachment_body FROM outbox WHERE to_email = 'noor@example.org' "
                    + "AND attachment_name = 'meetup.ics'").execute()).forEach(invite::add);
            assertEquals(1, invite.size(), "the promotion mail carries the invitation");
            ICalendar ical = Biweekly.parse(invite.get(0).getString("attachment_body")).first();
            assertEquals("Knowmad café", ical.getEvents().get(0).getSummary().getValue());
            assertEquals("HAN, Nijmegen", ical.getEvents().get(0).getLocation().getValue());
            assertTrue(invite.get(0).getString("subject").contains("Knowmad café"));

            // The organiser builds the agenda from the nominations, most votes first.
            assertEquals(201, anna.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", thread)).statusCode());
            JsonArray agenda = anna.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", other)).bodyAsJsonObject().getJsonArray("agenda");
            assertEquals(2, agenda.size());
            assertEquals(200, noor.call(HttpMethod.PUT, API + "/choice", new JsonObject().put("table", 0)).statusCode(),
                    "Noor picks the table of the question she voted for");

            // The café: P36DT4H after the start = 6 April 2027 13:00 Amsterdam.
            clock.set(Instant.parse("2027-04-06T10:45:00Z"));
            HttpResponse<Buffer> checkIn = anna.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code));
            assertEquals(200, checkIn.statusCode(), checkIn.bodyAsString());
            assertEquals(409, anna.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code)).statusCode(), "not twice");
            clock.set(Instant.parse("2027-04-06T11:05:00Z"));
            assertEquals(201, anna.call(HttpMethod.POST, API + "/rounds", new JsonObject().put("minutes", 25)).statusCode());
            long noorId = noor.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
            JsonObject tables = noor.call(HttpMethod.GET, API + "/tables", null).bodyAsJsonObject();
            assertTrue(tables.getJsonArray("tables").getJsonObject(0).getJsonArray("people").stream().anyMatch(p -> ((Number) p).longValue() == noorId),
                    "she sits at the table of the question she voted for");
            assertEquals(201, noor.call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", "Fouten delen werkt pas als het veilig is")).statusCode());
            long question = others.get(3).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Hoe houden we dit vol?"))
                    .bodyAsJsonObject().getLong("id");
            assertEquals(1, noor.call(HttpMethod.PUT, API + "/live/questions/" + question + "/vote", null).bodyAsJsonObject().getInteger("votes"));

            clock.set(Instant.parse("2027-04-06T14:30:00Z"));
            assertEquals(200, anna.call(HttpMethod.POST, API + "/end", null).statusCode());
            JsonObject insights = new JsonObject().put(String.valueOf(agenda.getJsonObject(0).getLong("id")), "Veiligheid eerst, dan fouten delen.");
            assertEquals(200, anna.call(HttpMethod.PUT, API + "/harvest", new JsonObject().put("intro", "Zeventig mensen, acht tafels.")
                    .put("tables", insights)).statusCode());
            assertEquals(200, anna.call(HttpMethod.POST, API + "/harvest/publication", null).statusCode());

            String feed = noor.call(HttpMethod.GET, COHORT + "/feed.atom", null).bodyAsString();
            assertTrue(feed.contains("Oogst van Knowmad café"), feed);
            Browser browser = node.browser().signIn("noor@example.org");
            String harvest = browser.get(COHORT + "/meetup/harvest").bodyAsString();
            assertTrue(harvest.contains("Veiligheid eerst, dan fouten delen."));
            assertTrue(harvest.contains("Fouten delen werkt pas als het veilig is"), "the table's notes are in the harvest");
            assertTrue(browser.get(COHORT).bodyAsString().contains(COHORT + "/meetup\""), "the cohort home leads to the meetup");
            String meetupPage = browser.get(COHORT + "/meetup").bodyAsString();
            assertNotNull(meetupPage);
            assertTrue(meetupPage.contains("Oogst"), "the meetup page links to the harvest, in Dutch");

            // The harvest flowed back into the thread Noor voted for, in Dutch, and she was told.
            JsonArray posts = noor.call(HttpMethod.GET, "/api/v1/threads/" + thread, null).bodyAsJsonObject().getJsonArray("posts");
            String flowedBack = posts.getJsonObject(posts.size() - 1).getString("body");
            assertTrue(flowedBack.contains("Uit Knowmad café, tafel 1") && flowedBack.contains("Fouten delen werkt pas als het veilig is"), flowedBack);
            List<Row> told = new ArrayList<>();
            Await.await(node.app.pool().query("SELECT subject FROM outbox WHERE to_email = 'noor@example.org' AND dedupe_key LIKE 'harvest:%'")
                    .execute()).forEach(told::add);
            assertEquals(List.of("De oogst van Knowmad café staat in je gesprekken"), told.stream().map(r -> r.getString(0)).toList());

            // follow_up: P42D is on in the example: six weeks after the café (ended 16:00 Amsterdam) the cohort is asked.
            Instant followUp = Instant.parse("2027-04-06T14:00:00Z").plus(java.time.Duration.ofDays(42));
            clock.set(followUp.minusSeconds(60));
            assertEquals(List.of(), Await.await(node.app.meetupFollowUps().runOnce()), "not before; the 2017 cohort is long past");
            clock.set(followUp);
            List<MeetupFollowUps.Opened> opened = Await.await(node.app.meetupFollowUps().runOnce());
            assertEquals(1, opened.size());
            JsonObject asked = noor.call(HttpMethod.GET, "/api/v1/threads/" + opened.get(0).threadId(), null).bodyAsJsonObject();
            assertEquals("Wat is er veranderd sinds Knowmad café?", asked.getString("title"), asked.encode());
            assertTrue(asked.getJsonArray("posts").getJsonObject(0).getString("body").startsWith("Zes weken na het café"));
        }
    }

    private static ApiUser join(TestNode node, MutableClock clock, String email) {
        ApiUser u = ApiUser.create(node, clock, email);
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, "/api/v1" + COHORT + "/enrolment", new JsonObject().put("acceptGuidelines", true));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return u;
    }
}
