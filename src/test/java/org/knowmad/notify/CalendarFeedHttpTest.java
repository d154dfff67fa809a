package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.ICalendar;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** A person's own calendar address: subscribable without signing in, replaceable, revocable, never anyone else's. */
@ExtendWith(VertxExtension.class)
class CalendarFeedHttpTest {

    private static final Pattern URL = Pattern.compile("http://localhost(/calendar/[A-Za-z0-9_-]{43}\\.ics)");

    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String address(HttpResponse<Buffer> page) {
        assertEquals(200, page.statusCode(), page.bodyAsString());
        Matcher m = URL.matcher(page.bodyAsString());
        assertTrue(m.find(), "the new address is shown once");
        return m.group(1);
    }

    private static ICalendar fetch(String path) {
        HttpResponse<Buffer> r = node.browser().get(path); // a calendar app: no cookie, no token
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("Content-Type").startsWith("text/calendar"));
        return Biweekly.parse(r.bodyAsString()).first();
    }

    @Test
    void aParticipantSubscribesToTheirOwnDatesOfEveryCohortWithoutSigningIn() {
        Browser p = node.browser().signIn("subscriber@example.org");
        p.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        p.post("/courses/demo/own-pace/join", "acceptGuidelines", "on");
        Instant joinedOwnPace = clock.instant();
        String path = address(p.post("/me/calendar"));

        ICalendar ical = fetch(path);
        assertEquals(10, ical.getEvents().size(), "five dates of the fixed cohort and five of the self-paced one");
        assertTrue(ical.getEvents().stream().anyMatch(e -> e.getUid().getValue().startsWith("demo/own-pace/module_opens/week-2")
                && e.getDateStart().getValue().toInstant().equals(joinedOwnPace.plusSeconds(7 * 24 * 3600))),
                "self-paced dates counted from this person's join");
        String page = p.get("/me/calendar").bodyAsString();
        assertFalse(URL.matcher(page).find(), "the address is shown only when it is made");
        assertTrue(page.contains("/me/calendar/off"), "the page offers to turn it off");

        p.post("/courses/demo/own-pace/leave");
        assertEquals(5, fetch(path).getEvents().size(), "a cohort one left is no longer in the feed");
    }

    @Test
    void aNewAddressStopsTheOldOneAndTurningItOffStopsBoth() {
        Browser p = node.browser().signIn("resetter@example.org");
        p.post("/courses/demo/spring/join", "acceptGuidelines", "on");
        String first = address(p.post("/me/calendar"));
        String second = address(p.post("/me/calendar"));
        assertNotEquals(first, second);
        assertEquals(404, node.browser().get(first).statusCode(), "the replaced address no longer works");
        fetch(second);
        HttpResponse<Buffer> off = p.post("/me/calendar/off");
        assertEquals(303, off.statusCode());
        assertEquals(404, node.browser().get(second).statusCode());
        assertTrue(p.get("/me/calendar?off=1").bodyAsString().contains("/me/calendar\""), "offers to make a new one");
    }

    @Test
    void throughTheApi() {
        ApiUser u = ApiUser.joined(node, clock, "api-subscriber@example.org", "spring");
        HttpResponse<Buffer> made = u.call(HttpMethod.POST, "/api/v1/me/calendar", null);
        assertEquals(201, made.statusCode(), made.bodyAsString());
        Matcher m = URL.matcher(made.bodyAsJsonObject().getString("url"));
        assertTrue(m.matches());
        assertEquals(5, fetch(m.group(1)).getEvents().size());
        assertEquals(204, u.call(HttpMethod.DELETE, "/api/v1/me/calendar", null).statusCode());
        assertEquals(404, node.browser().get(m.group(1)).statusCode());
    }

    @Test
    void badAndUnknownAddressesAndStrangersAreRefused() {
        assertEquals(404, node.browser().get("/calendar/short.ics").statusCode());
        assertEquals(404, node.browser().get("/calendar/" + "A".repeat(43) + ".ics").statusCode(), "well formed, never handed out");
        assertEquals(404, node.browser().get("/calendar/" + "A".repeat(43)).statusCode(), "without .ics");
        Browser visitor = node.browser();
        HttpResponse<Buffer> page = visitor.get("/me/calendar");
        assertTrue(page.statusCode() == 401 || page.statusCode() == 303, "visitors are asked to sign in: " + page.statusCode());
        Browser p = node.browser().signIn("csrf@example.org");
        assertEquals(403, p.postWithoutCsrf("/me/calendar").statusCode(), "no address without the form's token");
        long rows = Await.await(node.app.pool().query("SELECT count(*) FROM calendar_feed f JOIN account a ON a.id = f.account_id "
                + "WHERE a.email = 'csrf@example.org'").execute()).iterator().next().getLong(0);
        assertEquals(0, rows, "nothing written");
    }
}
