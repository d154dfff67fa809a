package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * Ending a meetup without surprises: not before it starts, never in one click, undoable for a while; and once it
 * ended, the page says so and registration, walk-ins and live questions are closed. Also: a cohort without a
 * shared meetup answers its meetup page with a page saying so, not a 404.
 */
@ExtendWith(VertxExtension.class)
class MeetupEndHttpTest {

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

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    private long count(String query, Object... args) {
        return sql(query, args).get(0).getLong(0);
    }

    private Instant endedAt() {
        List<Row> rows = sql("SELECT ended_at FROM meetup_session WHERE course_id = 'cafe' AND cohort_id = 'autumn'");
        if (rows.isEmpty() || rows.get(0).getOffsetDateTime(0) == null) return null;
        return rows.get(0).getOffsetDateTime(0).toInstant();
    }

    private Browser organiser() {
        Browser org = node.browser().signIn("org@example.org");
        org.get(PAGE + "/control");
        return org;
    }

    @Test
    void endingBeforeTheStartIsRefusedAndSaysFromWhen() {
        Browser org = organiser();
        String control = org.get(PAGE + "/control").bodyAsString();
        assertTrue(control.contains("It can be ended once it has started, from"), control);
        assertFalse(control.contains("href=\"" + PAGE + "/end\""), "no end link before the start");

        HttpResponse<Buffer> form = org.post(PAGE + "/end", "confirm", "yes");
        assertEquals(409, form.statusCode());
        assertTrue(form.bodyAsString().contains("can only be ended once it has started, from"), form.bodyAsString());
        assertTrue(form.bodyAsString().contains("16 September 2030") || form.bodyAsString().contains("2030"), "names the start");
        assertEquals(409, org.get(PAGE + "/end").statusCode(), "no confirm page either");
        ApiUser api = ApiUser.create(node, clock, "org@example.org");
        HttpResponse<Buffer> viaApi = api.call(HttpMethod.POST, API + "/end", null);
        assertEquals(409, viaApi.statusCode());
        assertTrue(viaApi.bodyAsJsonObject().getString("detail").contains("once it has started"), viaApi.bodyAsString());
        assertNull(endedAt(), "nothing ended");
        assertTrue(participant("early@example.org", "autumn").call(HttpMethod.POST, API + "/registration", null).statusCode() == 200,
                "registration stays open");
    }

    @Test
    void endingTakesAnExplicitConfirmation() {
        clock.set(CAFE.plus(Duration.ofMinutes(10)));
        Browser org = organiser();
        String control = org.get(PAGE + "/control").bodyAsString();
        assertTrue(control.contains("href=\"" + PAGE + "/end\""), "the end button leads to the confirm step");

        HttpResponse<Buffer> oneClick = org.post(PAGE + "/end");
        assertEquals(303, oneClick.statusCode());
        assertEquals(PAGE + "/end", oneClick.getHeader("Location"), "without the confirmation the confirm page is shown");
        assertNull(endedAt(), "and nothing ended");
        assertEquals(303, org.post(PAGE + "/end", "confirm", "no").statusCode());
        assertNull(endedAt());

        HttpResponse<Buffer> confirm = org.get(PAGE + "/end");
        assertEquals(200, confirm.statusCode());
        String page = confirm.bodyAsString();
        assertTrue(page.contains("End the meetup?") && page.contains("Yes, end the meetup") && page.contains("name=\"confirm\" value=\"yes\""), page);
        assertTrue(page.contains("reopen it for 24 hours"), "says it can be taken back");

        HttpResponse<Buffer> done = org.post(PAGE + "/end", "confirm", "yes");
        assertEquals(303, done.statusCode());
        assertEquals(PAGE + "#ended", done.getHeader("Location"));
        Instant ended = endedAt();
        assertEquals(CAFE.plus(Duration.ofMinutes(10)), ended);
        clock.set(CAFE.plus(Duration.ofMinutes(20)));
        assertEquals(303, org.post(PAGE + "/end", "confirm", "yes").statusCode(), "confirming twice is harmless");
        assertEquals(ended, endedAt(), "and keeps the first end");
        assertTrue(org.get(PAGE + "/end").bodyAsString().contains("The meetup has already ended."));
    }

    @Test
    void anEndedMeetupSaysSoAndClosesRegistrationWalkInsAndQuestions() {
        ApiUser ann = participant("ann.end@example.org", "autumn");
        assertEquals("confirmed", ann.call(HttpMethod.POST, API + "/registration", null).bodyAsJsonObject().getString("status"));
        ApiUser late = participant("late.end@example.org", "autumn");
        clock.set(CAFE.plus(Duration.ofMinutes(5)));
        long question = ann.call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Before the end")).bodyAsJsonObject().getLong("id");
        Browser org = organiser();
        ApiUser orgApi = ApiUser.create(node, clock, "org@example.org");

        clock.set(CAFE.plus(Duration.ofHours(3)));
        assertEquals(303, org.post(PAGE + "/end", "confirm", "yes").statusCode());

        // The meetup page says it ended; the harvest is announced, and linked once published.
        Browser annPage = node.browser().signIn("ann.end@example.org");
        String page = annPage.get(PAGE).bodyAsString();
        assertTrue(page.contains("This meetup has ended:"), page);
        assertTrue(page.contains("The organisers are writing the harvest"), page);
        assertFalse(page.contains("Reopen the meetup"), "participants cannot reopen");
        Browser latePage = node.browser().signIn("late.end@example.org");
        String closed = latePage.get(PAGE).bodyAsString();
        assertTrue(closed.contains("The meetup has ended: registration is closed."), closed);
        assertFalse(closed.contains("action=\"" + PAGE + "/registration\""), "no registration form");
        JsonObject json = late.call(HttpMethod.GET, API, null).bodyAsJsonObject();
        assertEquals(true, json.getBoolean("ended"));
        assertEquals(false, json.getBoolean("registrationOpen"));

        long registrations = count("SELECT count(*) FROM meetup_registration");
        HttpResponse<Buffer> register = late.call(HttpMethod.POST, API + "/registration", null);
        assertEquals(409, register.statusCode());
        assertTrue(register.bodyAsJsonObject().getString("detail").contains("registration is closed"), register.bodyAsString());
        assertEquals(409, latePage.post(PAGE + "/registration").statusCode());

        HttpResponse<Buffer> walkIn = orgApi.call(HttpMethod.POST, API + "/walk-ins", new JsonObject().put("email", "walker.end@example.org").put("name", "W"));
        assertEquals(409, walkIn.statusCode());
        assertTrue(walkIn.bodyAsJsonObject().getString("detail").contains("no more walk-ins"), walkIn.bodyAsString());
        assertEquals(409, org.post(PAGE + "/walk-ins", "email", "walker.end@example.org", "name", "W").statusCode());
        assertEquals(registrations, count("SELECT count(*) FROM meetup_registration"), "nothing written");
        assertEquals(0, count("SELECT count(*) FROM account WHERE email = 'walker.end@example.org'"), "not even the walk-in's account");
        String control = org.get(PAGE + "/control").bodyAsString();
        assertFalse(control.contains("action=\"" + PAGE + "/walk-ins\""), "no walk-in form");
        assertTrue(control.contains("Reopen the meetup") && control.contains("Write the harvest"), control);

        long questions = count("SELECT count(*) FROM meetup_question");
        HttpResponse<Buffer> ask = ann.call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "After the end"));
        assertEquals(409, ask.statusCode());
        assertTrue(ask.bodyAsJsonObject().getString("detail").contains("live questions are closed"), ask.bodyAsString());
        assertEquals(409, annPage.post(PAGE + "/live/questions", "body", "After the end").statusCode());
        assertEquals(409, ann.call(HttpMethod.PUT, API + "/live/questions/" + question + "/vote", null).statusCode(), "votes too");
        assertEquals(questions, count("SELECT count(*) FROM meetup_question"));
        assertEquals(0, count("SELECT count(*) FROM meetup_question_vote"));
        String live = annPage.get(PAGE + "/live").bodyAsString();
        assertTrue(live.contains("live questions are closed"), live);
        assertFalse(live.contains("action=\"" + PAGE + "/live/questions\""), "no question form");

        // The schema holds the same line for any code path.
        PgException raw = assertThrows(PgException.class, () -> sql("INSERT INTO meetup_question (course_id, cohort_id, author_id, body, created_at) "
                + "SELECT 'cafe', 'autumn', id, 'raw', now() FROM account WHERE email = 'ann.end@example.org'"));
        assertEquals("KM002", raw.getSqlState());
        raw = assertThrows(PgException.class, () -> sql("INSERT INTO meetup_registration (course_id, cohort_id, account_id, status, seq, code, created_at, updated_at) "
                + "SELECT 'cafe', 'autumn', id, 'confirmed', 999, 'RAW0-CODE', now(), now() FROM account WHERE email = 'late.end@example.org'"));
        assertEquals("KM002", raw.getSqlState());

        // After the harvest is published the page links it, and the end stays.
        assertEquals(200, orgApi.call(HttpMethod.POST, API + "/harvest/publication", null).statusCode());
        assertTrue(annPage.get(PAGE).bodyAsString().contains("href=\"" + PAGE + "/harvest\""), "the harvest is linked");
        HttpResponse<Buffer> reopen = orgApi.call(HttpMethod.POST, API + "/reopening", null);
        assertEquals(409, reopen.statusCode());
        assertTrue(reopen.bodyAsJsonObject().getString("detail").contains("harvest is published"), reopen.bodyAsString());
        assertNotNull(endedAt());
        raw = assertThrows(PgException.class, () -> sql("UPDATE meetup_session SET ended_at = NULL WHERE course_id = 'cafe' AND cohort_id = 'autumn'"));
        assertEquals("KM003", raw.getSqlState());
    }

    @Test
    void organisersCanReopenFor24HoursAndParticipantsCannotEndOrReopen() {
        ApiUser ann = participant("ann.reopen@example.org", "autumn");
        assertEquals(200, ann.call(HttpMethod.POST, API + "/registration", null).statusCode());
        clock.set(CAFE.plus(Duration.ofMinutes(30)));
        Browser annPage = node.browser().signIn("ann.reopen@example.org");
        annPage.get(PAGE);
        assertEquals(403, annPage.post(PAGE + "/end", "confirm", "yes").statusCode());
        assertEquals(403, annPage.post(PAGE + "/end").statusCode(), "not even the confirm step");
        assertEquals(403, annPage.get(PAGE + "/end").statusCode());
        assertEquals(403, ann.call(HttpMethod.POST, API + "/end", null).statusCode());
        assertNull(endedAt());

        Browser org = organiser();
        assertEquals(409, org.post(PAGE + "/reopening").statusCode(), "nothing to reopen");
        assertEquals(303, org.post(PAGE + "/end", "confirm", "yes").statusCode());
        Instant ended = endedAt();
        assertNotNull(ended);
        assertEquals(403, annPage.post(PAGE + "/reopening").statusCode());
        assertEquals(403, ann.call(HttpMethod.POST, API + "/reopening", null).statusCode());
        assertNotNull(endedAt());

        String page = org.get(PAGE).bodyAsString();
        assertTrue(page.contains("Reopen the meetup") && page.contains("You can reopen it until"), page);
        clock.set(CAFE.plus(Duration.ofHours(2)));
        HttpResponse<Buffer> reopened = org.post(PAGE + "/reopening");
        assertEquals(303, reopened.statusCode());
        assertNull(endedAt(), "running again");
        assertFalse(annPage.get(PAGE).bodyAsString().contains("This meetup has ended"));
        assertEquals(201, ann.call(HttpMethod.POST, API + "/live/questions", new JsonObject().put("body", "Reopened")).statusCode(),
                "questions are open again");

        ApiUser orgApi = ApiUser.create(node, clock, "org@example.org");
        assertEquals(200, orgApi.call(HttpMethod.POST, API + "/end", null).statusCode());
        Instant second = endedAt();
        assertEquals(CAFE.plus(Duration.ofHours(2)), second);
        clock.set(second.plus(Duration.ofHours(24)).plusSeconds(1));
        HttpResponse<Buffer> late = orgApi.call(HttpMethod.POST, API + "/reopening", null);
        assertEquals(409, late.statusCode());
        assertTrue(late.bodyAsJsonObject().getString("detail").contains("can be reopened for 24 hours"), late.bodyAsString());
        assertEquals(second, endedAt());
        assertFalse(org.get(PAGE + "/control").bodyAsString().contains("Reopen the meetup"), "no button once too late");
    }

    @Test
    void theStartButtonSaysItNeedsAnAgendaItem() {
        Browser org = organiser();
        String control = org.get(PAGE + "/control").bodyAsString();
        assertTrue(control.contains("Add an agenda item first"), control);
        assertTrue(control.contains("disabled aria-describedby=\"rounds-need-agenda\""), "the button shows, disabled");
        assertFalse(control.contains("action=\"" + PAGE + "/rounds\""));
        assertEquals(303, org.post(PAGE + "/agenda", "title", "What will you try on Monday?").statusCode());
        control = org.get(PAGE + "/control").bodyAsString();
        assertFalse(control.contains("Add an agenda item first"));
        assertTrue(control.contains("action=\"" + PAGE + "/rounds\""), "and becomes a real button");
    }

    @Test
    void theHintsSpeakDutchToADutchOrganiser() {
        Browser org = organiser();
        sql("UPDATE account SET language = 'nl' WHERE email = 'org@example.org'");
        String control = org.get(PAGE + "/control").bodyAsString();
        assertTrue(control.contains("Zet eerst een vraag op de agenda"), control);
        assertTrue(control.contains("Beëindigen kan zodra ze begonnen is, vanaf"), control);
        String refused = org.post(PAGE + "/end", "confirm", "yes").bodyAsString();
        assertTrue(refused.contains("kan pas worden beëindigd als ze begonnen is"), refused);
    }

    @Test
    void aCohortWithoutASharedMeetupSaysSoInsteadOfA404() {
        participant("own.pace@example.org", "own-pace");
        Browser me = node.browser().signIn("own.pace@example.org");
        HttpResponse<Buffer> page = me.get("/courses/cafe/own-pace/meetup");
        assertEquals(200, page.statusCode());
        String html = page.bodyAsString();
        assertTrue(html.contains("This cohort is self-paced") && html.contains("no shared meetup"), html);
        assertTrue(html.contains("href=\"/courses/cafe/own-pace/meetup/questions\""), "points to the questions page and says what it is for");
        HttpResponse<Buffer> questions = me.get("/courses/cafe/own-pace/meetup/questions");
        assertEquals(200, questions.statusCode());
        assertTrue(questions.bodyAsString().contains("This cohort has no shared meetup"), "the questions page promises no meetup");
        assertTrue(questions.bodyAsString().contains("<h1>Nominated questions</h1>"), "and is not titled for a meetup");
        String home = me.get("/courses/cafe/own-pace").bodyAsString();
        assertTrue(home.contains("Nominated questions") && !home.contains("Questions for the meetup"), home);
        assertTrue(me.get("/courses/cafe/autumn").statusCode() == 200);
        for (String link : List.of("/courses/cafe/own-pace/meetup\"", "/courses/cafe/own-pace/meetup/questions\"")) {
            if (home.contains(link)) assertEquals(200, me.get(link.substring(0, link.length() - 1)).statusCode(), link);
        }
        assertEquals(404, me.get("/api/v1/courses/cafe/own-pace/meetup").statusCode(), "the API has no meetup to describe");

        assertEquals(200, node.browser().signIn("fac@example.org").get("/courses/cafe/own-pace/meetup").statusCode(), "facilitators too");
        assertEquals(403, node.browser().signIn("stranger.pace@example.org").get("/courses/cafe/own-pace/meetup").statusCode(),
                "not a member: refused as for any meetup");

        // A course without a meetup at all.
        ApiUser demo = ApiUser.create(node, clock, "demo.member@example.org");
        assertEquals(200, demo.call(HttpMethod.POST, "/api/v1/courses/demo/spring/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        String none = node.browser().signIn("demo.member@example.org").get("/courses/demo/spring/meetup").bodyAsString();
        assertTrue(none.contains("This cohort has no shared meetup."), none);
    }
}
