package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowmad.web.HttpProblem;

/** The thread list's parameters: defaults, every allowed value, every kind of bad value, and keys that round-trip. */
class ThreadListTest {

    private static ThreadRow row(long id, boolean pinned, Instant created, Instant last, int helpful) {
        return new ThreadRow(id, "c", "k", "m", "T", 1L, "A", "a@x.org", false, pinned, null, 1, created, last, 0, false, null, helpful, null, false, java.util.List.of());
    }

    @Test
    void defaultsAreTodaysList() {
        ThreadList l = ThreadList.parse(null, null, null, null);
        assertEquals(ThreadList.Order.LATEST, l.order());
        assertEquals(ThreadList.Filter.ALL, l.filter());
        assertNull(l.after());
        assertEquals(ThreadList.DEFAULT_LIMIT, l.limit());
        assertEquals(ThreadList.first(), ThreadList.parse("", "", "", ""));
    }

    @Test
    void everyOrderAndFilterIsAccepted() {
        for (ThreadList.Order o : ThreadList.Order.values()) {
            for (ThreadList.Filter f : ThreadList.Filter.values()) {
                ThreadList l = ThreadList.parse(o.param(), f.param(), null, "7");
                assertEquals(o, l.order());
                assertEquals(f, l.filter());
                assertEquals(7, l.limit());
            }
        }
    }

    @Test
    void badValuesAre400() {
        for (String[] bad : List.of(new String[] {"LATEST", null, null, null}, new String[] {"popular", null, null, null},
                new String[] {null, "Mine", null, null}, new String[] {null, "x", null, null}, new String[] {null, null, null, "0"},
                new String[] {null, null, null, "201"}, new String[] {null, null, null, "-1"}, new String[] {null, null, null, "1e3"},
                new String[] {null, null, "x", null}, new String[] {null, null, "1_x_3", null}, new String[] {null, null, "1_2030-01-01T00:00:00Z", null},
                new String[] {null, null, "2_2030-01-01T00:00:00Z_3", null}, new String[] {"helpful", null, "-1_3", null},
                new String[] {"helpful", null, "1_-3", null}, new String[] {"newest", null, "2030-01-01T00:00:00Z_3_4", null},
                new String[] {"newest", null, "2030-13-01T00:00:00Z_3", null})) {
            HttpProblem p = assertThrows(HttpProblem.class, () -> ThreadList.parse(bad[0], bad[1], bad[2], bad[3]), String.join(",", List.of(
                    String.valueOf(bad[0]), String.valueOf(bad[1]), String.valueOf(bad[2]), String.valueOf(bad[3]))));
            assertEquals(400, p.status());
        }
    }

    @Test
    void theNextKeyReadsBackAsTheSameKey() {
        Instant created = Instant.parse("2030-03-05T10:00:00.123456Z");
        Instant last = Instant.parse("2030-03-06T11:00:00Z");
        ThreadRow t = row(42, true, created, last, 3);
        for (ThreadList.Order o : ThreadList.Order.values()) {
            ThreadList l = ThreadList.parse(o.param(), null, null, null);
            String next = l.next(t);
            ThreadList.Key k = ThreadList.parse(o.param(), null, next, null).after();
            assertEquals(42, k.id(), o.name());
            switch (o) {
                case LATEST -> {
                    assertEquals(true, k.pinned());
                    assertEquals(last, k.at());
                }
                case NEWEST, UNANSWERED -> assertEquals(created, k.at());
                case HELPFUL -> assertEquals(3, k.helpful());
            }
        }
    }

    @Test
    void queryNamesOnlyWhatDiffersFromTheDefault() {
        assertEquals("", ThreadList.query(ThreadList.Order.LATEST, ThreadList.Filter.ALL));
        assertEquals("?order=newest", ThreadList.query(ThreadList.Order.NEWEST, ThreadList.Filter.ALL));
        assertEquals("?filter=mine", ThreadList.query(ThreadList.Order.LATEST, ThreadList.Filter.MINE));
        assertEquals("?order=helpful&filter=following", ThreadList.query(ThreadList.Order.HELPFUL, ThreadList.Filter.FOLLOWING));
    }
    @Test
    void aMarkIsWipOrHelpOrNothing() {
        assertEquals("help", ThreadList.parse(null, null, null, null, "help").mark());
        assertEquals(null, ThreadList.parse(null, null, null, null, "").mark());
        assertEquals(400, org.junit.jupiter.api.Assertions.assertThrows(org.knowmad.web.HttpProblem.class,
                () -> ThreadList.parse(null, null, null, null, "urgent")).status());
    }
}
