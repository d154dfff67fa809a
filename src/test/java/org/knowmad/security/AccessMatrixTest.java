package org.knowmad.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.Rules;
import org.knowmad.security.AccessMatrix.Role;
import org.knowmad.support.Await;

/**
 * Every route of the router, called as each of the nine roles, answers as the trust model says; and the channels
 * that are not pages (mail for mentions and followed threads, the Atom feed, the calendar, search, the thread API,
 * the person page) tell each role only what it may know. Prints the matrix size.
 */
@ExtendWith(VertxExtension.class)
class AccessMatrixTest {

    private static AccessMatrix.World world;

    @BeforeAll
    static void start(Vertx vertx) {
        world = new AccessMatrix.World(vertx, Rules.standard());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void everyRouteHasARowAndEveryCellAnswersAsTheTrustModelSays() {
        Set<String> routes = AccessMatrix.routes(world.node.app);
        assertEquals(List.of(), AccessMatrix.unlisted(routes), "add a matrix row (AccessMatrix.TABLE) for each of these routes");
        // The channels first, on the world as seeded (the route cells write posts of their own, signed).
        List<String> channelLeaks = channels();
        AccessMatrix.Result result = AccessMatrix.run(world, routes, true);
        // Then the channels that change the world (harvest published, clock at week two's opening).
        channelLeaks.addAll(ChannelMatrix.afterRoutes(world));
        int channelCount = CHANNELS + ChannelMatrix.CHANNELS;
        int channels = channelCount * Role.values().length;
        List<String> all = new ArrayList<>(result.disagreements());
        all.addAll(channelLeaks);
        List<String> known = new ArrayList<>();
        List<String> fresh = ChannelMatrix.unknown(all, known);
        known.forEach(System.out::println);
        System.out.println("access matrix: " + routes.size() + " routes × " + Role.values().length + " roles = " + result.cells()
                + " cells called (" + (routes.size() * Role.values().length) + " in the table); " + channelCount + " channels × "
                + Role.values().length + " roles = " + channels + " cells; " + all.size() + " leaks (" + known.size() + " known)");
        assertEquals(List.of(), fresh);
    }

    static final int CHANNELS = 7;

    /** Who is told what outside the routes' status codes. */
    private static List<String> channels() {
        List<String> leaks = new ArrayList<>();
        var w = world;
        Set<Role> knowsAuthor = EnumSet.of(Role.PARTICIPANT, Role.FACILITATOR);
        for (Role role : Role.values()) {
            var b = w.browsers.get(role);
            // 1. Anonymity: the thread page and API, search, the person page, the feed never name the anonymous author.
            for (String path : List.of("/courses/trust/main/threads/" + w.anonymousThread, "/api/v1/threads/" + w.anonymousThread,
                    "/courses/trust/main/search?q=anonymous", "/courses/trust/main/people/pat", "/courses/trust/main/feed.atom")) {
                String body = path.startsWith("/api/") ? b.json(HttpMethod.GET, path, null).bodyAsString() : b.get(path).bodyAsString();
                if (!knowsAuthor.contains(role) && body != null && body.contains("Pat Secret") && !path.endsWith("/people/pat")) {
                    leaks.add("anonymity: " + role + " reads the author at " + path);
                }
                if (!knowsAuthor.contains(role) && path.endsWith("/people/pat") && body != null && body.contains("An anonymous question")) {
                    leaks.add("anonymity: " + role + " finds the anonymous thread on the author's page");
                }
            }
            // 2. Locked content: nobody but the facilitator reads next week's thread, in any channel.
            for (String path : List.of("/courses/trust/main/search?q=locked", "/courses/trust/main/modules/week-2", "/courses/trust/main/feed.atom",
                    "/api/v1/courses/trust/main/modules/week-2/threads", "/courses/trust/main/meetup/questions")) {
                String body = path.startsWith("/api/") ? b.json(HttpMethod.GET, path, null).bodyAsString() : b.get(path).bodyAsString();
                if (role != Role.FACILITATOR && body != null && body.contains("Locked plans")) leaks.add("locked: " + role + " reads it at " + path);
            }
            // 3. The calendar gives the call's link to members only.
            String ics = b.get("/courses/trust/main/calendar.ics").bodyAsString();
            boolean member = AccessMatrix.MEMBERS.contains(role) && role != Role.FACILITATOR || role == Role.FACILITATOR;
            if (!member && ics.contains("secret-room")) leaks.add("calendar: " + role + " gets the meetup's online link");
        }
        // 4–7. Mail: a mention of everyone in the open thread, and in the locked one; a reply to a thread Lou followed before leaving.
        String everyone = "@pat @otto @lou @bea @sil @ana @fac @org";
        var fay = w.apis.get(Role.FACILITATOR);
        long before = Await.await(w.node.app.pool().query("SELECT coalesce(max(id), 0) FROM notification").execute()).iterator().next().getLong(0);
        fay.call(HttpMethod.POST, "/api/v1/threads/" + w.anonymousThread + "/posts", new JsonObject().put("body", "Open to all: " + everyone));
        fay.call(HttpMethod.POST, "/api/v1/threads/" + w.lockedThread + "/posts", new JsonObject().put("body", "Locked for now: " + everyone));
        Set<String> toldOpen = new java.util.TreeSet<>();
        Set<String> toldLocked = new java.util.TreeSet<>();
        for (Row r : Await.await(w.node.app.pool().query("""
                SELECT a.email, t.title FROM notification n JOIN account a ON a.id = n.account_id JOIN thread t ON t.id = n.thread_id
                WHERE n.id > """ + before).execute())) {
            (r.getString(1).equals("Locked plans") ? toldLocked : toldOpen).add(r.getString(0));
        }
        Set<String> mayBeTold = new java.util.TreeSet<>(List.of("pat@example.org", "bea@example.org", "sil@example.org", "ana@example.org"));
        if (!toldOpen.equals(mayBeTold)) leaks.add("mail, open thread: told " + toldOpen + ", expected " + mayBeTold);
        if (!toldLocked.isEmpty()) leaks.add("mail, locked thread: told " + toldLocked + ", expected nobody");
        if (toldOpen.contains("lou@example.org")) leaks.add("mail: the participant who left is still told about a thread they followed");
        assertFalse(toldOpen.contains("fac@example.org"), "the writer is never told of their own post");
        assertTrue(toldOpen.size() <= 4);
        return leaks;
    }
}
