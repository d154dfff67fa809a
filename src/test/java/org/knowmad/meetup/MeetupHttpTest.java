package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The closing meetup over HTTP on a real database: every action and refusal. */
@ExtendWith(VertxExtension.class)
class MeetupHttpTest {

    /** The café course's autumn cohort: starts 2 September 2030; the café is 16 September 13:00 Amsterdam (11:00 UTC). */
    static final Instant WEEK_1 = Instant.parse("2030-09-03T10:00:00Z");
    static final Instant CAFE = Instant.parse("2030-09-16T11:00:00Z");
    static final String API = "/api/v1/courses/cafe/autumn/meetup";
    static final String PAGE = "/courses/cafe/autumn/meetup";

    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(WEEK_1);
        node = TestNode.demo(vertx, clock);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private ApiUser participant(String email, String cohort) {
        ApiUser u = ApiUser.create(node, clock, email);
        HttpResponse<Buffer> r = u.call(HttpMethod.POST, "/api/v1/courses/cafe/" + cohort + "/enrolment", new JsonObject().put("acceptGuidelines", true));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return u;
    }

    private List<ApiUser> participants(String prefix, int n) {
        List<ApiUser> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(participant(prefix + i + "@example.org", "autumn"));
        return list;
    }

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    private static JsonObject register(ApiUser who) {
        HttpResponse<Buffer> r = who.call(HttpMethod.POST, API + "/registration", null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    @Test
    void registrationWaitlistPromotionAndInvite() {
        List<ApiUser> people = participants("rg", 5);
        assertEquals("confirmed", register(people.get(0)).getString("status"));
        assertEquals("confirmed", register(people.get(0)).getString("status"), "registering twice is harmless");
        assertEquals("confirmed", register(people.get(1)).getString("status"));
        assertEquals("confirmed", register(people.get(2)).getString("status"));
        JsonObject fourth = register(people.get(3));
        assertEquals("waitlisted", fourth.getString("status"));
        assertEquals(1, fourth.getInteger("position"));
        assertEquals(2, register(people.get(4)).getInteger("position"));
        JsonObject overview = people.get(4).call(HttpMethod.GET, API, null).bodyAsJsonObject();
        assertEquals(3, overview.getInteger("confirmed"));
        assertEquals(2, overview.getInteger("waitlisted"));
        assertEquals(2, overview.getJsonObject("registration").getInteger("position"), "a visible place in line");

        assertEquals(200, people.get(1).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        assertEquals("confirmed", people.get(3).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("registration").getString("status"),
                "the first on the waitlist is promoted at once");
        assertEquals(1, people.get(4).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("registration").getInteger("position"));
        List<Row> promoted = sql("SELECT subject, attachment_name, attachment_type, attachment_body FROM outbox WHERE to_email = 'rg3@example.org' "
                + "AND dedupe_key LIKE 'meetup.mail.promoted:%'");
        assertEquals(1, promoted.size(), "the promoted person is emailed");
        assertEquals("meetup.ics", promoted.get(0).getString("attachment_name"));
        assertTrue(promoted.get(0).getString("attachment_type").startsWith("text/calendar"));
        assertEquals(3, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'meetup.mail.confirmed:%'").get(0).getLong(0));

        ICalendar invite = Biweekly.parse(promoted.get(0).getString("attachment_body")).first();
        assertEquals("REQUEST", invite.getMethod().getValue());
        VEvent event = invite.getEvents().get(0);
        assertEquals(CAFE, event.getDateStart().getValue().toInstant());
        assertEquals(CAFE.plus(Duration.ofHours(3)), event.getDateEnd().getValue().toInstant());
        assertEquals("Café De Plaats, Nijmegen", event.getLocation().getValue());
        assertEquals("https://meet.example.org/cafe", event.getUrl().getValue());
        assertEquals("rg3@example.org", event.getAttendees().get(0).getEmail());
        assertEquals(1, invite.getTimezoneInfo().getComponents().size(), "with its VTIMEZONE");
        assertTrue(promoted.get(0).getString("attachment_body").contains("TZID=Europe/Amsterdam"), "in the course's time zone");

        HttpResponse<Buffer> download = people.get(0).call(HttpMethod.GET, PAGE + "/invite.ics", null);
        assertEquals(200, download.statusCode());
        assertEquals(CAFE, Biweekly.parse(download.bodyAsString()).first().getEvents().get(0).getDateStart().getValue().toInstant());

        ApiUser outsider = ApiUser.create(node, clock, "outsider@example.org");
        assertEquals(403, outsider.call(HttpMethod.POST, API + "/registration", null).statusCode(), "join the cohort first");
        assertEquals(403, outsider.call(HttpMethod.GET, API, null).statusCode());
        ApiUser winter = participant("winter@example.org", "winter");
        assertEquals(403, winter.call(HttpMethod.GET, API, null).statusCode(), "another cohort's participant sees nothing");
        assertEquals(404, winter.call(HttpMethod.GET, "/api/v1/courses/cafe/own-pace/meetup", null).statusCode(), "no meetup when self-paced");
        assertEquals(Integer.valueOf(401), Await.await(node.vertx.createHttpClient().request(HttpMethod.GET, node.port(), "localhost", API)
                .compose(r -> r.send()).map(r -> (Integer) r.statusCode())));

        clock.set(CAFE.plus(Duration.ofMinutes(1)));
        assertEquals(409, people.get(1).call(HttpMethod.POST, API + "/registration", null).statusCode(), "registration closes at the start");
        assertEquals(200, people.get(0).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        assertEquals("waitlisted", people.get(4).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("registration").getString("status"),
                "no promotion after the start");
    }

    @Test
    void checkInWalkInsAndTickets() {
        List<ApiUser> people = participants("ci", 4);
        for (ApiUser p : people) register(p);
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        String code = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("registration").getString("code");
        assertNotNull(code);
        assertEquals(403, people.get(1).call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code)).statusCode(),
                "only organisers check people in");
        HttpResponse<Buffer> in = org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code.toLowerCase().replace("-", "")));
        assertEquals(200, in.statusCode(), in.bodyAsString());
        HttpResponse<Buffer> replay = org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code));
        assertEquals(409, replay.statusCode(), "a code works once");
        assertTrue(replay.bodyAsString().contains("already"), replay.bodyAsString());
        HttpResponse<Buffer> unknown = org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", "ZZZZ-ZZZZ"));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.bodyAsString().contains("ZZZZ-ZZZZ"));
        String waiting = people.get(3).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("registration").getString("code");
        assertEquals(null, waiting, "people on the waitlist get no ticket code");
        assertEquals(409, org.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "walker@example.org")).statusCode(),
                "no seat free for a walk-in");
        assertEquals(200, people.get(1).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        assertEquals(409, org.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "walker@example.org")).statusCode(),
                "the freed seat went to the waitlist first");
        assertEquals(200, people.get(2).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        assertEquals(400, org.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "not an address")).statusCode());
        HttpResponse<Buffer> walkIn = org.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "walker@example.org").put("name", "Wally"));
        assertEquals(201, walkIn.statusCode(), walkIn.bodyAsString());
        JsonArray list = org.call(HttpMethod.GET, API + "/registrations", null).bodyAsJsonObject().getJsonArray("registrations");
        long checkedIn = list.stream().map(JsonObject.class::cast).filter(r -> r.getString("checkedInAt") != null).count();
        assertEquals(2, checkedIn, "attendance: the code holder and the walk-in");

        Browser ticketHolder = node.browser().signIn("ci0@example.org");
        HttpResponse<Buffer> ticket = ticketHolder.get(PAGE + "/ticket");
        assertEquals(200, ticket.statusCode());
        assertTrue(ticket.bodyAsString().contains(code));
        HttpResponse<Buffer> qr = ticketHolder.get(PAGE + "/ticket.svg");
        assertEquals(200, qr.statusCode());
        assertTrue(qr.bodyAsString().startsWith("<?xml") && qr.bodyAsString().contains("<path d=\"M"));
        assertEquals(404, node.browser().signIn("ci1@example.org").get(PAGE + "/ticket").statusCode(), "a cancelled registration has no ticket");
        Browser organiser = node.browser().signIn("org@example.org");
        HttpResponse<Buffer> control = organiser.get(PAGE + "/control?code=" + code);
        assertEquals(200, control.statusCode());
        assertTrue(control.bodyAsString().contains("Wally"));
        assertEquals(400, organiser.post(PAGE + "/checkins", "code", " ").statusCode());
        assertEquals(403, node.browser().signIn("ci0@example.org").get(PAGE + "/control").statusCode());
    }

    private long thread(ApiUser who, String title) {
        return who.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Let us talk about " + title)).bodyAsJsonObject().getLong("id");
    }

    @Test
    void agendaTablesRoundsNotesQuestionsAndHarvest() {
        List<ApiUser> people = participants("ag", 3);
        for (ApiUser p : people) register(p);
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        long mistakes = thread(people.get(0), "Making mistakes");
        long depth = thread(people.get(1), "Depth online");
        long lonely = thread(people.get(2), "Not nominated");
        assertEquals(200, people.get(0).call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/nomination", null).statusCode());
        assertEquals(200, people.get(1).call(HttpMethod.PUT, "/api/v1/threads/" + depth + "/nomination", null).statusCode());
        assertEquals(200, people.get(2).call(HttpMethod.PUT, "/api/v1/threads/" + depth + "/vote", null).statusCode());

        assertEquals(403, people.get(0).call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", mistakes)).statusCode());
        assertEquals(404, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", lonely)).statusCode(), "only nominated threads");
        assertEquals(201, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", depth)).statusCode());
        assertEquals(409, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", depth)).statusCode(), "once");
        assertEquals(201, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("thread", mistakes).put("title", "Mistakes at work")).statusCode());
        JsonArray agenda = org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("title", "What would you do tomorrow?"))
                .bodyAsJsonObject().getJsonArray("agenda");
        assertEquals(3, agenda.size());
        assertEquals("Mistakes at work", agenda.getJsonObject(1).getString("title"), "renamed for the table card");
        assertEquals(409, org.call(HttpMethod.POST, API + "/agenda", new JsonObject().put("title", "A fourth")).statusCode(), "questions: 3");
        Browser organiser = node.browser().signIn("org@example.org");
        long first = agenda.getJsonObject(0).getLong("id");
        assertEquals(303, organiser.post(PAGE + "/agenda/" + first, "action", "down").statusCode());
        JsonArray reordered = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("agenda");
        assertEquals("Mistakes at work", reordered.getJsonObject(0).getString("title"));
        assertEquals(depth, reordered.getJsonObject(1).getLong("thread"));
        String page = node.browser().signIn("ag2@example.org").get(PAGE).bodyAsString();
        assertTrue(page.contains("/courses/cafe/autumn/threads/" + depth), "the agenda links back to its threads");

        assertEquals(200, people.get(2).call(HttpMethod.PUT, API + "/choice", new JsonObject().put("table", 1)).statusCode(),
                "sit at the table for the question voted for online");
        assertEquals(400, people.get(2).call(HttpMethod.PUT, API + "/choice", new JsonObject().put("table", 7)).statusCode());
        assertEquals(409, people.get(0).call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", "early")).statusCode(), "no table yet");
        assertEquals(403, people.get(0).call(HttpMethod.POST, API + "/rounds", new JsonObject()).statusCode());
        clock.set(CAFE.plus(Duration.ofMinutes(10)));
        assertEquals(201, org.call(HttpMethod.POST, API + "/rounds", new JsonObject().put("minutes", 20)).statusCode());
        JsonObject tables = people.get(2).call(HttpMethod.GET, API + "/tables", null).bodyAsJsonObject();
        assertEquals(1, tables.getInteger("round"));
        long me = people.get(2).call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
        assertTrue(tables.getJsonArray("tables").getJsonObject(1).getJsonArray("people").stream().anyMatch(p -> ((Number) p).longValue() == me),
                "the choice is honoured: " + tables.encode());
        for (Object t : tables.getJsonArray("tables")) assertEquals(1, ((JsonObject) t).getJsonArray("people").size(), "balanced: 3 people, 3 tables");
        assertEquals(400, people.get(2).call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", " ")).statusCode());
        assertEquals(201, people.get(2).call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", "Online depth needs small groups")).statusCode());

        long q = people.get(0).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "How do we keep this going?"))
                .bodyAsJsonObject().getLong("id");
        assertEquals(1, people.get(1).call(HttpMethod.PUT, API + "/live/questions/" + q + "/vote", null).bodyAsJsonObject().getInteger("votes"));
        assertEquals(1, people.get(1).call(HttpMethod.PUT, API + "/live/questions/" + q + "/vote", null).bodyAsJsonObject().getInteger("votes"), "one vote each");
        assertEquals(2, people.get(2).call(HttpMethod.PUT, API + "/live/questions/" + q + "/vote", null).bodyAsJsonObject().getInteger("votes"));
        assertEquals(403, people.get(0).call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "answered")).statusCode());
        assertEquals(400, org.call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "gone")).statusCode());
        assertEquals(200, org.call(HttpMethod.PATCH, API + "/live/questions/" + q, new JsonObject().put("state", "answered")).statusCode());
        assertEquals(404, people.get(0).call(HttpMethod.PUT, API + "/live/questions/" + q + "/vote", null).statusCode(), "answered: no more votes");
        long rude = people.get(0).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Off topic")).bodyAsJsonObject().getLong("id");
        assertEquals(200, org.call(HttpMethod.PATCH, API + "/live/questions/" + rude, new JsonObject().put("state", "hidden").put("reason", "off-topic")).statusCode());
        JsonArray seen = people.get(1).call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject().getJsonArray("questions");
        assertEquals(1, seen.size(), "hidden questions are for organisers only: " + seen.encode());
        assertEquals(2, org.call(HttpMethod.GET, API + "/live/questions", null).bodyAsJsonObject().getJsonArray("questions").size());
        for (int i = 0; i < 9; i++) {
            assertEquals(201, people.get(1).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "More " + i)).statusCode());
        }
        HttpResponse<Buffer> tooFast = people.get(1).call(HttpMethod.POST, API + "/notes", new JsonObject().put("body", "and a note"));
        assertEquals(201, tooFast.statusCode(), "the tenth write in a minute still goes");
        assertEquals(429, people.get(1).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "one too many")).statusCode(),
                "ten questions and notes a minute at most");

        Browser attendee = node.browser().signIn("ag2@example.org");
        String live = attendee.get(PAGE + "/live").bodyAsString();
        assertTrue(live.contains("Online depth needs small groups"), "table notes on the live page");
        assertTrue(live.contains("How do we keep this going?"));
        ApiUser bystander = participant("bystander@example.org", "autumn");
        assertEquals(403, bystander.call(HttpMethod.GET, API + "/live/questions", null).statusCode(), "only registrants take part");
        assertEquals(403, bystander.call(HttpMethod.GET, PAGE + "/live", null).statusCode());

        assertEquals(201, org.call(HttpMethod.POST, API + "/rounds", new JsonObject()).statusCode(), "round 2");
        assertEquals(409, org.call(HttpMethod.POST, API + "/rounds", new JsonObject()).statusCode(), "rounds: 2");
        assertEquals(6, sql("SELECT count(*) FROM meetup_seat").get(0).getLong(0));

        assertEquals(404, people.get(0).call(HttpMethod.GET, PAGE + "/harvest", null).statusCode(), "not published yet");
        assertEquals(200, org.call(HttpMethod.POST, API + "/end", null).statusCode());
        JsonObject insights = new JsonObject();
        for (Object item : reordered) insights.put(String.valueOf(((JsonObject) item).getLong("id")), "Key insight about " + ((JsonObject) item).getString("title"));
        assertEquals(200, org.call(HttpMethod.PUT, API + "/harvest", new JsonObject().put("intro", "Seventy people, eight tables.")
                .put("tables", insights)).statusCode());
        assertEquals(403, people.get(0).call(HttpMethod.POST, API + "/harvest/publication", null).statusCode());
        assertEquals(200, org.call(HttpMethod.POST, API + "/harvest/publication", null).statusCode());
        assertEquals(409, org.call(HttpMethod.POST, API + "/harvest/publication", null).statusCode(), "published once");
        String harvest = people.get(0).call(HttpMethod.GET, PAGE + "/harvest", null).bodyAsString();
        assertTrue(harvest.contains("Key insight about Mistakes at work"));
        String markdown = people.get(0).call(HttpMethod.GET, PAGE + "/harvest.md", null).bodyAsString();
        assertTrue(markdown.contains("## Table 1: Mistakes at work"), markdown);
        assertTrue(markdown.contains("/courses/cafe/autumn/threads/" + depth), "links to the online threads");
        assertTrue(markdown.contains("Online depth needs small groups"), "with the table notes");
        String feed = people.get(0).call(HttpMethod.GET, "/courses/cafe/autumn/feed.atom", null).bodyAsString();
        assertTrue(feed.contains("Harvest of Closing café"), feed);
    }

    @Test
    void remindersGoOutOnceEach() {
        List<ApiUser> people = participants("rm", 2);
        for (ApiUser p : people) register(p);
        clock.set(CAFE.minus(Duration.ofHours(30)));
        assertEquals(0, Await.await(node.app.meetupReminders().runOnce()));
        clock.set(CAFE.minus(Duration.ofHours(23)));
        Await.await(node.app.meetupReminders().runOnce());
        Await.await(node.app.meetupReminders().runOnce());
        assertEquals(2, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'meetup.mail.reminder24h:%'").get(0).getLong(0));
        clock.set(CAFE.minus(Duration.ofMinutes(30)));
        Await.await(node.app.meetupReminders().runOnce());
        Await.await(node.app.meetupReminders().runOnce());
        assertEquals(2, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'meetup.mail.reminder1h:%'").get(0).getLong(0));
        assertEquals(2, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'meetup.mail.reminder24h:%'").get(0).getLong(0), "exactly once each");
        Set<String> to = new HashSet<>();
        sql("SELECT to_email FROM outbox WHERE dedupe_key LIKE 'meetup.mail.reminder1h:%'").forEach(r -> to.add(r.getString(0)));
        assertEquals(Set.of("rm0@example.org", "rm1@example.org"), to);
        assertFalse(to.isEmpty());
    }

    @Test
    void theLiveStreamCarriesVotesToRegistrantsOnly() {
        List<ApiUser> people = participants("lv", 3);
        for (ApiUser p : people) register(p);
        long q = people.get(0).call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Live?")).bodyAsJsonObject().getLong("id");
        ApiUser bystander = participant("bystander.lv@example.org", "autumn");
        assertEquals(403, bystander.call(HttpMethod.GET, PAGE + "/events", null).statusCode(), "no stream without a seat");
        try (org.knowmad.support.SseClient stream = org.knowmad.support.SseClient.connect(node.vertx, node.port(), PAGE + "/events",
                "Authorization", "Bearer " + people.get(0).token())) {
            for (ApiUser p : people) assertEquals(200, p.call(HttpMethod.PUT, API + "/live/questions/" + q + "/vote", null).statusCode());
            String events = stream.awaitText("\"votes\":3");
            assertTrue(events.contains("event: question-changed"), events);
            assertTrue(events.split("event: question-changed").length - 1 <= 3, "votes in a burst are folded into fewer events");
        }
    }

    @Test
    void oldTicketsDieWithTheirRegistrationAndWalkInsRenameNobody() {
        List<ApiUser> people = participants("ot", 1);
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        String first = register(people.get(0)).getString("code");
        assertEquals(200, people.get(0).call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        String second = register(people.get(0)).getString("code");
        assertFalse(first.equals(second), "registering again gives a new ticket");
        assertEquals(404, org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", first)).statusCode(), "the old one is void");
        assertEquals(400, org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", "X".repeat(500))).statusCode());
        assertEquals(200, org.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", second)).statusCode());

        ApiUser existing = ApiUser.create(node, clock, "nameless@example.org");
        assertEquals(201, org.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "nameless@example.org").put("name", "Imposed"))
                .statusCode());
        assertEquals("nameless", existing.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getString("name"),
                "an organiser does not rename an existing account");
    }

    @Test
    void everyFormOnThePagesWorks() {
        Browser ann = node.browser().signIn("form.ann@example.org");
        Browser bob = node.browser().signIn("form.bob@example.org");
        for (Browser b : List.of(ann, bob)) assertEquals(303, b.post("/courses/cafe/autumn/join", "acceptGuidelines", "on").statusCode());
        Browser org = node.browser().signIn("org@example.org");
        HttpResponse<Buffer> registered = ann.post(PAGE + "/registration");
        assertEquals(303, registered.statusCode(), registered.bodyAsString());
        assertTrue(ann.get(PAGE).bodyAsString().contains(PAGE + "/ticket"), "the page shows the seat and the ticket");
        assertEquals(303, bob.post(PAGE + "/registration").statusCode());
        assertEquals(303, bob.post(PAGE + "/cancellation").statusCode());
        assertTrue(bob.get(PAGE).bodyAsString().contains(PAGE + "/registration"), "cancelled: the register button is back");
        assertEquals(303, bob.post(PAGE + "/registration").statusCode());

        assertEquals(303, org.post(PAGE + "/agenda", "title", "What would you do tomorrow?").statusCode());
        assertEquals(303, org.post(PAGE + "/agenda", "title", "And the day after?").statusCode());
        long item = sql("SELECT id FROM meetup_agenda_item ORDER BY position LIMIT 1").get(0).getLong(0);
        assertEquals(303, org.post(PAGE + "/agenda/" + item, "action", "rename", "title", "Tomorrow, concretely").statusCode());
        assertEquals(400, org.post(PAGE + "/agenda/" + item, "action", "explode").statusCode());
        assertEquals(303, ann.post(PAGE + "/choice", "table", "1").statusCode());
        assertEquals(400, ann.post(PAGE + "/choice", "table", "x").statusCode());
        String code = sql("SELECT code FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE a.email = 'form.ann@example.org'")
                .get(0).getString(0);
        assertEquals(303, org.post(PAGE + "/checkins", "code", code).statusCode());
        long bobRegistration = sql("SELECT r.id FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE a.email = 'form.bob@example.org'")
                .get(0).getLong(0);
        assertEquals(303, org.post(PAGE + "/checkins", "registration", String.valueOf(bobRegistration)).statusCode());
        assertEquals(303, org.post(PAGE + "/walk-ins", "email", "walker.form@example.org", "name", "Walker").statusCode());
        assertEquals(303, org.post(PAGE + "/rounds", "minutes", "15").statusCode());
        long bobId = sql("SELECT id FROM account WHERE email = 'form.bob@example.org'").get(0).getLong(0);
        assertEquals(303, org.post(PAGE + "/seats", "person", String.valueOf(bobId), "table", "0").statusCode());
        assertEquals(303, ann.post(PAGE + "/notes", "body", "A note from the form").statusCode());
        assertEquals(303, ann.post(PAGE + "/live/questions", "body", "A question from the form").statusCode());
        long q = sql("SELECT id FROM meetup_question").get(0).getLong(0);
        assertEquals(303, bob.post(PAGE + "/live/questions/" + q + "/vote").statusCode());
        assertEquals(303, org.post(PAGE + "/live/questions/" + q + "/state", "state", "answered").statusCode());
        String live = bob.get(PAGE + "/live").bodyAsString();
        assertTrue(live.contains("A question from the form") && live.contains("Tomorrow, concretely"), live);
        assertEquals(303, org.post(PAGE + "/end").statusCode());
        assertEquals(303, org.post(PAGE + "/harvest", "intro", "What we found", "insights-" + item, "Start small").statusCode());
        assertEquals(303, org.post(PAGE + "/harvest/publication").statusCode());
        String harvest = ann.get(PAGE + "/harvest").bodyAsString();
        assertTrue(harvest.contains("Start small") && harvest.contains("A note from the form"), harvest);
        assertEquals(403, ann.postWithoutCsrf(PAGE + "/registration").statusCode(), "forms need their CSRF token");
    }
}
