package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Browser;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * The cohort list of the catalogue and course pages: what each row says, in the reader's language, and that rows
 * kept from an earlier view (CohortListMarkup) follow the clock and new cohorts instead of showing what was.
 */
@ExtendWith(VertxExtension.class)
class CohortListHttpTest {

    /** Before the demo course's cohorts start (4 March 2030, 09:00 Amsterdam). */
    private static final Instant BEFORE_SPRING = Instant.parse("2030-03-01T10:00:00Z");

    private TestNode node;
    private MutableClock clock;

    @BeforeEach
    void start(Vertx vertx) {
        clock = new MutableClock(BEFORE_SPRING);
        node = TestNode.demo(vertx, clock);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** The row of a cohort on a page: "cohort-id: what it says" with its enrolment class, from the list's HTML. */
    private static String row(Document page, String cohort) {
        Element link = page.selectFirst("ul.cohorts li a[href=/courses/demo/" + cohort + "]");
        assertNotNull(link, cohort + " is listed");
        Element li = link.parent();
        Element time = li.selectFirst("time");
        return li.text() + (time == null ? "" : " @" + time.attr("datetime")) + " ." + li.select("[class^=tag enrolment-]").attr("class");
    }

    @Test
    void eachRowSaysWhenItStartsAndWhoMayJoinAndKeepsUpWithTheClockAndNewCohorts() {
        Browser visitor = node.browser();
        Document catalogue = Jsoup.parse(visitor.get("/").bodyAsString());
        assertEquals("spring starts Monday 4 March 2030, 09:00 open @2030-03-04T08:00:00Z .tag enrolment-open", row(catalogue, "spring"));
        assertEquals("invited starts Monday 4 March 2030, 09:00 by invitation @2030-03-04T08:00:00Z .tag enrolment-invite",
                row(catalogue, "invited"));
        assertEquals("past started Monday 6 January 2020, 09:00 closed @2020-01-06T08:00:00Z .tag enrolment-closed", row(catalogue, "past"));
        assertEquals("own-pace self-paced open .tag enrolment-open", row(catalogue, "own-pace"));

        // In Dutch for a Dutch reader; the English rows kept above are not theirs.
        Document dutch = Jsoup.parse(visitor.getWith("/courses/demo", "Accept-Language", "nl").bodyAsString());
        assertEquals("own-pace in eigen tempo open .tag enrolment-open", row(dutch, "own-pace"));

        // The start passes: the same page says so at once.
        clock.set(Instant.parse("2030-03-04T08:00:00Z"));
        Document started = Jsoup.parse(visitor.get("/courses/demo").bodyAsString());
        assertEquals("spring started Monday 4 March 2030, 09:00 open @2030-03-04T08:00:00Z .tag enrolment-open", row(started, "spring"));

        // A cohort started on the web appears in its place among the others.
        Browser fay = node.browser().signIn("fac@example.org");
        fay.get("/courses/demo");
        assertEquals(303, fay.post("/courses/demo/cohorts", "starts", "2030-09-02T09:00", "id", "autumn", "_idem", "k-1").statusCode());
        Document withAutumn = Jsoup.parse(visitor.get("/").bodyAsString());
        assertEquals("autumn starts Monday 2 September 2030, 09:00 open @2030-09-02T07:00:00Z .tag enrolment-open", row(withAutumn, "autumn"));
        List<String> ids = withAutumn.select("ul.cohorts li > a").eachText();
        assertEquals("autumn", ids.get(ids.size() - 1), "web cohorts follow the course file's: " + ids);
    }
}
