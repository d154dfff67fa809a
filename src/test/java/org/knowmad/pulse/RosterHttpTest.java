package org.knowmad.pulse;

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
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * The roster on a scripted cohort of the demo course: posts, replies, helpful marks, submissions and reviews made
 * through the API as people make them; "last seen" seeded as {@code activity_day} rows (what pulse-record writes).
 * The numbers, the three filters, every sort, paging, the CSV (formula-safe, pseudonymised) and who may see any of it.
 */
@ExtendWith(VertxExtension.class)
class RosterHttpTest {

    /** Saturday 23 March 2030, 11:00 Amsterdam: week 3 of "spring" (Monday 18 March) is in its review window. */
    static final Instant NOW = Instant.parse("2030-03-23T10:00:00Z");
    static final String ROSTER = "/api/v1/courses/demo/spring/roster";
    static final String ASSIGNMENT = "/api/v1/courses/demo/spring/modules/week-3/assignment";

    private TestNode node;
    private MutableClock clock;
    private final Map<String, ApiUser> people = new HashMap<>();
    private final Map<String, Long> ids = new HashMap<>();
    private ApiUser fac;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
        fac = ApiUser.create(node, clock, "fac@example.org");
        for (String who : List.of("ann", "bob", "cy", "dee", "eve", "gus")) join(who);
        sql("UPDATE account SET name = 'Ann Active' WHERE email = 'ann@example.org'");
        sql("UPDATE account SET name = 'Bob Away' WHERE email = 'bob@example.org'");
        sql("UPDATE account SET name = '=HYPERLINK(\"http://evil.example/\",\"Eve\")' WHERE email = 'eve@example.org'");
        // Ann starts a thread; Dee starts one and replies to Ann's; Ann replies to Dee's; Eve and Dee find Ann's opening helpful.
        long annThread = thread("ann", "How do you start a meeting?");
        long deeThread = thread("dee", "Silence in meetings");
        post("dee", annThread, "With a round of names.");
        post("ann", deeThread, "Silence is fine.");
        assertEquals(200, people.get("eve").call(HttpMethod.PUT, "/api/v1/threads/" + annThread + "/posts/1/helpful", null).statusCode());
        assertEquals(200, people.get("dee").call(HttpMethod.PUT, "/api/v1/threads/" + annThread + "/posts/1/helpful", null).statusCode());
        // Gus posts, then leaves: not on the roster any more.
        post("gus", annThread, "Bye all.");
        assertEquals(204, people.get("gus").call(HttpMethod.DELETE, "/api/v1/courses/demo/spring/enrolment", null).statusCode());
        // Week 3: Ann and Eve submit; after the deadline Ann reviews Eve's work.
        clock.set(Instant.parse("2030-03-20T10:00:00Z"));
        for (String who : List.of("ann", "eve")) {
            assertEquals(200, people.get(who).call(HttpMethod.PUT, ASSIGNMENT + "/submission", new JsonObject().put("text", "My practice, by " + who)).statusCode());
        }
        clock.set(NOW);
        HttpResponse<Buffer> claim = people.get("ann").call(HttpMethod.POST, ASSIGNMENT + "/next-review", null);
        assertEquals(200, claim.statusCode(), claim.bodyAsString());
        HttpResponse<Buffer> saved = people.get("ann").call(HttpMethod.PUT, "/api/v1/reviews/" + claim.bodyAsJsonObject().getLong("id"),
                new JsonObject().put("scores", new JsonObject().put("clarity", 1).put("depth", 1)).put("comment", "Clear and concrete; one more example would help."));
        assertEquals(200, saved.statusCode(), saved.bodyAsString());
        // Fin joins just now: never seen, but not "away" either.
        join("fin");
        // Last seen: Ann today, Thursday and Monday (and last week); Bob 10 days ago; Dee 3 days ago; Eve 2 hours ago; Cy never.
        seen("ann", NOW.minus(Duration.ofHours(1)));
        seen("ann", Instant.parse("2030-03-21T09:00:00Z"));
        seen("ann", Instant.parse("2030-03-18T09:00:00Z"));
        seen("ann", Instant.parse("2030-03-15T09:00:00Z"));
        seen("bob", NOW.minus(Duration.ofDays(10)));
        seen("dee", NOW.minus(Duration.ofDays(3)));
        seen("eve", NOW.minus(Duration.ofHours(2)));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void join(String who) {
        people.put(who, ApiUser.joined(node, clock, who + "@example.org", "spring"));
        ids.put(who, Await.await(node.app.pool().preparedQuery("SELECT id FROM account WHERE email = $1").execute(Tuple.of(who + "@example.org")))
                .iterator().next().getLong(0));
    }

    private long thread(String who, String title) {
        HttpResponse<Buffer> r = people.get(who).call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Opening words of " + who));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("id");
    }

    private void post(String who, long thread, String body) {
        HttpResponse<Buffer> r = people.get(who).call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts", new JsonObject().put("body", body));
        assertEquals(201, r.statusCode(), r.bodyAsString());
    }

    /** A day of activity as pulse-record writes it: one row per person, cohort, day and module. */
    private void seen(String who, Instant at) {
        LocalDate day = at.atZone(ZoneId.of("Europe/Amsterdam")).toLocalDate();
        Await.await(node.app.pool().preparedQuery("""
                INSERT INTO activity_day (course_id, cohort_id, account_id, day, module_id, visits, reads, last_at)
                VALUES ('demo', 'spring', $1, $2, 'week-1', 1, 1, $3)
                ON CONFLICT (course_id, cohort_id, day, account_id, module_id) DO UPDATE SET last_at = greatest(activity_day.last_at, EXCLUDED.last_at)""")
                .execute(Tuple.of(ids.get(who), day, at.atOffset(java.time.ZoneOffset.UTC))));
    }

    private void sql(String statement) {
        Await.await(node.app.pool().query(statement).execute());
    }

    private JsonObject roster(String query) {
        HttpResponse<Buffer> r = fac.call(HttpMethod.GET, ROSTER + query, null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private static List<String> names(JsonObject roster) {
        List<String> list = new ArrayList<>();
        for (Object o : roster.getJsonArray("people")) list.add(((JsonObject) o).getString("email").replace("@example.org", ""));
        return list;
    }

    private static Set<String> set(JsonObject roster) {
        return new TreeSet<>(names(roster));
    }

    private static JsonObject person(JsonObject roster, String who) {
        for (Object o : roster.getJsonArray("people")) {
            if (((JsonObject) o).getString("email").equals(who + "@example.org")) return (JsonObject) o;
        }
        throw new AssertionError(who + " is not on the roster");
    }

    @Test
    void everyParticipantWithTheirNumbers() {
        JsonObject all = roster("");
        assertEquals(6, all.getInteger("total"));
        assertEquals(Set.of("ann", "bob", "cy", "dee", "eve", "fin"), set(all), "participants enrolled now; not Gus who left, not the facilitator");

        JsonObject ann = person(all, "ann");
        assertEquals("Ann Active", ann.getString("name"));
        assertEquals(Fixtures.SPRING_DAY_2.toString(), ann.getString("joinedAt"));
        assertEquals(NOW.minus(Duration.ofHours(1)).toString(), ann.getString("lastSeen"));
        assertEquals(3, ann.getInteger("daysActiveThisWeek"), "Monday, Thursday and today; not last Friday");
        assertEquals(2, ann.getInteger("posts"), "her opening post and her reply");
        assertEquals(1, ann.getInteger("replies"), "a post in Dee's thread; her own thread's opening is not a reply");
        assertEquals(2, ann.getInteger("helpfulReceived"));
        assertEquals(1, ann.getInteger("submissions"));
        assertEquals(1, ann.getInteger("reviewsDone"));
        assertEquals(3, ann.getInteger("reviewsOwed"), "asked for reviews_per_submission + 1 = 4, did 1");

        JsonObject dee = person(all, "dee");
        assertEquals(2, dee.getInteger("posts"));
        assertEquals(1, dee.getInteger("replies"));
        assertEquals(0, dee.getInteger("helpfulReceived"));
        assertEquals(1, dee.getInteger("daysActiveThisWeek"));
        assertEquals(0, dee.getInteger("reviewsOwed"));

        JsonObject eve = person(all, "eve");
        assertEquals(0, eve.getInteger("posts"));
        assertEquals(1, eve.getInteger("submissions"));
        assertEquals(0, eve.getInteger("reviewsDone"));
        assertEquals(4, eve.getInteger("reviewsOwed"));

        JsonObject cy = person(all, "cy");
        assertNull(cy.getValue("lastSeen"));
        assertEquals(0, cy.getInteger("daysActiveThisWeek"));
        assertEquals(0, cy.getInteger("submissions"));
    }

    @Test
    void theFiltersPickExactlyTheirPeople() {
        assertEquals(Set.of("bob", "cy"), set(roster("?filter=unseen")),
                "Bob last seen 10 days ago, Cy never (joined 18 days ago); not Fin, who joined today");
        assertEquals(Set.of("bob", "cy", "eve", "fin"), set(roster("?filter=never-posted")), "Eve only reacted");
        assertEquals(Set.of("ann", "eve"), set(roster("?filter=owes-reviews")));
        assertEquals(2, roster("?filter=owes-reviews").getInteger("total"));
        assertEquals(6, roster("?filter=all").getInteger("total"));
        // Later, when the review window has closed, nobody owes anything any more.
        clock.set(Instant.parse("2030-03-28T10:00:00Z"));
        assertEquals(Set.of(), set(roster("?filter=owes-reviews")));
        assertEquals(0, person(roster("?filter=all"), "ann").getInteger("daysActiveThisWeek"), "last week's three days are not this week's");
        assertEquals("ann", names(roster("?sort=last-seen&dir=desc")).get(0));
        assertEquals(Set.of("bob", "cy", "dee"), set(roster("?filter=unseen")), "Dee, last seen on the 20th, is now eight days away");
    }

    @Test
    void everyColumnSortsAndPagesAreStable() {
        assertEquals(List.of("ann", "bob", "cy", "dee", "fin"), names(roster("?sort=name")).stream().filter(n -> !n.equals("eve")).toList(),
                "names, then the address when there is no name (where Eve's '=' sorts depends on the collation)");
        assertEquals(List.of("ann", "dee", "bob", "cy", "eve", "fin"), names(roster("?sort=posts&dir=desc")), "ties by account");
        assertEquals(List.of("cy", "fin", "bob", "dee", "eve", "ann"), names(roster("?sort=last-seen")), "never seen first when ascending");
        assertEquals(List.of("ann", "eve", "dee", "bob", "cy", "fin"), names(roster("?sort=last-seen&dir=desc")), "never seen last when descending");
        assertEquals(List.of("eve", "ann", "bob", "cy", "dee", "fin"), names(roster("?sort=owed&dir=desc")));
        assertEquals("ann", names(roster("?sort=helpful&dir=desc")).get(0));
        assertEquals("ann", names(roster("?sort=days-active&dir=desc")).get(0));
        assertEquals("ann", names(roster("?sort=reviews&dir=desc")).get(0));
        assertEquals(List.of("bob", "cy", "eve", "fin", "ann", "dee"), names(roster("?sort=replies&dir=asc")), "ties by account");
        for (RosterSort s : RosterSort.values()) {
            for (String dir : List.of("asc", "desc")) assertEquals(6, roster("?sort=" + s.slug + "&dir=" + dir).getJsonArray("people").size(), s.slug);
        }
        // Pages of two: together the whole roster in order, with the total on each.
        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonObject p = roster("?sort=name&size=2&page=" + page);
            assertEquals(6, p.getInteger("total"));
            paged.addAll(names(p));
        }
        assertEquals(names(roster("?sort=name")), paged);
        JsonObject past = roster("?sort=name&size=2&page=9");
        assertEquals(0, past.getJsonArray("people").size());
        assertEquals(6, past.getInteger("total"), "past the end still tells how many there are");
        // Anything off the whitelist is refused with a message.
        for (String bad : List.of("?sort=email%20drop", "?sort=name&dir=up", "?filter=lurkers", "?page=0", "?size=100000")) {
            HttpResponse<Buffer> r = fac.call(HttpMethod.GET, ROSTER + bad, null);
            assertEquals(400, r.statusCode(), bad);
            assertFalse(r.bodyAsJsonObject().getString("detail", "").isBlank(), bad);
        }
    }

    @Test
    void thePageShowsTheRosterSortedAndFiltered() {
        Browser b = node.browser().signIn("fac@example.org");
        HttpResponse<Buffer> page = b.get("/courses/demo/spring/roster?filter=unseen&sort=last-seen");
        assertEquals(200, page.statusCode(), page.bodyAsString());
        String html = page.bodyAsString();
        assertTrue(html.contains("Bob Away"));
        assertFalse(html.contains("Ann Active"), "filtered out");
        assertTrue(html.indexOf("cy@example.org") < html.indexOf("bob@example.org"), "never seen first");
        assertTrue(html.contains("aria-sort=\"ascending\""));
        assertTrue(html.contains("/courses/demo/spring/roster.csv?filter=unseen"));
        assertTrue(html.contains("id=\"sent-log\""), "the sent log is on the roster");
        assertTrue(html.contains("name=\"_idem\""), "the forms that send carry an idempotency key");
        assertEquals(400, b.get("/courses/demo/spring/roster?sort=nonsense").statusCode());
        // The cohort home links a facilitator to it; a participant sees no such link.
        assertTrue(b.get("/courses/demo/spring").bodyAsString().contains("/courses/demo/spring/roster"));
        Browser p = node.browser().signIn("ann@example.org");
        assertFalse(p.get("/courses/demo/spring").bodyAsString().contains("/courses/demo/spring/roster"));
    }

    @Test
    void theCsvIsFormulaSafeAndCanBePseudonymised() {
        Browser b = node.browser().signIn("fac@example.org");
        HttpResponse<Buffer> csv = b.get("/courses/demo/spring/roster.csv?sort=name");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
        assertTrue(csv.getHeader("Content-Disposition").contains("demo-spring-roster.csv"));
        String text = csv.bodyAsString();
        String[] lines = text.split("\r\n");
        assertEquals(7, lines.length, text);
        assertTrue(lines[0].startsWith("name,email,joined_at,last_seen,days_active_this_week,posts,replies,helpful_received,submissions,reviews_done,reviews_owed"));
        String ann = java.util.Arrays.stream(lines).filter(l -> l.contains("ann@example.org")).findFirst().orElseThrow();
        assertTrue(ann.startsWith("Ann Active,ann@example.org," + Fixtures.SPRING_DAY_2 + "," + NOW.minus(Duration.ofHours(1)) + ",3,2,1,2,1,1,3"), ann);
        String eve = java.util.Arrays.stream(lines).filter(l -> l.contains("eve@example.org")).findFirst().orElseThrow();
        assertTrue(eve.startsWith("\"'=HYPERLINK("), "the name cannot run as a formula: " + eve);
        for (String line : lines) assertFalse(line.startsWith("="), line);
        assertEquals(3, b.get("/courses/demo/spring/roster.csv?filter=unseen").bodyAsString().split("\r\n").length, "header, Bob, Cy");

        String first = b.get("/courses/demo/spring/roster.csv?sort=joined&pseudonymise=1").bodyAsString();
        String second = b.get("/courses/demo/spring/roster.csv?sort=joined&pseudonymise=1").bodyAsString();
        assertEquals(first, second, "the same pseudonyms in every export");
        assertTrue(first.startsWith("pseudonym,joined_at,"));
        assertEquals(7, first.split("\r\n").length);
        for (String who : List.of("ann", "bob", "cy", "dee", "eve", "fin")) assertFalse(first.toLowerCase().contains(who), who);
        for (String name : List.of("Ann Active", "Bob Away", "HYPERLINK", "@")) assertFalse(first.contains(name), name);
        Set<String> pseudonyms = new TreeSet<>();
        for (String line : first.split("\r\n")) if (!line.startsWith("pseudonym")) pseudonyms.add(line.substring(0, line.indexOf(',')));
        assertEquals(6, pseudonyms.size(), "one per person");
        assertTrue(pseudonyms.stream().allMatch(p -> p.matches("P-[A-Za-z0-9_-]{12}")), pseudonyms.toString());
    }

    @Test
    void onlyFacilitatorsSeeTheRoster() {
        ApiUser ann = people.get("ann");
        assertEquals(403, ann.call(HttpMethod.GET, ROSTER, null).statusCode());
        assertEquals(403, ann.call(HttpMethod.GET, "/courses/demo/spring/roster", null).statusCode());
        assertEquals(403, ann.call(HttpMethod.GET, "/courses/demo/spring/roster.csv", null).statusCode());
        Browser p = node.browser().signIn("ann@example.org");
        p.get("/courses/demo/spring");
        assertEquals(403, p.get("/courses/demo/spring/roster").statusCode());
        assertEquals(403, p.get("/courses/demo/spring/roster.csv?pseudonymise=1").statusCode());
        assertEquals(403, p.post("/courses/demo/spring/announcements", "subject", "Hi", "body", "All of you").statusCode());
        assertEquals(403, p.post("/courses/demo/spring/nudges", "days", "7").statusCode());
        // Someone signed in but not in the cohort: refused as well.
        Browser stranger = node.browser().signIn("stranger@example.org");
        assertEquals(403, stranger.get("/courses/demo/spring/roster").statusCode());
        // Visitors are asked to sign in.
        Browser visitor = node.browser();
        visitor.get("/courses/demo/spring");
        for (String path : List.of("/courses/demo/spring/roster", "/courses/demo/spring/roster.csv")) {
            HttpResponse<Buffer> r = visitor.get(path);
            assertEquals(303, r.statusCode(), path);
            assertTrue(r.getHeader("Location").startsWith("/signin"), path);
        }
        for (String path : List.of("/courses/demo/spring/announcements", "/courses/demo/spring/nudges")) {
            HttpResponse<Buffer> r = visitor.post(path, "subject", "Hi", "body", "x", "days", "7");
            assertEquals(401, r.statusCode(), path + ": a form post answers 401 with a sign-in link, as every form does");
            assertTrue(r.bodyAsString().contains("/signin"), path);
        }
        assertEquals(401, visitor.json(HttpMethod.GET, ROSTER, null).statusCode());
        assertEquals(0L, Await.await(node.app.pool().query("SELECT count(*) FROM announcement").execute()).iterator().next().getLong(0));
    }
}
