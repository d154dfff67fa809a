package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.knowmad.support.TestNode;

/**
 * Peer review over HTTP on a real database: submit, review next, review with the rubric, grades after the
 * window, feedback ratings and flags, the facilitators' views, and every refusal.
 */
@ExtendWith(VertxExtension.class)
class ReviewHttpTest {

    /** The demo course's spring cohort: week 3 opens 18 March, submit by 22 March, review by 26 March (09:00 Amsterdam). */
    static final Instant WEEK_3_OPEN = Instant.parse("2030-03-18T08:00:00Z");
    static final Instant SUBMIT_BY = Instant.parse("2030-03-22T08:00:00Z");
    static final Instant REVIEW_BY = Instant.parse("2030-03-26T08:00:00Z");
    static final String API = "/api/v1/courses/demo/spring/modules/week-3/assignment";
    static final String PAGE = "/courses/demo/spring/modules/week-3/assignment";
    static final String COMMENT = "Clear story about the practice; the conclusion could name one concrete next step.";

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

    private List<ApiUser> participants(String prefix, int n) {
        List<ApiUser> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(ApiUser.joined(node, clock, prefix + i + "@example.org", "spring"));
        return list;
    }

    private static HttpResponse<Buffer> submit(ApiUser who, String text) {
        return who.call(HttpMethod.PUT, API + "/submission", new JsonObject().put("text", text));
    }

    private static JsonObject review(int clarity, int depth) {
        return new JsonObject().put("scores", new JsonObject().put("clarity", clarity).put("depth", depth)).put("comment", COMMENT);
    }

    private static String problemKey(HttpResponse<Buffer> r) {
        return r.bodyAsJsonObject().getString("detail", "") + " " + r.bodyAsJsonObject().getString("title", "");
    }

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    /** Everyone asks for reviews until nothing needs one; answers how many reviews were written. */
    private int reviewUntilDone(List<ApiUser> reviewers, int rounds) {
        int written = 0;
        for (int round = 0; round < rounds; round++) {
            for (ApiUser r : reviewers) {
                HttpResponse<Buffer> claim = r.call(HttpMethod.POST, API + "/next-review", null);
                if (claim.statusCode() == 409) continue;
                assertEquals(200, claim.statusCode(), claim.bodyAsString());
                if (claim.bodyAsJsonObject().getBoolean("extra")) continue;
                long id = claim.bodyAsJsonObject().getLong("id");
                HttpResponse<Buffer> saved = r.call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1 + (written % 2)));
                assertEquals(200, saved.statusCode(), saved.bodyAsString());
                written++;
            }
        }
        return written;
    }

    @Test
    void submitReviewGradeRateAndFlag() {
        List<ApiUser> people = participants("pr", 5);
        ApiUser fac = ApiUser.create(node, clock, "fac@example.org");
        clock.set(WEEK_3_OPEN.plus(Duration.ofDays(1)));

        HttpResponse<Buffer> draft = people.get(0).call(HttpMethod.PUT, API + "/submission", new JsonObject().put("text", "half done").put("draft", true));
        assertEquals(200, draft.statusCode(), draft.bodyAsString());
        assertEquals("half done", draft.bodyAsJsonObject().getJsonObject("submission").getString("draft"));
        assertNull(draft.bodyAsJsonObject().getJsonObject("submission").getString("text"), "a draft is not submitted");
        for (int i = 0; i < people.size(); i++) assertEquals(200, submit(people.get(i), "My practice number " + i).statusCode());
        assertEquals(200, submit(people.get(0), "My practice number 0, better").statusCode(), "resubmission before the deadline");
        HttpResponse<Buffer> early = people.get(1).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(409, early.statusCode(), "reviewing starts at the deadline");
        assertEquals(SUBMIT_BY, java.time.OffsetDateTime.parse(early.bodyAsJsonObject().getString("opensAt")).toInstant());

        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        assertEquals(409, submit(people.get(0), "too late to change").statusCode(), "submitted work is final after the deadline");

        HttpResponse<Buffer> first = people.get(1).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(200, first.statusCode(), first.bodyAsString());
        HttpResponse<Buffer> again = people.get(1).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(first.bodyAsJsonObject().getLong("id"), again.bodyAsJsonObject().getLong("id"), "the open claim comes back");
        assertNotEquals("My practice number 1", first.bodyAsJsonObject().getJsonObject("submission").getString("text"), "never your own");

        int written = reviewUntilDone(people, 5);
        assertTrue(written >= 15, "every submission reached k = 3: " + written);
        List<Row> perSubmission = sql("SELECT s.author_id, count(r.id) FILTER (WHERE r.completed_at IS NOT NULL) AS done, "
                + "bool_or(r.reviewer_id = s.author_id) AS self FROM submission s LEFT JOIN review r ON r.submission_id = s.id GROUP BY s.id");
        assertEquals(5, perSubmission.size());
        for (Row row : perSubmission) {
            assertTrue(row.getLong("done") >= 3, "reviews: " + row.getLong("done"));
            assertFalse(Boolean.TRUE.equals(row.getBoolean("self")), "no self review");
        }
        JsonObject before = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject();
        assertEquals("reviewing", before.getString("phase"));
        assertNull(before.getJsonArray("feedback"), "no feedback before the window closes");

        clock.set(REVIEW_BY.plus(Duration.ofMinutes(1)));
        long anyReview = sql("SELECT id FROM review LIMIT 1").get(0).getLong("id");
        long reviewerOf = sql("SELECT reviewer_id FROM review WHERE id = $1", anyReview).get(0).getLong("reviewer_id");
        assertTrue(reviewerOf > 0);
        HttpResponse<Buffer> lateEdit = people.get(1).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(409, lateEdit.statusCode(), "reviewing ends at review_by");

        assertEquals(5, Await.await(node.app.reviews().runOnce()));
        assertEquals(0, Await.await(node.app.reviews().runOnce()), "grades are computed once");
        assertEquals(5, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'feedback:%'").get(0).getLong(0), "feedback-ready mail, once each");

        HttpResponse<Buffer> mine = people.get(0).call(HttpMethod.GET, API, null);
        JsonObject overview = mine.bodyAsJsonObject();
        assertEquals("closed", overview.getString("phase"));
        JsonObject grade = overview.getJsonObject("grade");
        assertNotNull(grade, overview.encode());
        assertEquals(3.0, grade.getDouble("max"));
        assertTrue(grade.getDouble("median") >= 2.0 && grade.getDouble("median") <= 3.0, grade.encode());
        JsonArray feedback = overview.getJsonArray("feedback");
        assertTrue(feedback.size() >= 3);
        String raw = mine.bodyAsString();
        for (int i = 1; i < people.size(); i++) assertFalse(raw.contains("pr" + i + "@"), "reviewers stay anonymous");
        assertFalse(feedback.getJsonObject(0).containsKey("reviewerId"));

        long rated = feedback.getJsonObject(0).getLong("id");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + rated + "/rating", new JsonObject().put("helpful", 6)).statusCode());
        assertEquals(200, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + rated + "/rating", new JsonObject().put("helpful", 4)).statusCode());
        assertEquals(404, people.get(1).call(HttpMethod.PUT, "/api/v1/reviews/" + rated + "/rating", new JsonObject().put("helpful", 1)).statusCode(),
                "only the author rates");
        long reviewer = sql("SELECT reviewer_id FROM review WHERE id = $1", rated).get(0).getLong(0);
        ApiUser writer = people.stream().filter(p -> reviewerId(p) == reviewer).findFirst().orElseThrow();
        JsonArray theirs = writer.call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("myReviews");
        assertTrue(theirs.stream().map(JsonObject.class::cast).anyMatch(r -> r.getLong("id") == rated && Integer.valueOf(4).equals(r.getInteger("helpful"))),
                "reviewers see how helpful their reviews were");

        long flagged = feedback.getJsonObject(1).getLong("id");
        assertEquals(200, people.get(0).call(HttpMethod.POST, "/api/v1/reviews/" + flagged + "/flag", new JsonObject().put("reason", "rude")).statusCode());
        assertEquals(409, people.get(0).call(HttpMethod.POST, "/api/v1/reviews/" + flagged + "/flag", new JsonObject()).statusCode(), "flagged once");
        JsonArray hidden = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("feedback");
        assertEquals(feedback.size() - 1, hidden.size(), "a flagged review is hidden until a facilitator decides");

        assertEquals(403, people.get(0).call(HttpMethod.GET, API + "/submissions", null).statusCode(), "participants do not see others' reviews");
        JsonArray all = fac.call(HttpMethod.GET, API + "/submissions", null).bodyAsJsonObject().getJsonArray("submissions");
        assertEquals(5, all.size());
        JsonObject withFlag = all.stream().map(JsonObject.class::cast).filter(s -> s.getInteger("pendingFlags") == 1).findFirst().orElseThrow();
        assertEquals("flagged", withFlag.getString("queue"));

        Browser facPage = node.browser().signIn("fac@example.org");
        HttpResponse<Buffer> decision = facPage.post(PAGE + "/reviews/" + flagged + "/decision", "decision", "keep");
        assertEquals(303, decision.statusCode(), decision.bodyAsString());
        assertEquals(feedback.size(), people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("feedback").size(), "kept: shown again");
        int reviewsInGrade = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("grade").getInteger("reviews");
        long abusive = feedback.getJsonObject(2).getLong("id");
        assertEquals(200, people.get(0).call(HttpMethod.POST, "/api/v1/reviews/" + abusive + "/flag", new JsonObject().put("reason", "insulting")).statusCode());
        assertEquals(303, facPage.post(PAGE + "/reviews/" + abusive + "/decision", "decision", "remove").statusCode());
        JsonObject afterRemoval = fac.call(HttpMethod.GET, API + "/submissions", null).bodyAsJsonObject().getJsonArray("submissions").stream()
                .map(JsonObject.class::cast).filter(x -> x.getLong("id").equals(withFlag.getLong("id"))).findFirst().orElseThrow();
        assertEquals(withFlag.getInteger("completed") - 1, afterRemoval.getInteger("completed"), "a removed review no longer counts");
        if (afterRemoval.getInteger("completed") < 3) assertEquals("short", afterRemoval.getString("queue"));
        assertEquals(feedback.size() - 1, people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonArray("feedback").size(),
                "and the author no longer sees it");
        assertEquals(reviewsInGrade - 1, people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("grade").getInteger("reviews"),
                "nor does it count in the grade");

        long submission = withFlag.getLong("id");
        assertEquals(400, fac.call(HttpMethod.PUT, API + "/submissions/" + submission + "/grade", new JsonObject().put("points", 7).put("note", "x")).statusCode(),
                "more than the maximum");
        assertEquals(400, fac.call(HttpMethod.PUT, API + "/submissions/" + submission + "/grade", new JsonObject().put("points", 2)).statusCode(), "note required");
        facPage.get(PAGE + "/submissions");
        HttpResponse<Buffer> noNote = facPage.post(PAGE + "/submissions/" + submission + "/grade", "points", "2,5", "note", " ");
        assertEquals(400, noNote.statusCode(), "the form comes back on the submissions page");
        String gradeForm = noNote.bodyAsString().substring(noNote.bodyAsString().indexOf("action=\"" + PAGE + "/submissions/" + submission + "/grade\""));
        assertTrue(gradeForm.contains("name=\"points\" value=\"2,5\""), "the points as typed, in that submission's form");
        assertTrue(gradeForm.contains("id=\"error-note\""), "the message beside the note");
        assertNull(people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("grade").getString("note"), "nothing written");
        assertEquals(200, fac.call(HttpMethod.PUT, API + "/submissions/" + submission + "/grade",
                new JsonObject().put("points", 2.5).put("note", "Checked by hand")).statusCode());
        assertEquals(403, people.get(1).call(HttpMethod.PUT, API + "/submissions/" + submission + "/grade",
                new JsonObject().put("points", 3).put("note", "mine")).statusCode());
        JsonObject overridden = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject().getJsonObject("grade");
        assertEquals(2.5, overridden.getDouble("published"));
        assertEquals("Checked by hand", overridden.getString("note"));

        HttpResponse<Buffer> csv = facPage.get(PAGE + "/grades.csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
        assertEquals(6, csv.bodyAsString().split("\r\n").length, "header and one line per submission");
        assertTrue(csv.bodyAsString().contains("Checked by hand"));
        assertEquals(403, node.browser().signIn("pr0@example.org").get(PAGE + "/grades.csv").statusCode());

        Browser author = node.browser().signIn("pr0@example.org");
        HttpResponse<Buffer> page = author.get(PAGE);
        assertEquals(200, page.statusCode());
        assertTrue(page.bodyAsString().contains("2.5"), "the page shows the grade");
        assertFalse(page.bodyAsString().contains("pr1@example.org"), "and no reviewer");
    }

    private long reviewerId(ApiUser who) {
        return who.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
    }

    @Test
    void theWholeFlowWorksFromTheHtmlPages() {
        Browser ann = node.browser().signIn("ann.p@example.org");
        Browser bob = node.browser().signIn("bob.p@example.org");
        for (Browser b : List.of(ann, bob)) assertEquals(303, b.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(2)));
        assertTrue(node.browser().signIn("ann.p@example.org").get("/courses/demo/spring/modules/week-3").bodyAsString().contains(PAGE));

        HttpResponse<Buffer> saved = ann.post(PAGE + "/submission", "text", "A *draft*", "action", "draft");
        assertEquals(303, saved.statusCode(), saved.bodyAsString());
        assertTrue(ann.get(PAGE).bodyAsString().contains("A *draft*"), "the draft comes back in the editor");
        assertEquals(303, ann.post(PAGE + "/submission", "text", "Ann's **practice**", "action", "submit").statusCode());
        assertEquals(303, bob.post(PAGE + "/submission", "text", "Bob's practice <script>alert(1)</script>", "action", "submit").statusCode());
        assertEquals(403, ann.postWithoutCsrf(PAGE + "/submission", "text", "x", "action", "submit").statusCode());
        assertEquals(303, ann.post(PAGE + "/self", "score-clarity", "1", "score-depth", "1", "comment", "Honest enough").statusCode());
        assertTrue(ann.get(PAGE).bodyAsString().contains("You gave yourself 2"));

        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        HttpResponse<Buffer> next = ann.post(PAGE + "/next-review");
        assertEquals(303, next.statusCode(), next.bodyAsString());
        String reviewPath = next.getHeader("Location");
        assertTrue(reviewPath.startsWith(PAGE + "/reviews/"), reviewPath);
        HttpResponse<Buffer> form = ann.get(reviewPath);
        assertEquals(200, form.statusCode());
        assertTrue(form.bodyAsString().contains("Bob&#39;s practice"), form.bodyAsString());
        assertFalse(form.bodyAsString().contains("<script>alert(1)"), "submissions are sanitised");
        assertTrue(form.bodyAsString().contains("name=\"score-depth\""));
        assertEquals(404, bob.get(reviewPath).statusCode(), "someone else's review does not exist for you");

        HttpResponse<Buffer> bad = ann.post(reviewPath, "score-clarity", "1", "score-depth", "5", "comment", COMMENT);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.bodyAsString().contains("Depth"), "the message names the criterion");
        HttpResponse<Buffer> ok = ann.post(reviewPath, "score-clarity", "1", "score-depth", "2", "comment", COMMENT);
        assertEquals(303, ok.statusCode(), ok.bodyAsString());
        assertTrue(ann.get(PAGE).bodyAsString().contains(reviewPath), "the page lists my review");
        HttpResponse<Buffer> edited = ann.post(reviewPath, "score-clarity", "0", "score-depth", "2", "comment", COMMENT + " Edited.");
        assertEquals(303, edited.statusCode(), "reviews are editable until the deadline");

        clock.set(REVIEW_BY.plus(Duration.ofMinutes(5)));
        assertEquals(409, ann.post(reviewPath, "score-clarity", "1", "score-depth", "2", "comment", COMMENT).statusCode(), "not after review_by");
        Await.await(node.app.reviews().runOnce());
        String bobPage = bob.get(PAGE).bodyAsString();
        assertTrue(bobPage.contains("Edited."), "bob reads the review");
        assertTrue(bobPage.contains("feedback/"), "with the rating form");
        assertFalse(bobPage.contains("ann.p@"), "anonymous");
        String feedbackPath = bobPage.substring(bobPage.indexOf(PAGE + "/feedback/"));
        feedbackPath = feedbackPath.substring(0, feedbackPath.indexOf('"'));
        assertEquals(303, bob.post(feedbackPath, "helpful", "5").statusCode());
        assertEquals(400, bob.post(feedbackPath, "helpful", "zero").statusCode());
        String flagPath = feedbackPath.replace("/rating", "/flag");
        assertEquals(303, bob.post(flagPath, "reason", "not about my text").statusCode());
        assertFalse(bob.get(PAGE).bodyAsString().contains("Edited."), "a reported review is hidden until a facilitator decides");
        Browser fac = node.browser().signIn("fac@example.org");
        String overview = fac.get(PAGE + "/submissions").bodyAsString();
        assertTrue(overview.contains("not about my text"), "the facilitator sees the report");
        long bobsWork = sql("SELECT s.id FROM submission s JOIN account a ON a.id = s.author_id WHERE a.email = 'bob.p@example.org'").get(0).getLong(0);
        HttpResponse<Buffer> override = fac.post(PAGE + "/submissions/" + bobsWork + "/grade", "points", "2,5", "note", "One review only; read it myself");
        assertEquals(303, override.statusCode(), override.bodyAsString());
        assertTrue(bob.get(PAGE).bodyAsString().contains("One review only; read it myself"));
        assertEquals(400, fac.post(PAGE + "/submissions/" + bobsWork + "/grade", "points", "lots", "note", "x").statusCode());
    }

    @Test
    void refusals() {
        List<ApiUser> people = participants("rf", 2);
        ApiUser outsider = ApiUser.create(node, clock, "outsider@example.org");
        clock.set(WEEK_3_OPEN.minus(Duration.ofHours(1)));
        HttpResponse<Buffer> locked = submit(people.get(0), "too early");
        assertEquals(403, locked.statusCode(), "the module is still locked");
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        assertEquals(403, submit(outsider, "not in the cohort").statusCode());
        assertEquals(Integer.valueOf(401), Await.await(node.vertx.createHttpClient().request(HttpMethod.GET, node.port(), "localhost", API)
                .compose(r -> r.send()).map(r -> (Integer) r.statusCode())));
        assertEquals(400, submit(people.get(0), "   ").statusCode(), "empty");
        HttpResponse<Buffer> tooLong = submit(people.get(0), "x".repeat(ReviewService.MAX_TEXT + 1));
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.bodyAsString().contains("20"), tooLong.bodyAsString());
        assertEquals(400, people.get(0).call(HttpMethod.PUT, API + "/submission", new JsonObject().put("text", 42)).statusCode(), "text must be a string");
        assertEquals(404, people.get(0).call(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1/assignment", null).statusCode(),
                "a module without an assignment");
        assertEquals(200, submit(people.get(0), "Mine").statusCode());

        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        HttpResponse<Buffer> notSubmitted = people.get(1).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(409, notSubmitted.statusCode(), "review others after submitting");
        HttpResponse<Buffer> alone = people.get(0).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(409, alone.statusCode(), "nothing to review but your own work");

        HttpResponse<Buffer> late = submit(people.get(1), "Late work");
        assertEquals(200, late.statusCode());
        assertTrue(late.bodyAsJsonObject().getJsonObject("submission").getBoolean("late"));
        HttpResponse<Buffer> claim = people.get(0).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(200, claim.statusCode(), "late work enters the pool at once");
        long id = claim.bodyAsJsonObject().getLong("id");
        assertEquals(404, people.get(1).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1)).statusCode(), "not your review");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 3)).statusCode(), "no such level");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id,
                new JsonObject().put("scores", new JsonObject().put("clarity", 1)).put("comment", COMMENT)).statusCode(), "a criterion missing");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id,
                new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", 1).put("charm", 2)).put("comment", COMMENT)).statusCode(),
                "an unknown criterion");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1).put("comment", "ok")).statusCode(), "comment too short");
        assertEquals(400, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1).put("scores", "1,1")).statusCode());
        assertEquals(0, sql("SELECT count(*) FROM review WHERE completed_at IS NOT NULL").get(0).getLong(0), "nothing half-written");
        assertEquals(200, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1)).statusCode());
        assertEquals(404, people.get(1).call(HttpMethod.PUT, "/api/v1/reviews/" + id + "/rating", new JsonObject().put("helpful", 5)).statusCode(),
                "the author sees reviews only after the window");
        assertEquals(404, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/999999", review(1, 1)).statusCode());
        assertEquals(404, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/abc", review(1, 1)).statusCode());
    }

    @Test
    void concurrentReviewersNeverOverClaimASubmission() {
        List<ApiUser> people = participants("cc", 12);
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        for (ApiUser p : people) assertEquals(200, submit(p, "Work").statusCode());
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        for (int round = 0; round < 5; round++) {
            List<Future<HttpResponse<Buffer>>> claims = new ArrayList<>();
            for (ApiUser p : people) {
                claims.add(p.send(HttpMethod.POST, API + "/next-review", null));
                claims.add(p.send(HttpMethod.POST, API + "/next-review", null));
            }
            Map<ApiUser, Long> held = new HashMap<>();
            for (int i = 0; i < claims.size(); i++) {
                HttpResponse<Buffer> r = Await.await(claims.get(i));
                assertTrue(r.statusCode() == 200 || r.statusCode() == 409, r.bodyAsString());
                if (r.statusCode() != 200) continue;
                Long before = held.put(people.get(i / 2), r.bodyAsJsonObject().getLong("id"));
                if (before != null) assertEquals(before, r.bodyAsJsonObject().getLong("id"), "a double click gets the same claim");
            }
            List<Row> over = sql("SELECT submission_id FROM review WHERE NOT extra GROUP BY submission_id HAVING count(*) > 3");
            assertTrue(over.isEmpty(), "over-claimed: " + over.size());
            held.forEach((p, id) -> assertEquals(200, p.call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1)).statusCode()));
        }
        List<Row> counts = sql("SELECT count(*) FILTER (WHERE completed_at IS NOT NULL AND NOT extra) AS done FROM review GROUP BY submission_id");
        assertEquals(12, counts.size());
        for (Row c : counts) assertEquals(3, c.getLong("done"), "each submission reviewed exactly k times (extras aside)");
        assertEquals(0, sql("SELECT count(*) FROM submission s WHERE reviews_received <> (SELECT count(*) FROM review r "
                + "WHERE r.submission_id = s.id AND r.completed_at IS NOT NULL) OR reviews_given <> (SELECT count(*) FROM review r "
                + "WHERE r.reviewer_id = s.author_id AND r.completed_at IS NOT NULL)").get(0).getLong(0), "the counters agree with the reviews");
    }

    /** A count of "review next" tries that found every candidate being claimed, as this node's /metrics shows it. */
    private double busy(WebClient local, String outcome) {
        HttpResponse<Buffer> metrics = Await.await(local.get(node.port(), "127.0.0.1", "/metrics").send());
        Matcher m = Pattern.compile("knowmad_review_busy_total\\{outcome=\"" + outcome + "\"[^}]*} (\\S+)").matcher(metrics.bodyAsString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void reviewNextTriesAgainWhileOthersAreClaimingAndSaysBusyOnlyIfTheyStillAre() throws InterruptedException {
        List<ApiUser> people = participants("bz", 3);
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        for (ApiUser p : people) assertEquals(200, submit(p, "Work").statusCode());
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        // Other reviewers (another node's) in the middle of claiming every submission: their rows are locked.
        SqlConnection others = Await.await(node.app.pool().getConnection());
        WebClient local = WebClient.create(node.vertx);
        try {
            Await.await(others.query("BEGIN").execute());
            Await.await(others.query("SELECT id FROM submission FOR UPDATE").execute());
            HttpResponse<Buffer> refused = people.get(0).call(HttpMethod.POST, API + "/next-review", null);
            assertEquals(409, refused.statusCode(), refused.bodyAsString());
            assertTrue(problemKey(refused).contains("Try again"), problemKey(refused));
            assertEquals(2, busy(local, "retried"), "tried twice more before saying so");
            assertEquals(1, busy(local, "refused"));
            assertEquals(0, sql("SELECT count(*) FROM review").get(0).getLong(0), "nothing claimed");

            // The others finish while it waits to try again: the reviewer gets a claim, not "busy".
            Future<HttpResponse<Buffer>> asked = people.get(0).send(HttpMethod.POST, API + "/next-review", null);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (busy(local, "retried") < 3 && System.nanoTime() < until) Thread.sleep(5);
            assertEquals(3, busy(local, "retried"), "its first try found them busy");
            Await.await(others.query("COMMIT").execute());
            HttpResponse<Buffer> claimed = Await.await(asked);
            assertEquals(200, claimed.statusCode(), claimed.bodyAsString());
            assertEquals(1, busy(local, "refused"), "told \"busy\" only the first time");
            assertEquals(1, sql("SELECT count(*) FROM review").get(0).getLong(0), "one claim, made once");
        } finally {
            local.close();
            others.close();
        }
    }

    @Test
    void afterTheWindowShortSubmissionsQueueForAFacilitator() {
        List<ApiUser> people = participants("q", 3);
        ApiUser fac = ApiUser.create(node, clock, "fac@example.org");
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        for (ApiUser p : people) assertEquals(200, submit(p, "Work").statusCode());
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        reviewUntilDone(people.subList(0, 1), 2);
        clock.set(REVIEW_BY.plus(Duration.ofHours(1)));
        Await.await(node.app.reviews().runOnce());
        JsonArray all = fac.call(HttpMethod.GET, API + "/submissions", null).bodyAsJsonObject().getJsonArray("submissions");
        long queued = all.stream().map(JsonObject.class::cast).filter(s -> "short".equals(s.getString("queue"))).count();
        assertEquals(3, queued, "three reviews were needed per submission and at most one came: " + all.encode());
        HttpResponse<Buffer> page = node.browser().signIn("fac@example.org").get(PAGE + "/submissions");
        assertEquals(200, page.statusCode());
        assertTrue(page.bodyAsString().contains("q0@example.org"));
    }

    @Test
    void remindersWhileYouOweReviewsAtMostEvery48HoursAndThreeTimes() {
        List<ApiUser> people = participants("rm", 4);
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        for (ApiUser p : people.subList(0, 3)) assertEquals(200, submit(p, "Work").statusCode());
        assertEquals(0, Await.await(node.app.reviews().remind()), "nothing to review before the deadline");
        clock.set(SUBMIT_BY.plus(Duration.ofMinutes(1)));
        assertEquals(3, Await.await(node.app.reviews().remind()), "the three who submitted owe reviews; the fourth did not submit");
        assertEquals(0, Await.await(node.app.reviews().remind()), "not again within 48 hours");
        clock.set(SUBMIT_BY.plus(Duration.ofHours(49)));
        reviewUntilDone(people.subList(0, 1), 3);
        assertEquals(2, Await.await(node.app.reviews().remind()), "the one who reviewed everything there is to review is left alone");
        clock.set(SUBMIT_BY.plus(Duration.ofHours(49 + 49)));
        assertEquals(0, Await.await(node.app.reviews().remind()), "at most three reminders, and the window closes before a fourth: "
                + sql("SELECT sent FROM review_reminder").size());
        assertEquals(5, sql("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'review-reminder:%'").get(0).getLong(0));
    }

    @Test
    void anExpiredClaimCannotBeSavedAndItsSlotGoesToSomeoneElse() {
        List<ApiUser> people = participants("ex", 5);
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        for (ApiUser p : people) assertEquals(200, submit(p, "Work").statusCode());
        HttpResponse<Buffer> nul = people.get(0).call(HttpMethod.PUT, API + "/submission", new JsonObject().put("text", "a\u0000b"));
        assertEquals(400, nul.statusCode(), "a NUL character is refused, not a 500");
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        long id = people.get(0).call(HttpMethod.POST, API + "/next-review", null).bodyAsJsonObject().getLong("id");
        clock.set(SUBMIT_BY.plus(Duration.ofHours(6)));
        HttpResponse<Buffer> expired = people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + id, review(1, 1));
        assertEquals(409, expired.statusCode(), "the lease ran out");
        HttpResponse<Buffer> next = people.get(0).call(HttpMethod.POST, API + "/next-review", null);
        assertEquals(200, next.statusCode(), "asking again gives a fresh claim");
        assertEquals(200, people.get(0).call(HttpMethod.PUT, "/api/v1/reviews/" + next.bodyAsJsonObject().getLong("id"), review(1, 1)).statusCode());
        Browser fac = node.browser().signIn("fac@example.org");
        assertEquals(400, fac.post(PAGE + "/reviews/" + next.bodyAsJsonObject().getLong("id") + "/decision").statusCode(), "keep or remove, explicitly");
    }

    @Test
    void authorsAssessTheirOwnWorkBesideThePeerGradeWithoutCountingIt() {
        List<ApiUser> people = participants("sa", 4);
        clock.set(WEEK_3_OPEN.plus(Duration.ofHours(1)));
        JsonObject mine = new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", 2)).put("comment", "I think it is clear");
        assertEquals(409, people.get(0).call(HttpMethod.PUT, API + "/self-assessment", mine).statusCode(), "submit first");
        for (ApiUser p : people) assertEquals(200, submit(p, "Work").statusCode());
        assertEquals(400, people.get(0).call(HttpMethod.PUT, API + "/self-assessment",
                new JsonObject().put("scores", new JsonObject().put("clarity", 9).put("depth", 2))).statusCode(), "a level of the rubric");
        HttpResponse<Buffer> saved = people.get(0).call(HttpMethod.PUT, API + "/self-assessment", mine);
        assertEquals(200, saved.statusCode(), saved.bodyAsString());
        assertEquals(3.0, saved.bodyAsJsonObject().getJsonObject("selfAssessment").getDouble("total"));
        clock.set(SUBMIT_BY.plus(Duration.ofHours(1)));
        reviewUntilDone(people, 4);
        clock.set(REVIEW_BY.plus(Duration.ofHours(1)));
        assertEquals(409, people.get(0).call(HttpMethod.PUT, API + "/self-assessment", mine).statusCode(), "not after the review deadline");
        Await.await(node.app.reviews().runOnce());
        JsonObject overview = people.get(0).call(HttpMethod.GET, API, null).bodyAsJsonObject();
        assertEquals(3.0, overview.getJsonObject("selfAssessment").getDouble("total"));
        assertEquals(3, overview.getJsonObject("grade").getInteger("reviews"), "the self-assessment is not a review");
        String page = node.browser().signIn("sa0@example.org").get(PAGE).bodyAsString();
        assertTrue(page.contains("You gave yourself 3"), "shown beside the grade");
    }
}
