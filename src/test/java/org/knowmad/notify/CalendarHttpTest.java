package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** The cohort calendar, read back by a real iCalendar parser. */
@ExtendWith(VertxExtension.class)
class CalendarHttpTest {

    private static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.demo(vertx, new MutableClock(Fixtures.SPRING_DAY_2));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ICalendar read(HttpResponse<Buffer> r) {
        assertEquals(200, r.statusCode());
        assertTrue(r.getHeader("Content-Type").startsWith("text/calendar"));
        return Biweekly.parse(r.bodyAsString()).first();
    }

    private static VEvent event(ICalendar ical, String summary) {
        return ical.getEvents().stream().filter(e -> e.getSummary().getValue().equals(summary)).findFirst().orElseThrow();
    }

    @Test
    void aFixedCohortsOpeningsAndDeadlinesAtTheirInstants() {
        ICalendar ical = read(node.browser().get("/courses/demo/spring/calendar.ics"));
        assertEquals(5, ical.getEvents().size(), "three openings, submit and review deadlines");
        assertEquals(Instant.parse("2030-03-11T08:00:00Z"), event(ical, "Opens: Week two").getDateStart().getValue().toInstant());
        VEvent due = event(ical, "Assignment due: Week three");
        assertEquals(Instant.parse("2030-03-22T08:00:00Z"), due.getDateStart().getValue().toInstant());
        assertTrue(due.getUrl().getValue().endsWith("/courses/demo/spring/modules/week-3"));
        assertTrue(event(ical, "Opens: Week one").getUid().getValue().contains("demo/spring/module_opens/week-1"));
    }

    @Test
    void aSelfPacedCohortGivesEachParticipantTheirOwnDates() {
        assertEquals(0, read(node.browser().get("/courses/demo/own-pace/calendar.ics")).getEvents().size(),
                "visitors: nothing is on a shared date in this course");
        Browser p = node.browser().signIn("pace@example.org");
        p.get("/courses/demo/own-pace");
        p.post("/courses/demo/own-pace/join", "acceptGuidelines", "on");
        ICalendar mine = read(p.get("/courses/demo/own-pace/calendar.ics"));
        assertEquals(5, mine.getEvents().size());
        assertEquals(Fixtures.SPRING_DAY_2.plusSeconds(7 * 24 * 3600), event(mine, "Opens: Week two").getDateStart().getValue().toInstant());
        assertEquals(404, node.browser().get("/courses/demo/nope/calendar.ics").statusCode());
    }
}
