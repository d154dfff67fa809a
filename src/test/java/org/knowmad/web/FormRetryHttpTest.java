package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.knowmad.support.TestNode;

/**
 * Every form that uses {@link FormRetry}: bad input comes back on the form's own page with a 4xx, the message
 * beside the field, every field as typed, and nothing written. Refusals of who may do it keep the error page.
 */
@ExtendWith(VertxExtension.class)
class FormRetryHttpTest {

    static final String MODULE = "/courses/demo/spring/modules/week-1";
    static final String ASSIGNMENT = "/courses/demo/spring/modules/week-3/assignment";
    static final Pattern TITLE_ERROR = Pattern.compile("name=\"title\"[^>]*aria-invalid=\"true\" aria-describedby=\"error-title\">\\s*"
            + "<small class=\"field-error\" id=\"error-title\" role=\"alert\">Give your thread a title.</small>");

    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Browser member(String email) {
        Browser b = node.browser().signIn(email);
        b.get("/courses/demo/spring");
        assertEquals(303, b.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        return b;
    }

    @Test
    void newThreadReplyAndEditComeBackFilledIn() {
        Browser ivy = member("ivy@example.org");
        ivy.get(MODULE);
        HttpResponse<Buffer> bad = ivy.post(MODULE + "/threads", "title", "  ", "body", "My story <b>bold</b>", "anonymous", "on", "_idem", "t1");
        assertEquals(400, bad.statusCode());
        String page = bad.bodyAsString();
        assertTrue(page.contains("<h1>Week one</h1>"), "the module page again");
        assertTrue(TITLE_ERROR.matcher(page).find(), page);
        assertTrue(page.contains(">My story &lt;b&gt;bold&lt;/b&gt;</textarea>"), "the body as typed, escaped");
        assertTrue(page.contains("name=\"anonymous\" checked"));
        assertTrue(page.contains("<details open>"), "the form is open");
        assertEquals(0, count("SELECT count(*) FROM thread"), "nothing written");

        HttpResponse<Buffer> made = ivy.post(MODULE + "/threads", "title", "Hello", "body", "First", "_idem", "t1");
        assertEquals(303, made.statusCode(), "the refused attempt left its key free");
        String thread = made.getHeader("Location");

        ivy.get(thread);
        HttpResponse<Buffer> reply = ivy.post(thread + "/posts", "body", " \n ", "anonymous", "on");
        assertEquals(400, reply.statusCode());
        assertTrue(reply.bodyAsString().contains("<small class=\"field-error\" id=\"error-body\" role=\"alert\">Write something first: an empty post cannot be posted.</small>"),
                reply.bodyAsString());
        assertTrue(reply.bodyAsString().contains("name=\"anonymous\" checked"));
        assertTrue(reply.bodyAsString().contains("<h1>Hello</h1>"), "the thread page again");
        assertEquals(1, count("SELECT count(*) FROM post"));

        String tooLong = "x".repeat(20_001);
        ivy.get(thread + "/posts/1/edit");
        HttpResponse<Buffer> edit = ivy.post(thread + "/posts/1/edit", "body", tooLong);
        assertEquals(400, edit.statusCode());
        assertTrue(edit.bodyAsString().contains(">" + tooLong + "</textarea>"), "the edit as typed");
        assertTrue(edit.bodyAsString().contains("id=\"error-body\""));
        assertEquals("First", Await.await(node.app.pool().query("SELECT body FROM post").execute()).iterator().next().getString(0));
    }

    @Test
    void signInEmailAndJoiningWithAnInviteComeBackFilledIn() {
        Browser visitor = node.browser();
        visitor.get("/signin?return=/courses/demo/spring");
        HttpResponse<Buffer> bad = visitor.post("/signin", "email", "ivy-at-example", "return", "/courses/demo/spring");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.bodyAsString().contains("value=\"ivy-at-example\" aria-invalid=\"true\" aria-describedby=\"error-email\">"), bad.bodyAsString());
        assertTrue(bad.bodyAsString().contains("id=\"error-email\""));
        assertTrue(bad.bodyAsString().contains("name=\"return\" value=\"/courses/demo/spring\""), "where to go after signing in is kept");
        assertEquals(0, count("SELECT count(*) FROM outbox"), "no mail");

        Browser jo = node.browser().signIn("jo@example.org");
        jo.get("/courses/demo/invited");
        HttpResponse<Buffer> join = jo.post("/courses/demo/invited/join", "invite", "CODE-1", "_idem", "j1");
        assertEquals(400, join.statusCode());
        assertTrue(join.bodyAsString().contains("name=\"invite\" value=\"CODE-1\""));
        assertTrue(join.bodyAsString().contains("<small class=\"field-error\" id=\"error-acceptGuidelines\" role=\"alert\">To join, accept the community guidelines.</small>"));
        assertEquals(0, count("SELECT count(*) FROM enrolment"));
        // Who may do it is not a form error: a wrong invite code still gets the plain refusal.
        assertEquals(403, jo.post("/courses/demo/invited/join", "invite", "CODE-1", "acceptGuidelines", "on").statusCode());
    }

    @Test
    void submissionAndReviewComeBackFilledIn() {
        Browser ann = member("ann.p@example.org");
        Browser bob = member("bob.p@example.org");
        clock.set(Instant.parse("2030-03-18T10:00:00Z"));
        ann.get(ASSIGNMENT);
        HttpResponse<Buffer> empty = ann.post(ASSIGNMENT + "/submission", "text", "  ", "action", "submit", "_idem", "s1");
        assertEquals(400, empty.statusCode());
        assertTrue(empty.bodyAsString().contains("id=\"error-text\""));
        String tooLong = "y".repeat(20_001);
        HttpResponse<Buffer> long1 = ann.post(ASSIGNMENT + "/submission", "text", tooLong, "action", "submit");
        assertEquals(400, long1.statusCode());
        assertTrue(long1.bodyAsString().contains(">" + tooLong + "</textarea>"));
        assertEquals(0, count("SELECT count(*) FROM submission"));
        assertEquals(303, ann.post(ASSIGNMENT + "/submission", "text", "Ann's practice", "action", "submit").statusCode());
        HttpResponse<Buffer> self = ann.post(ASSIGNMENT + "/self", "score-clarity", "1", "score-depth", "2", "comment", "z".repeat(5001));
        assertEquals(400, self.statusCode());
        assertTrue(self.bodyAsString().contains("id=\"error-comment\""), self.bodyAsString());
        assertTrue(self.bodyAsString().contains("name=\"score-depth\" value=\"2\" required checked"), "the self-assessment as chosen");
        assertEquals(0, count("SELECT count(*) FROM self_assessment"));
        bob.get(ASSIGNMENT);
        assertEquals(303, bob.post(ASSIGNMENT + "/submission", "text", "Bob's practice", "action", "submit").statusCode());

        clock.set(Instant.parse("2030-03-22T09:00:00Z"));
        ann.get(ASSIGNMENT);
        String review = ann.post(ASSIGNMENT + "/next-review").getHeader("Location");
        ann.get(review);
        String comment = "A clear story <with> one concrete next step that anyone could take tomorrow.";
        HttpResponse<Buffer> bad = ann.post(review, "score-clarity", "1", "score-depth", "5", "comment", comment);
        assertEquals(400, bad.statusCode());
        String page = bad.bodyAsString();
        assertTrue(page.contains("id=\"error-score-depth\""), page);
        assertTrue(page.contains("name=\"score-clarity\" value=\"1\" required checked"), "the chosen level stays chosen");
        assertTrue(page.contains("A clear story &lt;with&gt; one concrete next step"), "the comment as typed");
        HttpResponse<Buffer> shortComment = ann.post(review, "score-clarity", "1", "score-depth", "2", "comment", "ok");
        assertEquals(400, shortComment.statusCode());
        assertTrue(shortComment.bodyAsString().contains("id=\"error-comment\""));
        assertEquals(0, count("SELECT count(*) FROM review WHERE comment IS NOT NULL AND comment <> ''"));
    }

    @Test
    void walkInAndAgendaItemComeBackOnTheControlPage() {
        clock.set(Instant.parse("2030-09-03T10:00:00Z"));
        Browser fay = node.browser().signIn("fac@example.org");
        String control = "/courses/cafe/autumn/meetup/control";
        fay.get(control);
        HttpResponse<Buffer> walkIn = fay.post("/courses/cafe/autumn/meetup/walk-ins", "email", "kim-at-example", "name", "Kim", "_idem", "w1");
        assertEquals(400, walkIn.statusCode());
        assertTrue(walkIn.bodyAsString().contains("name=\"email\" required value=\"kim-at-example\" aria-invalid=\"true\""), walkIn.bodyAsString());
        assertTrue(walkIn.bodyAsString().contains("id=\"error-email\""));
        assertTrue(walkIn.bodyAsString().contains("name=\"name\" maxlength=\"100\" value=\"Kim\""));
        assertEquals(0, count("SELECT count(*) FROM meetup_registration"));

        HttpResponse<Buffer> agenda = fay.post("/courses/cafe/autumn/meetup/agenda", "title", "x".repeat(201), "_idem", "a1");
        assertEquals(400, agenda.statusCode());
        assertTrue(agenda.bodyAsString().contains("value=\"" + "x".repeat(201) + "\" aria-invalid=\"true\""));
        assertTrue(agenda.bodyAsString().contains("id=\"error-title\""));
        assertEquals(0, count("SELECT count(*) FROM meetup_agenda_item"));

        HttpResponse<Buffer> code = fay.post("/courses/cafe/autumn/meetup/checkins", "code", "ABCD-EFGH-IJKL-MNOP-QRST", "_idem", "c1");
        assertEquals(400, code.statusCode());
        assertTrue(code.bodyAsString().contains("name=\"code\" value=\"ABCD-EFGH-IJKL-MNOP-QRST\""), code.bodyAsString());
        assertTrue(code.bodyAsString().contains("id=\"error-code\""));
    }

    @Test
    void refusalsOfWhoMayDoItAndTheApiAreNotFormErrors() {
        Browser stranger = node.browser().signIn("stranger@example.org");
        stranger.get("/courses/demo");
        HttpResponse<Buffer> forbidden = stranger.post("/courses/demo/cohorts", "starts", "bad", "id", "Bad");
        assertEquals(403, forbidden.statusCode(), "not a facilitator: the plain refusal, nothing echoed");
        assertFalse(forbidden.bodyAsString().contains("field-error"));
        ApiUser api = ApiUser.joined(node, clock, "api@example.org", "spring");
        HttpResponse<Buffer> r = api.call(HttpMethod.POST, "/api/v1" + MODULE + "/threads", new JsonObject().put("title", "").put("body", "x"));
        assertEquals(400, r.statusCode());
        assertEquals("title", r.bodyAsJsonObject().getString("field"));
        for (String s : List.of("type", "title", "status", "detail", "code")) assertTrue(r.bodyAsJsonObject().containsKey(s), s);
        clock.advance(Duration.ofSeconds(1));
    }

    private long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
