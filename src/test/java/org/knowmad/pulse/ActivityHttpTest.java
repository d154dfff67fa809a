package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * What people do over HTTP lands in {@code activity_day} exactly, after a flush and only then; one statement per
 * flush; nothing for visitors, other cohorts' members, facilitators or people who left; one's own week on
 * {@code /me} and the cohort's aggregate on its home page, for the people who may see them.
 */
@ExtendWith(VertxExtension.class)
class ActivityHttpTest {

    /** Tuesday 19 March 2030, 11:00 in Amsterdam: the spring cohort's weeks 1 to 3 are open, week 3's assignment too. */
    static final Instant TUESDAY = Instant.parse("2030-03-19T10:00:00Z");
    /** Friday 22 March, an hour after the submission deadline: reviewing. */
    static final Instant FRIDAY = Instant.parse("2030-03-22T09:00:00Z");
    /** The café course's autumn cohort, two weeks before its café. */
    static final Instant AUTUMN = Instant.parse("2030-09-03T10:00:00Z");
    static final String HOME = "/courses/demo/spring";
    static final String ASSIGNMENT = "/api/v1/courses/demo/spring/modules/week-3/assignment";
    static final String MEETUP = "/api/v1/courses/cafe/autumn/meetup";
    static final String REVIEW_COMMENT = "Clear story about the practice; the conclusion could name one concrete next step.";

    private TestNode node;
    private MutableClock clock;
    private WebClient web;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(TUESDAY);
        node = TestNode.demo(vertx, clock);
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    /** A GET as a person with a token, with extra headers (name, value, ...). */
    private HttpResponse<Buffer> get(ApiUser who, String path, String... headers) {
        var request = web.get(node.port(), "localhost", path);
        if (who != null) request.bearerTokenAuthentication(who.token());
        for (int i = 0; i + 1 < headers.length; i += 2) request.putHeader(headers[i], headers[i + 1]);
        return Await.await(request.send());
    }

    private HttpResponse<Buffer> ok(HttpResponse<Buffer> r) {
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.bodyAsString());
        return r;
    }

    private void flush() {
        Await.await(node.app.activity().flush());
    }

    /** Every row of activity_day as "email course/cohort day module: kind=n ..." (non-zero counts only), sorted. */
    private Map<String, String> rows() {
        Map<String, String> all = new TreeMap<>();
        for (Row r : sql("SELECT a.*, p.email FROM activity_day a JOIN account p ON p.id = a.account_id")) {
            StringBuilder counts = new StringBuilder();
            for (ActivityRecorder.Kind k : ActivityRecorder.Kind.values()) {
                int n = r.getInteger(k.column());
                if (n != 0) counts.append(counts.length() == 0 ? "" : " ").append(k.column()).append('=').append(n);
            }
            all.put(r.getString("email") + " " + r.getString("course_id") + "/" + r.getString("cohort_id") + " " + r.getLocalDate("day")
                    + " " + (r.getString("module_id").isEmpty() ? "-" : r.getString("module_id")), counts.toString());
        }
        return all;
    }

    private long startThread(ApiUser who, String module, String title) {
        HttpResponse<Buffer> r = who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/" + module + "/threads",
                new JsonObject().put("title", title).put("body", "Opening words"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private int reply(ApiUser who, long thread) {
        HttpResponse<Buffer> r = who.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "A reply"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getInteger("number");
    }

    private void submit(ApiUser who, String text) {
        ok(who.call(HttpMethod.PUT, ASSIGNMENT + "/submission", new JsonObject().put("text", text)));
    }

    private static JsonObject review() {
        return new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", 2)).put("comment", REVIEW_COMMENT);
    }

    @Test
    void whatAParticipantDoesLandsExactlyAfterAFlush() {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        ApiUser bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        ApiUser cat = ApiUser.joined(node, clock, "cat@example.org", "spring");
        ApiUser.joined(node, clock, "dan@example.org", "spring"); // enrolled, does nothing: no row

        // Ann: two visits of the cohort home (and a live reload of it, which is the same visit), three module reads.
        ok(get(ann, HOME));
        ok(get(ann, HOME));
        ok(get(ann, HOME, "HX-Request", "true"));
        for (int i = 0; i < 2; i++) ok(get(ann, HOME + "/modules/week-1"));
        ok(ann.call(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/week-1", null));
        long thread = startThread(ann, "week-1", "What brings you here?");
        int bobsPost = reply(bob, thread);
        ok(get(bob, HOME + "/threads/" + thread));
        ok(get(bob, HOME + "/threads/" + thread + "/posts?after=1")); // the live page fetching new posts: not a read
        ok(ann.call(HttpMethod.GET, "/api/v1/threads/" + thread, null));
        ok(ann.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/" + bobsPost + "/helpful", null));
        ok(ann.call(HttpMethod.DELETE, "/api/v1/threads/" + thread + "/posts/" + bobsPost + "/helpful", null)); // taking it back: no reaction
        assertEquals(400, ann.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/1/helpful", null).statusCode(), "not one's own post");
        assertEquals(400, bob.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", " ")).statusCode());
        ok(ann.call(HttpMethod.PUT, ASSIGNMENT + "/submission", new JsonObject().put("text", "half").put("draft", true))); // a draft: not yet
        submit(ann, "My practice, by Ann");
        submit(ann, "My practice, by Ann, better"); // replaced before the deadline: the same submission
        submit(bob, "My practice, by Bob");
        submit(cat, "My practice, by Cat");

        // Counting costs no query: nothing is written until the flush, which is one statement.
        assertEquals(0L, sql("SELECT count(*) FROM activity_day").get(0).getLong(0));
        long statements = node.app.activity().statements();
        flush();
        assertEquals(statements + 1, node.app.activity().statements(), "one statement per flush");

        clock.set(FRIDAY);
        HttpResponse<Buffer> claim = ok(ann.call(HttpMethod.POST, ASSIGNMENT + "/next-review", null));
        long reviewId = claim.bodyAsJsonObject().getLong("id");
        ok(ann.call(HttpMethod.PUT, "/api/v1/reviews/" + reviewId, review()));
        ok(ann.call(HttpMethod.PUT, "/api/v1/reviews/" + reviewId, review().put("comment", REVIEW_COMMENT + " Edited."))); // an edit: not another
        ok(get(ann, HOME + "/modules/week-1")); // the same module another day: a row of its own

        // The café course: registering (twice is one registration) and being checked in by an organiser.
        clock.set(AUTUMN);
        ann = ApiUser.create(node, clock, "ann@example.org"); // the same person, with a token of today
        ok(ann.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)));
        ok(ann.call(HttpMethod.POST, MEETUP + "/registration", null));
        ok(ann.call(HttpMethod.POST, MEETUP + "/registration", null));
        String code = ann.call(HttpMethod.GET, MEETUP, null).bodyAsJsonObject().getJsonObject("registration").getString("code");
        ApiUser org = ApiUser.create(node, clock, "org@example.org");
        ok(org.call(HttpMethod.POST, MEETUP + "/checkins", new JsonObject().put("code", code)));
        // Someone walking in who never joined the cohort is checked in, but not counted: the pulse is about members.
        ok(org.call(HttpMethod.POST, MEETUP + "/walk-ins", new JsonObject().put("email", "walkin@example.org").put("name", "Walker")));
        flush();

        Map<String, String> expected = new TreeMap<>(Map.of(
                "ann@example.org demo/spring 2030-03-19 -", "visits=2",
                "ann@example.org demo/spring 2030-03-19 week-1", "reads=4 reactions=1 threads=1",
                "ann@example.org demo/spring 2030-03-19 week-3", "submissions=1",
                "ann@example.org demo/spring 2030-03-22 week-1", "reads=1",
                "ann@example.org demo/spring 2030-03-22 week-3", "reviews=1",
                "ann@example.org cafe/autumn 2030-09-03 -", "registrations=1 attendances=1",
                "bob@example.org demo/spring 2030-03-19 week-1", "reads=1 replies=1",
                "bob@example.org demo/spring 2030-03-19 week-3", "submissions=1",
                "cat@example.org demo/spring 2030-03-19 week-3", "submissions=1"));
        assertEquals(expected, rows());
        Row last = sql("SELECT last_at FROM activity_day a JOIN account p ON p.id = a.account_id "
                + "WHERE p.email = 'ann@example.org' AND a.day = '2030-03-22' AND a.module_id = 'week-3'").get(0);
        assertEquals(FRIDAY, last.getOffsetDateTime("last_at").toInstant());

        // A later flush adds to the rows already there.
        clock.set(TUESDAY.plus(Duration.ofHours(2)));
        ann = ApiUser.create(node, clock, "ann@example.org");
        ok(get(ann, HOME + "/modules/week-1"));
        flush();
        assertEquals("reads=5 reactions=1 threads=1", rows().get("ann@example.org demo/spring 2030-03-19 week-1"));
        Row later = sql("SELECT last_at FROM activity_day a JOIN account p ON p.id = a.account_id "
                + "WHERE p.email = 'ann@example.org' AND a.day = '2030-03-19' AND a.module_id = 'week-1'").get(0);
        assertEquals(TUESDAY.plus(Duration.ofHours(2)), later.getOffsetDateTime("last_at").toInstant());
        flush();
        assertEquals(statements + 3, node.app.activity().statements(), "nothing to write: no statement");
    }

    @Test
    void manyEventsAreOneStatementPerFlush() {
        List<ApiUser> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) people.add(ApiUser.joined(node, clock, "many" + i + "@example.org", "spring"));
        long thread = startThread(people.get(0), "week-1", "Busy thread");
        long statements = node.app.activity().statements();
        for (int round = 0; round < 40; round++) {
            for (ApiUser p : people) ok(get(p, HOME + "/threads/" + thread));
        }
        assertEquals(0L, sql("SELECT count(*) FROM activity_day WHERE reads > 0").get(0).getLong(0), "200 page views, no write yet");
        flush();
        assertEquals(statements + 1, node.app.activity().statements());
        List<Row> reads = sql("SELECT reads FROM activity_day WHERE module_id = 'week-1' ORDER BY account_id");
        assertEquals(5, reads.size());
        for (Row r : reads) assertEquals(40, r.getInteger("reads"));

        // A busy node's flush: 10,000 rows (5 people × 2,000 keys) in one statement, timed.
        List<org.knowmad.cohort.CohortAccess> standings = new ArrayList<>();
        for (ApiUser p : people) {
            long id = ok(p.call(HttpMethod.GET, "/api/v1/me", null)).bodyAsJsonObject().getLong("id");
            standings.add(Await.await(cohortAccess(new org.knowmad.web.Viewer(new org.knowmad.account.Account(id, "x@example.org", "X", null), "c", false), "spring")));
        }
        for (int k = 0; k < 2_000; k++) {
            for (var a : standings) node.app.activity().record(a, "m" + k, ActivityRecorder.Kind.READS);
        }
        long start = System.nanoTime();
        flush();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.printf("pulse: one flush of 10000 new rows took %d ms%n", millis);
        assertEquals(statements + 2, node.app.activity().statements());
        assertEquals(10_000L, sql("SELECT count(*) FROM activity_day WHERE module_id LIKE 'm%'").get(0).getLong(0));
        for (int k = 0; k < 2_000; k++) {
            for (var a : standings) node.app.activity().record(a, "m" + k, ActivityRecorder.Kind.READS);
        }
        start = System.nanoTime();
        flush();
        System.out.printf("pulse: one flush adding to 10000 existing rows took %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertEquals(20_000L, sql("SELECT sum(reads) FROM activity_day WHERE module_id LIKE 'm%'").get(0).getLong(0));
    }

    @Test
    void visitorsOtherCohortsFacilitatorsAndLeaversAreNotRecorded() {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        ApiUser eve = ApiUser.joined(node, clock, "eve@example.org", "small");
        ApiUser fac = ApiUser.create(node, clock, "fac@example.org");
        ApiUser gus = ApiUser.joined(node, clock, "gus@example.org", "spring");
        long thread = startThread(ann, "week-1", "Members only");
        flush();
        sql("DELETE FROM activity_day");

        // A visitor: the cohort home is public, nothing else; nothing is counted.
        Browser visitor = node.browser();
        assertEquals(200, visitor.get(HOME).statusCode());
        assertEquals(303, visitor.get(HOME + "/modules/week-1").statusCode(), "sent to sign in");
        // A member of another cohort reads this cohort's home (public) but nothing inside; counted in their own cohort only.
        ok(get(eve, HOME));
        assertEquals(403, get(eve, HOME + "/modules/week-1").statusCode());
        assertEquals(403, get(eve, HOME + "/threads/" + thread).statusCode());
        assertEquals(403, eve.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", "hi")).statusCode());
        ok(get(eve, "/courses/demo/small"));
        // The facilitator does everything and is never counted.
        ok(get(fac, HOME));
        ok(get(fac, HOME + "/modules/week-1"));
        ok(get(fac, HOME + "/threads/" + thread));
        reply(fac, thread);
        ok(fac.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/1/helpful", null));
        startThread(fac, "week-2", "From the facilitators");
        // Gus reads, then leaves before the flush: what he did is not written (checked again on writing).
        ok(get(gus, HOME + "/modules/week-1"));
        assertEquals(204, gus.call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());
        ok(get(gus, HOME)); // and after leaving he is a visitor of the cohort
        flush();

        assertEquals(Map.of("eve@example.org demo/small 2030-03-19 -", "visits=1"), rows());
    }

    @Test
    void meShowsOnesOwnWeekAndNeverAnyoneElses() {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        ApiUser bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        ApiUser.joined(node, clock, "bob@example.org", "own-pace");
        // Last week (Monday 11 March) does not count in this week's numbers.
        clock.set(TUESDAY.minus(Duration.ofDays(7)));
        ok(get(ann, HOME + "/modules/week-1"));
        flush();
        clock.set(TUESDAY);
        long thread = startThread(ann, "week-1", "Ann asks");
        for (int i = 0; i < 3; i++) ok(get(ann, HOME + "/modules/week-1"));
        ok(get(bob, HOME + "/threads/" + thread));
        int bobs = reply(bob, thread);
        reply(bob, thread);
        ok(ann.call(HttpMethod.PUT, "/api/v1/threads/" + thread + "/posts/" + bobs + "/helpful", null));
        clock.set(TUESDAY.plus(Duration.ofDays(1)));
        ok(get(ann, HOME));
        flush();

        JsonObject annMe = ok(ann.call(HttpMethod.GET, "/api/v1/me", null)).bodyAsJsonObject();
        assertEquals(1, annMe.getJsonArray("cohorts").size());
        JsonObject annWeek = annMe.getJsonArray("cohorts").getJsonObject(0).getJsonObject("week");
        assertEquals(new JsonObject().put("since", "2030-03-18").put("daysActive", 2).put("reads", 3L).put("posts", 1L).put("reactions", 1L)
                .put("reviews", 0L), annWeek);
        JsonObject bobMe = ok(bob.call(HttpMethod.GET, "/api/v1/me", null)).bodyAsJsonObject();
        for (Object o : bobMe.getJsonArray("cohorts")) {
            JsonObject c = (JsonObject) o;
            JsonObject week = c.getJsonObject("week");
            if (c.getString("cohort").equals("spring")) {
                assertEquals(new JsonObject().put("since", "2030-03-18").put("daysActive", 1).put("reads", 1L).put("posts", 2L).put("reactions", 0L)
                        .put("reviews", 0L), week);
            } else {
                assertEquals(0, week.getInteger("daysActive"), "nothing yet in the self-paced cohort");
            }
        }
        assertFalse(annMe.encode().contains("bob"), "nothing about anyone else");

        String annPage = ok(get(ann, "/me")).bodyAsString();
        assertTrue(annPage.contains("this week you were here on 2 days (3 reads, 1 post, 1 reaction, no reviews yet)"), annPage);
        assertTrue(annPage.contains("nobody is ranked"), annPage);
        assertFalse(annPage.contains("2 posts"), "never Bob's numbers");
        String bobPage = ok(get(bob, "/me", "Cookie", "knowmad_lang=nl")).bodyAsString();
        assertTrue(bobPage.contains("deze week was je hier op 1 dag (1 keer gelezen, 2 berichten, nog geen reacties, nog geen reviews)"), bobPage);
        assertTrue(bobPage.contains("Een nieuwe week"), "the self-paced cohort, where nothing happened yet, is encouraged: " + bobPage);
        assertEquals(401, get(null, "/api/v1/me").statusCode());
    }

    @Test
    void theCohortHomeShowsMembersTheWeeksAggregateOnly() {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        ApiUser bob = ApiUser.joined(node, clock, "bob@example.org", "spring");
        ApiUser cat = ApiUser.joined(node, clock, "cat@example.org", "spring");
        ApiUser eve = ApiUser.joined(node, clock, "eve@example.org", "small");
        ApiUser fac = ApiUser.create(node, clock, "fac@example.org");
        assertFalse(ok(get(ann, HOME)).bodyAsString().contains("read here"), "nothing yet this week: no aggregate");
        long thread = startThread(ann, "week-1", "Hello all");
        ok(get(bob, HOME + "/threads/" + thread));
        ok(get(cat, HOME + "/modules/week-1"));
        ok(get(cat, HOME + "/modules/week-2"));
        flush();

        String cached = ok(get(ann, HOME)).bodyAsString();
        assertFalse(cached.contains("read here"), "within the minute the page shows what it read a minute ago");
        clock.advance(Duration.ofSeconds(61));
        String member = ok(get(ann, HOME)).bodyAsString();
        // Ann started the thread without reading anything; Bob and Cat read; Ann posted.
        assertTrue(member.contains("This week 2 people read here, and 1 posted."), member);
        assertFalse(member.contains("ann@example.org") || member.contains("bob@example.org"), "never names");
        assertTrue(ok(get(fac, HOME)).bodyAsString().contains("This week 2 people read here, and 1 posted."), "facilitators are members too");
        assertTrue(ok(get(cat, HOME, "Cookie", "knowmad_lang=nl")).bodyAsString().contains("Deze week lazen hier 2 mensen, en 1 persoon schreef iets."));
        assertFalse(node.browser().get(HOME).bodyAsString().contains("read here"), "visitors see no aggregate");
        assertFalse(ok(get(eve, HOME)).bodyAsString().contains("read here"), "nor members of another cohort");

        // The next Monday the week starts again.
        clock.set(Instant.parse("2030-03-25T08:00:00Z"));
        assertFalse(ok(get(ann, HOME)).bodyAsString().contains("read here"));
        assertNotEquals(0L, sql("SELECT count(*) FROM activity_day").get(0).getLong(0));
    }

    /** The SQL twin of "recorded" (its enrolment half) agrees with the rule for every standing a stored person can have. */
    @Test
    void theSqlTwinAgreesWithTheRule() {
        ApiUser member = ApiUser.joined(node, clock, "member@example.org", "spring");
        ApiUser gone = ApiUser.joined(node, clock, "gone@example.org", "spring");
        assertEquals(204, gone.call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());
        ApiUser elsewhere = ApiUser.joined(node, clock, "elsewhere@example.org", "small");
        ApiUser nobody = ApiUser.create(node, clock, "nobody@example.org");
        ApiUser selfPaced = ApiUser.joined(node, clock, "self@example.org", "own-pace");
        PulseRules rules = new PulseRules(new org.knowmad.cohort.CohortRules());
        for (ApiUser who : List.of(member, gone, elsewhere, nobody, selfPaced)) {
            long id = ok(who.call(HttpMethod.GET, "/api/v1/me", null)).bodyAsJsonObject().getLong("id");
            for (String cohort : List.of("spring", "small", "own-pace")) {
                boolean sql = sql("SELECT " + PulseRules.recordedSql("u.course_id", "u.cohort_id", "u.account_id")
                        + " AS recorded FROM (VALUES ('demo', $1, $2::bigint)) AS u(course_id, cohort_id, account_id)", cohort, id)
                        .get(0).getBoolean("recorded");
                var viewer = new org.knowmad.web.Viewer(new org.knowmad.account.Account(id, "x@example.org", "X", null), "c", false);
                var access = Await.await(cohortAccess(viewer, cohort));
                assertEquals(rules.recorded(access), sql, id + " in " + cohort);
            }
        }
    }

    private io.vertx.core.Future<org.knowmad.cohort.CohortAccess> cohortAccess(org.knowmad.web.Viewer viewer, String cohort) {
        var catalog = node.app.catalog();
        var store = new org.knowmad.cohort.CohortStore();
        var service = new org.knowmad.cohort.CohortService(node.app.pool(), node.app.pool(), clock, catalog, store, null, node.vertx.eventBus(),
                new org.knowmad.cohort.CohortRules());
        return service.access(viewer, "demo", cohort);
    }

    @Test
    void visitsOnTheCohortHomeAreDayRowsWithoutAModule() {
        ApiUser ann = ApiUser.joined(node, clock, "ann@example.org", "spring");
        ok(ann.call(HttpMethod.GET, "/api/v1/courses/demo/spring", null));
        ok(get(ann, HOME));
        assertEquals(404, get(ann, HOME + "/modules/nope").statusCode(), "an unknown module is not a read");
        clock.set(Instant.parse("2030-03-04T07:00:00Z")); // before week 1 opens at 09:00 local time
        assertEquals(403, get(ann, HOME + "/modules/week-1").statusCode(), "a locked module is not a read");
        flush();
        assertEquals(Map.of("ann@example.org demo/spring 2030-03-19 -", "visits=2"), rows());
        assertEquals(LocalDate.of(2030, 3, 19), sql("SELECT day FROM activity_day").get(0).getLocalDate("day"));
    }
}
