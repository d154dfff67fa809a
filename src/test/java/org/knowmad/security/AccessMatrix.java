package org.knowmad.security;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.knowmad.App;
import org.knowmad.Rules;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.RawHttp;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Who may call which route, as a table: every route of the router has a row naming its policy, every policy
 * names the roles it lets in, and {@link #run} calls every route as every role on a seeded cohort and reports
 * each cell where the answer disagrees. The expectations come from SECURITY.md, not from the code.
 */
final class AccessMatrix {

    /** The nine standings the trust model distinguishes. */
    enum Role { VISITOR, PARTICIPANT, OTHER_COHORT, LEFT, BEFORE_OPENING, SILENCED, ANONYMOUS_PEER, FACILITATOR, ORGANISER }

    static final Set<Role> ALL = EnumSet.allOf(Role.class);
    static final Set<Role> SIGNED_IN = EnumSet.complementOf(EnumSet.of(Role.VISITOR));
    /** Members of the cohort reading it (the before-opening participant is a member; only locked modules are closed to them). */
    static final Set<Role> MEMBERS = EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.SILENCED, Role.ANONYMOUS_PEER, Role.FACILITATOR);

    /** What a route lets in. {@code destructive}: only the refusals are called (an allowed call would change a role's standing). */
    enum Policy {
        PUBLIC(ALL),
        SIGNED_IN_ONLY(SIGNED_IN),
        MEMBER(MEMBERS),
        MODULE(EnumSet.of(Role.PARTICIPANT, Role.SILENCED, Role.ANONYMOUS_PEER, Role.FACILITATOR)),
        MODULE_WRITE(EnumSet.of(Role.PARTICIPANT, Role.ANONYMOUS_PEER, Role.FACILITATOR)),
        THREAD_AUTHOR_OR_FACILITATOR(EnumSet.of(Role.PARTICIPANT, Role.FACILITATOR)),
        POST_AUTHOR(EnumSet.of(Role.PARTICIPANT)),
        /** Participants enrolled now, whatever is open or said: what is one's own in a cohort. */
        ENROLLED(EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.SILENCED, Role.ANONYMOUS_PEER)),
        TAKE_PART(EnumSet.of(Role.PARTICIPANT, Role.SILENCED, Role.ANONYMOUS_PEER)),
        /** A review claimed by someone else, a sign-in link nobody holds: every role is refused. */
        NOBODY_BUT_THE_HOLDER(EnumSet.noneOf(Role.class)),
        FACILITATOR(EnumSet.of(Role.FACILITATOR)),
        MEETUP_PAGE(EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.SILENCED, Role.ANONYMOUS_PEER, Role.FACILITATOR, Role.ORGANISER)),
        REGISTER(EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.SILENCED, Role.ANONYMOUS_PEER)),
        ATTENDEE(EnumSet.of(Role.PARTICIPANT, Role.FACILITATOR, Role.ORGANISER)),
        ORGANISER(EnumSet.of(Role.FACILITATOR, Role.ORGANISER)),
        /** A circle: its members enrolled now (not Ana, who did not ask; not Lou, who left the cohort) and facilitators. */
        CIRCLE(EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.SILENCED, Role.FACILITATOR)),
        CIRCLE_WRITE(EnumSet.of(Role.PARTICIPANT, Role.BEFORE_OPENING, Role.FACILITATOR)),
        DEV_LOOPBACK(ALL);

        final Set<Role> allowed;

        Policy(Set<Role> allowed) {
            this.allowed = allowed;
        }
    }

    record Row(Policy policy, boolean destructive) {
    }

    static final String C = "/courses/:course/:cohort";
    static final String AC = "/api/v1/courses/:course/:cohort";
    static final String M = C + "/meetup";
    static final String AM = AC + "/meetup";
    static final String A = C + "/modules/:module/assignment";
    static final String AA = AC + "/modules/:module/assignment";
    static final String T = C + "/threads/:thread";
    static final String AT = "/api/v1/threads/:thread";
    static final String P = T + "/posts/:number";
    static final String AP = AT + "/posts/:number";

    /** Routes that serve files and every request's filters: not access-controlled per role. */
    static final Set<String> NOT_ROUTES = Set.of("* /webjars/", "* /assets/", "GET /schema/course.json", "* /dev/mail");

    /** The table: every route, its policy. A route missing here fails the test, so a new route cannot be forgotten. */
    static final Map<String, Row> TABLE = new LinkedHashMap<>();

    private static void row(Policy p, String... routes) {
        for (String r : routes) TABLE.put(r, new Row(p, false));
    }

    private static void destructive(Policy p, String... routes) {
        for (String r : routes) TABLE.put(r, new Row(p, true));
    }

    static {
        row(Policy.PUBLIC, "GET /", "GET /health", "GET /courses/:course", "GET " + C, "GET " + C + "/feed.atom", "GET " + C + "/calendar.ics",
                "GET /api/v1/courses", "GET /api/v1/openapi.json", "GET " + AC, "GET /signin", "POST /signin", "GET /signin/:token", "POST /language",
                "GET /metrics");
        row(Policy.PUBLIC, "GET /favicon.ico");
        destructive(Policy.PUBLIC, "POST /signout");
        row(Policy.DEV_LOOPBACK, "GET /dev/mail", "GET /dev/mail/:id/attachment");
        row(Policy.SIGNED_IN_ONLY, "GET /me", "GET /me/notifications", "POST /me/notifications", "GET /api/v1/me", "GET /api/v1/me/notifications",
                "PUT /api/v1/me/notifications");
        row(Policy.SIGNED_IN_ONLY, "GET /me/access", "GET /api/v1/me/tokens", "GET /me/calendar", "GET /me/export.zip",
                "GET /api/v1/me/export.zip");
        // Making a new calendar address stops the old one, turning it off deletes it: one's own, harmless to others.
        destructive(Policy.SIGNED_IN_ONLY, "POST /me/calendar", "POST /me/calendar/off", "POST /api/v1/me/calendar",
                "DELETE /api/v1/me/calendar");
        destructive(Policy.SIGNED_IN_ONLY, "POST /signout/everywhere", "DELETE /api/v1/me/sessions");
        // A token id that is not the caller's own: nobody may revoke it.
        row(Policy.NOBODY_BUT_THE_HOLDER, "POST /me/tokens/:id/revoke", "DELETE /api/v1/me/tokens/:id");
        destructive(Policy.SIGNED_IN_ONLY, "POST " + C + "/join", "POST " + C + "/leave", "POST " + AC + "/enrolment", "DELETE " + AC + "/enrolment");
        // The guidelines a cohort writes itself: the trust course did not switch them on, so members get 404 too.
        row(Policy.NOBODY_BUT_THE_HOLDER, "GET " + C + "/guidelines", "GET " + AC + "/guidelines", "POST " + C + "/guidelines/proposals",
                "POST " + AC + "/guidelines/proposals", "POST " + C + "/guidelines/proposals/:proposal/vote",
                "PUT " + AC + "/guidelines/proposals/:proposal/vote", "DELETE " + AC + "/guidelines/proposals/:proposal/vote",
                "POST " + C + "/guidelines/proposals/:proposal/withdraw", "DELETE " + AC + "/guidelines/proposals/:proposal",
                "POST " + C + "/guidelines/versions", "POST " + AC + "/guidelines/versions", "POST " + C + "/guidelines/window",
                "PUT " + AC + "/guidelines/window", "POST " + C + "/guidelines/acceptance", "PUT " + AC + "/guidelines/acceptance");
        // Circles: Pat, Lou (who then leaves the cohort), Bea and Sil asked for one and share the trust cohort's circle; Ana did not.
        row(Policy.MEMBER, "GET " + C + "/circles", "GET " + AC + "/circles");
        row(Policy.CIRCLE, "GET " + C + "/circles/:circle", "GET " + AC + "/circles/:circle");
        row(Policy.CIRCLE_WRITE, "POST " + C + "/circles/:circle/posts", "POST " + AC + "/circles/:circle/posts");
        row(Policy.FACILITATOR, "POST " + C + "/circles/formation", "POST " + AC + "/circles/formation");
        // Asking for a circle or leaving circles changes who is in the circle, so only the refusals are called.
        destructive(Policy.ENROLLED, "POST " + C + "/circles/participation", "PUT " + AC + "/circles/participation",
                "POST " + C + "/circles/participation/end", "DELETE " + AC + "/circles/participation");
        // One's own sharing rhythm: participants enrolled now (facilitators keep none).
        row(Policy.ENROLLED, "GET " + C + "/rhythm", "GET " + AC + "/rhythm", "POST " + C + "/rhythm", "PUT " + AC + "/rhythm");
        row(Policy.MEMBER, "GET " + C + "/events", "GET " + C + "/search", "GET " + AC + "/search", "GET " + C + "/people/:handle",
                "GET " + C + "/meetup/questions", "GET " + AC + "/meetup/questions");
        row(Policy.MODULE, "GET " + C + "/modules/:module", "GET " + AC + "/modules/:module", "GET " + AC + "/modules/:module/threads",
                "GET " + T, "GET " + T + "/events", "GET " + T + "/posts", "GET " + AT, "POST " + T + "/follow", "PUT " + AT + "/follow",
                "DELETE " + AT + "/follow", "GET " + A, "GET " + AA);
        row(Policy.MODULE_WRITE, "POST " + C + "/modules/:module/threads", "POST " + AC + "/modules/:module/threads", "POST " + T + "/posts",
                "POST " + AT + "/posts", "POST " + P + "/helpful", "PUT " + AP + "/helpful", "DELETE " + AP + "/helpful", "POST " + P + "/flag",
                "POST " + AP + "/flags", "POST " + T + "/vote", "PUT " + AT + "/vote", "DELETE " + AT + "/vote");
        row(Policy.THREAD_AUTHOR_OR_FACILITATOR, "POST " + T + "/nomination", "PUT " + AT + "/nomination");
        // The answer that helped: the asker (Pat asked the seeded thread) or a facilitator; a post's history: who sees the post.
        row(Policy.THREAD_AUTHOR_OR_FACILITATOR, "POST " + P + "/solution", "PUT " + AP + "/solution", "DELETE " + AT + "/solution");
        row(Policy.MODULE, "GET " + P + "/history", "GET " + AP + "/history");
        destructive(Policy.THREAD_AUTHOR_OR_FACILITATOR, "DELETE " + AT + "/nomination");
        destructive(Policy.THREAD_AUTHOR_OR_FACILITATOR, "POST " + P + "/delete", "DELETE " + AP);
        row(Policy.POST_AUTHOR, "GET " + P + "/edit", "POST " + P + "/edit", "PUT " + AP);
        // Working out loud marks: the post's author; reactions by kind (the matrix's ":kind" is no kind: 409, past the access rules).
        row(Policy.POST_AUTHOR, "POST " + P + "/mark", "PUT " + AP + "/mark", "DELETE " + AP + "/mark");
        row(Policy.MODULE_WRITE, "POST " + P + "/reactions/:kind", "PUT " + AP + "/reactions/:kind", "DELETE " + AP + "/reactions/:kind");
        row(Policy.TAKE_PART, "POST " + A + "/draft", "POST " + A + "/submission", "PUT " + AA + "/submission", "POST " + A + "/self",
                "PUT " + AA + "/self-assessment", "POST " + A + "/next-review", "POST " + AA + "/next-review");
        row(Policy.NOBODY_BUT_THE_HOLDER, "GET /calendar/:feed", "POST /signin/:token", "GET " + A + "/reviews/:review", "POST " + A + "/reviews/:review", "GET /api/v1/reviews/:review",
                "PUT /api/v1/reviews/:review", "POST " + A + "/feedback/:review/rating", "POST " + A + "/feedback/:review/flag",
                "PUT /api/v1/reviews/:review/rating", "POST /api/v1/reviews/:review/flag");
        row(Policy.FACILITATOR, "POST " + C + "/organisers");
        row(Policy.FACILITATOR, "POST /courses/:course/cohorts", "POST /api/v1/courses/:course/cohorts", "POST " + C + "/invites",
                "POST " + C + "/invites/:code/revoke", "GET " + C + "/moderation", "GET " + AC + "/moderation", "POST " + T + "/settings",
                "PATCH " + AT, "POST " + P + "/endorse", "PUT " + AP + "/endorsement", "DELETE " + AP + "/endorsement", "POST " + P + "/hide",
                "POST " + P + "/restore", "PUT " + AP + "/hidden", "DELETE " + AP + "/hidden", "GET " + A + "/submissions", "GET " + AA + "/submissions",
                "GET " + A + "/grades.csv", "POST " + A + "/submissions/:submission/grade", "PUT " + AA + "/submissions/:submission/grade",
                "POST " + A + "/reviews/:review/decision");
        // The cohort pulse (issue 11): facilitators only.
        row(Policy.FACILITATOR, "GET " + C + "/pulse", "GET " + AC + "/pulse");
        destructive(Policy.FACILITATOR, "POST " + C + "/silenced", "PUT " + AC + "/silenced/:account", "DELETE " + AC + "/silenced/:account");
        row(Policy.MEETUP_PAGE, "GET " + M, "GET " + AM, "GET " + M + "/invite.ics");
        // Registering makes a member an attendee, so only the refusals are called; cancelling is open to whoever sees the
        // meetup (cancelling nothing changes nothing).
        destructive(Policy.REGISTER, "POST " + M + "/registration", "POST " + AM + "/registration");
        destructive(Policy.MEETUP_PAGE, "POST " + M + "/cancellation", "DELETE " + AM + "/registration");
        row(Policy.ATTENDEE, "GET " + M + "/live", "GET " + M + "/events", "GET " + AM + "/tables", "POST " + M + "/choice", "PUT " + AM + "/choice",
                "POST " + M + "/notes", "POST " + AM + "/notes", "POST " + M + "/live/questions", "POST " + AM + "/live/questions",
                "GET " + AM + "/live/questions", "POST " + M + "/live/questions/:question/vote", "PUT " + AM + "/live/questions/:question/vote");
        row(Policy.ORGANISER, "GET " + M + "/control", "GET " + AM + "/registrations", "POST " + M + "/checkins", "POST " + AM + "/checkins",
                "POST " + M + "/walk-ins", "POST " + AM + "/walk-ins", "POST " + M + "/agenda", "POST " + AM + "/agenda", "POST " + M + "/agenda/:item",
                "POST " + M + "/rounds", "POST " + AM + "/rounds", "POST " + M + "/seats", "POST " + M + "/harvest", "PUT " + AM + "/harvest", "GET " + M + "/harvest",
                "GET " + M + "/harvest.md", "GET " + M + "/end");
        // Marking the question answered would close it to the votes of the cells after.
        destructive(Policy.ORGANISER, "POST " + M + "/live/questions/:question/state", "PATCH " + AM + "/live/questions/:question",
                "POST " + M + "/end", "POST " + AM + "/end", "POST " + M + "/reopening", "POST " + AM + "/reopening", "POST " + M + "/harvest/publication",
                "POST " + AM + "/harvest/publication");
        // A ticket is the registrant's own: the participant (registered) has one; organisers do not.
        row(Policy.POST_AUTHOR, "GET " + M + "/ticket", "GET " + M + "/ticket.svg");
        // The roster and acting on it (pulse-roster): facilitators only. The seeded world has no announcement, so its page
        // answers 404 to every role here; AnnouncementHttpTest checks who reads a real one.
        row(Policy.FACILITATOR, "GET " + C + "/roster", "GET " + C + "/roster.csv", "GET " + AC + "/roster", "POST " + C + "/announcements",
                "POST " + C + "/nudges");
        row(Policy.NOBODY_BUT_THE_HOLDER, "GET " + C + "/announcements/:announcement");
    }

    /** The (method, path) pairs of the router, as "METHOD /path" ("*" for any method). */
    static Set<String> routes(App app) {
        Set<String> found = new TreeSet<>();
        for (Route r : app.router().getRoutes()) {
            if (r.getPath() == null) continue; // filters every request passes, and the catch-all 404
            Set<HttpMethod> methods = r.methods();
            if (methods == null || methods.isEmpty()) found.add("* " + r.getPath());
            else for (HttpMethod m : methods) found.add(m.name() + " " + r.getPath());
        }
        return found;
    }

    /** Routes the router has and the table does not: each must get a row. */
    static List<String> unlisted(Set<String> routes) {
        List<String> missing = new ArrayList<>();
        for (String r : routes) if (!TABLE.containsKey(r) && !NOT_ROUTES.contains(r)) missing.add(r);
        return missing;
    }

    // ---- the seeded world ----

    static final Instant NOW = Instant.parse("2030-03-05T10:00:00Z"); // week one open, week two locked

    static Path course() {
        try {
            Path dir = Fixtures.tempDir("knowmad-matrix");
            Path c = Files.createDirectories(dir.resolve("trust"));
            Files.writeString(c.resolve("course.yaml"), """
                    id: trust
                    title: "Trust lab"
                    language: en
                    timezone: Europe/Amsterdam
                    summary: "Who sees what."
                    facilitators:
                      - { email: fac@example.org, name: Fay }
                    cohorts:
                      - { id: main, starts: 2030-03-04T09:00, enrolment: open }
                      - { id: other, starts: 2030-03-04T09:00, enrolment: open }
                    modules:
                      - id: week-1
                        title: "Week one"
                        opens: P0D
                        content: week-1.md
                        assignment:
                          title: "Describe a practice"
                          instructions: "Write."
                          submit_by: P20D
                          review_by: P30D
                          reviews_per_submission: 2
                          self_assessment: true
                          rubric:
                            - id: clarity
                              title: "Clarity"
                              levels: [ { points: 0, label: "Unclear" }, { points: 1, label: "Clear" } ]
                      - id: week-2
                        title: "Week two"
                        opens: P7D
                        content: week-2.md
                    circles: { size: 5 }
                    meetup:
                      title: "Trust café"
                      starts: P36DT4H
                      duration: PT3H
                      venue: "Somewhere"
                      online_url: "https://meet.example.org/secret-room"
                      capacity: 50
                      questions: 3
                      rounds: 2
                      organisers:
                        - { email: org@example.org, name: Olga }
                    """);
            Files.writeString(c.resolve("week-1.md"), "# Week one\n\nOpen.");
            Files.writeString(c.resolve("week-2.md"), "# Week two\n\nLocked secrets.");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final Map<Role, String> EMAIL = Map.of(Role.PARTICIPANT, "pat@example.org", Role.OTHER_COHORT, "otto@example.org",
            Role.LEFT, "lou@example.org", Role.BEFORE_OPENING, "bea@example.org", Role.SILENCED, "sil@example.org",
            Role.ANONYMOUS_PEER, "ana@example.org", Role.FACILITATOR, "fac@example.org", Role.ORGANISER, "org@example.org");

    /** A node with its cohort seeded: threads open and locked, an anonymous thread, a submission, a registration. */
    static final class World {
        final TestNode node;
        final MutableClock clock;
        final Map<Role, Browser> browsers = new LinkedHashMap<>();
        final Map<Role, ApiUser> apis = new LinkedHashMap<>();
        final Map<String, String> open = new LinkedHashMap<>();
        final Map<String, String> locked = new LinkedHashMap<>();
        long anonymousThread;
        long lockedThread;
        String registrationCode;
        long strangersToken;

        World(Vertx vertx, Rules rules) {
            clock = new MutableClock(NOW);
            node = TestNode.start(vertx, TestDatabase.fresh(), course(), clock, Fixtures.tempDir(), null, rules);
            for (Role r : Role.values()) {
                if (r == Role.VISITOR) continue;
                apis.put(r, ApiUser.create(node, clock, EMAIL.get(r)));
            }
            for (Role r : List.of(Role.PARTICIPANT, Role.LEFT, Role.BEFORE_OPENING, Role.SILENCED, Role.ANONYMOUS_PEER)) join(r, "main");
            join(Role.OTHER_COHORT, "other");
            for (Role r : List.of(Role.PARTICIPANT, Role.LEFT, Role.BEFORE_OPENING, Role.SILENCED)) {
                apis.get(r).call(HttpMethod.PUT, "/api/v1/courses/trust/main/circles/participation", new JsonObject());
            }
            apis.get(Role.FACILITATOR).call(HttpMethod.POST, "/api/v1/courses/trust/main/circles/formation", null);
            long circle = apis.get(Role.PARTICIPANT).call(HttpMethod.GET, "/api/v1/courses/trust/main/circles", null)
                    .bodyAsJsonObject().getLong("circle");
            Await.await(node.app.pool().query("UPDATE account SET name = 'Pat Secret' WHERE email = 'pat@example.org'").execute());
            // Pat asks anonymously; Lou follows by replying, then leaves; Fay prepares next week's thread early.
            anonymousThread = apis.get(Role.PARTICIPANT).call(HttpMethod.POST, "/api/v1/courses/trust/main/modules/week-1/threads",
                    new JsonObject().put("title", "An anonymous question").put("body", "Asked without my name.").put("anonymous", true))
                    .bodyAsJsonObject().getLong("id");
            apis.get(Role.PARTICIPANT).call(HttpMethod.POST, "/api/v1/threads/" + anonymousThread + "/posts",
                    new JsonObject().put("body", "And a follow-up, also anonymous.").put("anonymous", true));
            apis.get(Role.LEFT).call(HttpMethod.POST, "/api/v1/threads/" + anonymousThread + "/posts", new JsonObject().put("body", "I follow this."));
            apis.get(Role.LEFT).call(HttpMethod.DELETE, "/api/v1/courses/trust/main/enrolment", null);
            lockedThread = apis.get(Role.FACILITATOR).call(HttpMethod.POST, "/api/v1/courses/trust/main/modules/week-2/threads",
                    new JsonObject().put("title", "Locked plans").put("body", "Not for anyone yet.")).bodyAsJsonObject().getLong("id");
            long silenced = apis.get(Role.SILENCED).call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
            apis.get(Role.FACILITATOR).call(HttpMethod.PUT, "/api/v1/courses/trust/main/silenced/" + silenced, null);
            apis.get(Role.PARTICIPANT).call(HttpMethod.PUT, "/api/v1/courses/trust/main/modules/week-1/assignment/submission",
                    new JsonObject().put("text", "My practice, submitted."));
            JsonObject reg = apis.get(Role.PARTICIPANT).call(HttpMethod.POST, "/api/v1/courses/trust/main/meetup/registration", null).bodyAsJsonObject();
            apis.get(Role.PARTICIPANT).call(HttpMethod.PUT, "/api/v1/threads/" + anonymousThread + "/nomination", null);
            long question = apis.get(Role.PARTICIPANT).call(HttpMethod.POST, "/api/v1/courses/trust/main/meetup/live/questions",
                    new JsonObject().put("body", "A question for the room")).bodyAsJsonObject().getLong("id");
            long item = apis.get(Role.FACILITATOR).call(HttpMethod.POST, "/api/v1/courses/trust/main/meetup/agenda",
                    new JsonObject().put("thread", anonymousThread)).bodyAsJsonObject().getJsonArray("agenda").getJsonObject(0).getLong("id");
            long submission = Await.await(node.app.pool().query("SELECT max(id) FROM submission").execute()).iterator().next().getLong(0);
            // A review someone outside the nine roles claimed: its reviewer alone may open it.
            ApiUser.create(node, clock, "reviewer@example.org"); // someone outside the nine roles, with an API token of their own
            long stranger = Await.await(node.app.pool().query(
                    "SELECT id FROM account WHERE email = 'reviewer@example.org'").execute()).iterator().next().getLong(0);
            strangersToken = Await.await(node.app.pool().query("SELECT max(id) FROM api_token WHERE account_id = " + stranger).execute())
                    .iterator().next().getLong(0);
            long review = Await.await(node.app.pool().preparedQuery("INSERT INTO review (submission_id, reviewer_id, claimed_at, lease_until) "
                    + "VALUES ($1, $2, now(), now() + interval '4 hours') RETURNING id").execute(Tuple.of(submission, stranger)))
                    .iterator().next().getLong(0);
            Await.await(node.app.pool().query("INSERT INTO cohort_invite (code, course_id, cohort_id, created_by, created_at) "
                    + "VALUES ('MATRIXCODE', 'trust', 'main', " + stranger + ", now())").execute());
            long attachment = Await.await(node.app.pool().query("SELECT coalesce(max(id), 0) FROM outbox WHERE attachment_body IS NOT NULL")
                    .execute()).iterator().next().getLong(0);
            for (Role r : Role.values()) {
                Browser b = node.browser();
                if (r != Role.VISITOR) b.signIn(EMAIL.get(r));
                b.get("/courses/trust/main");
                browsers.put(r, b);
            }
            open.putAll(Map.of("course", "trust", "cohort", "main", "handle", "pat", "submission", String.valueOf(submission),
                    "review", String.valueOf(review), "question", String.valueOf(question), "item", String.valueOf(item), "code", "MATRIXCODE",
                    "account", String.valueOf(stranger), "id", String.valueOf(attachment)));
            open.put("circle", String.valueOf(circle));
            registrationCode = reg.getString("code");
            open.put("module", "week-1");
            open.put("thread", String.valueOf(anonymousThread));
            open.put("number", "2");
            open.put("token", "not-a-real-token");
            locked.putAll(open);
            locked.put("module", "week-2");
            locked.put("thread", String.valueOf(lockedThread));
            locked.put("number", "1");
        }

        private void join(Role r, String cohort) {
            apis.get(r).call(HttpMethod.POST, "/api/v1/courses/trust/" + cohort + "/enrolment", new JsonObject().put("acceptGuidelines", true));
        }

        void close() {
            browsers.values().forEach(Browser::close);
            node.close();
        }
    }

    /** A request body every handler finds what it needs in: valid values, so a refusal can only come from the rules. */
    static final String[] FORM = {"title", "A title for the matrix", "body", "A body that is long enough for every check there is.",
            "text", "A text that is long enough for every check there is.", "comment", "A comment that is long enough for every check there is.",
            "acceptGuidelines", "on", "mode", "immediate", "lang", "en", "reason", "Because it matters", "email", "walkin@example.org",
            "name", "Walk In", "table", "0", "minutes", "5", "helpful", "4", "decision", "keep", "nominated", "on", "vote", "on", "follow", "on",
            "intro", "What the tables said.", "starts", "2030-05-04T09:00", "enrolment", "open", "points", "1", "note", "A note", "state", "answered",
            "scores.clarity", "1", "clarity", "1", "action", "up", "person", "1", "code", "NOPE-CODE", "account", "999999"};

    static JsonObject json() {
        JsonObject o = new JsonObject();
        for (int i = 0; i + 1 < FORM.length; i += 2) o.put(FORM[i], FORM[i + 1]);
        return o.put("acceptGuidelines", true).put("table", 0).put("minutes", 5).put("helpful", 4).put("points", 1)
                .put("scores", new JsonObject().put("clarity", 1)).put("anonymous", false).put("id", "matrix-" + System.nanoTime() % 100000);
    }

    /** One cell's answer classified: allowed, refused, or neither (a 5xx, which is a failure of its own). */
    static String classify(HttpResponse<Buffer> r) {
        int s = r.statusCode();
        if (s == 401 || s == 403 || s == 404) return "refused";
        if (s == 303 && String.valueOf(r.getHeader("Location")).startsWith("/signin")) return "refused";
        if (s >= 500) return "error " + s;
        return "allowed";
    }

    static String fill(String pattern, Map<String, String> values) {
        String path = pattern;
        for (var e : values.entrySet()) path = path.replace(":" + e.getKey(), e.getValue());
        return path;
    }

    /** An event stream never ends: only its status is read (and a refusal's redirect counts as refused). */
    static boolean isStream(String method, String path) {
        return method.equals("GET") && path.endsWith("/events");
    }

    static HttpResponse<Buffer> call(World w, Role role, String method, String path) {
        Browser b = w.browsers.get(role);
        HttpMethod m = HttpMethod.valueOf(method);
        // Check-ins need a ticket's code: the participant's own.
        JsonObject body = json().put("code", w.registrationCode);
        if (path.startsWith("/api/")) return b.json(m, path, m == HttpMethod.GET || m == HttpMethod.DELETE ? null : body);
        if (m == HttpMethod.GET) return b.get(path);
        String[] form = FORM.clone();
        for (int i = 0; i + 1 < form.length; i += 2) if (form[i].equals("code")) form[i + 1] = w.registrationCode;
        return b.post(path, form);
    }

    /** Runs every listed route as every role; answers the disagreeing cells ("leaks" and wrong refusals). */
    static Result run(World w, Set<String> routes, boolean includeDestructive) {
        List<String> cells = new ArrayList<>();
        int count = 0;
        for (boolean destructivePass : new boolean[] {false, true}) {
            for (String route : routes) {
                Row row = TABLE.get(route);
                if (row == null || row.destructive() != destructivePass) continue;
                if (destructivePass && !includeDestructive) continue;
                String method = route.substring(0, route.indexOf(' '));
                String pattern = route.substring(route.indexOf(' ') + 1);
                for (Role role : Role.values()) {
                    boolean allowed = row.policy().allowed.contains(role);
                    if (row.destructive() && allowed) continue; // would change the world for the cells after it
                    Map<String, String> values = role == Role.BEFORE_OPENING ? w.locked : w.open;
                    String path = fill(pattern.contains("/tokens/") ? pattern.replace(":id", String.valueOf(w.strangersToken)) : pattern, values);
                    count++;
                    String want = allowed ? "allowed" : "refused";
                    if (isStream(method, path)) {
                        int status = RawHttp.statusOnly(w.node.port(), "GET " + path + " HTTP/1.1\r\nCookie: " + w.browsers.get(role).cookieHeader());
                        String got = status == 200 ? "allowed" : status == 401 || status == 403 || status == 404 || status == 303 ? "refused" : "error";
                        if (!got.equals(want)) cells.add(route + " as " + role + ": expected " + want + ", got " + status);
                        continue;
                    }
                    HttpResponse<Buffer> r = call(w, role, method, path);
                    String got = classify(r);
                    if (!got.equals(want)) cells.add(route + " as " + role + ": expected " + want + ", got " + r.statusCode());
                }
            }
        }
        return new Result(count, cells);
    }

    record Result(int cells, List<String> disagreements) {
    }
}
