package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.TestDatabase;

/**
 * {@code review_next} (V034, V040, V044) raced on a real PostgreSQL: many reviewers claiming at the same instant from the
 * same stale ranking, each on their own connection. No submission gets more than k live claims, nobody gets two,
 * a double click gets the same claim, and the slots all get taken.
 */
class ReviewNextFunctionTest {

    private static final Instant NOW = Instant.parse("2030-03-22T09:00:00Z");
    private static DatabaseTarget db;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
    }

    @AfterAll
    static void done() {
        db = null;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** {@code people} accounts, and a submitted work by each of the first {@code works}; returns account ids then submission ids. */
    private static long[][] seed(String prefix, int people, int works) throws SQLException {
        long[] accounts = new long[people];
        long[] submissions = new long[works];
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int i = 0; i < people; i++) {
                try (ResultSet r = st.executeQuery("INSERT INTO account (email, created_at) VALUES ('" + prefix + i
                        + "@example.org', now()) RETURNING id")) {
                    r.next();
                    accounts[i] = r.getLong(1);
                }
            }
            for (int i = 0; i < works; i++) {
                try (ResultSet r = st.executeQuery("INSERT INTO submission (course_id, cohort_id, module_id, author_id, body, submitted_at, "
                        + "updated_at, pool_from, grade_due, needed) VALUES ('c', '" + prefix + "', 'm', " + accounts[i]
                        + ", 'work', now(), now(), now(), now() + interval '30 days', 3) RETURNING id")) {
                    r.next();
                    submissions[i] = r.getLong(1);
                }
            }
        }
        return new long[][] {accounts, submissions};
    }

    private static String next(Connection c, String cohort, long reviewer, long[] ranked, long[] extras, int k) throws SQLException {
        return next(c, cohort, reviewer, ranked, extras, k, 20);
    }

    private static String next(Connection c, String cohort, long reviewer, long[] ranked, long[] extras, int k, int tries) throws SQLException {
        return next(c, cohort, reviewer, ranked, true, extras, true, k, tries);
    }

    private static String next(Connection c, String cohort, long reviewer, long[] ranked, boolean rankedAll, long[] extras, boolean extrasAll,
                               int k, int tries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT outcome FROM review_next('c', ?, 'm', ?, ?, " + rankedAll + ", ?, " + extrasAll + ", ?, ?, ?, ?)")) {
            ps.setString(1, cohort);
            ps.setLong(2, reviewer);
            ps.setArray(3, c.createArrayOf("bigint", boxed(ranked)));
            ps.setArray(4, c.createArrayOf("bigint", boxed(extras)));
            ps.setTimestamp(5, Timestamp.from(NOW));
            ps.setTimestamp(6, Timestamp.from(NOW.plusSeconds(4 * 3600)));
            ps.setInt(7, k);
            ps.setInt(8, tries);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static Long[] boxed(long[] ids) {
        Long[] out = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = ids[i];
        return out;
    }

    /** The first {@code n} of {@code ids} without {@code own}. */
    private static long[] without(long[] ids, int n, long own) {
        return java.util.Arrays.stream(ids).limit(n).filter(id -> id != own).toArray();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void manyReviewersAtOnceNeverOverClaim() throws Exception {
        int reviewers = 40, k = 3;
        long[][] seeded = seed("race", reviewers, reviewers);
        long[] accounts = seeded[0], submissions = seeded[1];
        ExecutorService pool = Executors.newFixedThreadPool(reviewers * 2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < reviewers * 2; i++) {
                long reviewer = accounts[i % reviewers];
                long own = submissions[i % reviewers];
                results.add(pool.submit(() -> {
                    try (Connection c = connect()) {
                        go.await();
                        // Everyone ranks the same five first (one stale snapshot), and everyone clicks twice.
                        return next(c, "race", reviewer, without(submissions, 5, own), new long[0], k);
                    }
                }));
            }
            go.countDown();
            for (Future<String> f : results) {
                String outcome = f.get();
                assertTrue(List.of("claimed", "held", "busy", "none").contains(outcome), outcome);
            }
        } finally {
            pool.shutdownNow();
        }
        // Whoever was passed over while others held a lock asks again, one after another: every slot gets taken.
        try (Connection c = connect()) {
            for (int i = 0; i < reviewers; i++) next(c, "race", accounts[i], without(submissions, 5, submissions[i]), new long[0], k);
        }
        assertEquals(5L * k, count("SELECT count(*) FROM review r JOIN submission s ON s.id = r.submission_id WHERE s.cohort_id = 'race'"),
                "every slot taken once");
        assertEquals(0, count("SELECT count(*) FROM (SELECT submission_id FROM review r JOIN submission s ON s.id = r.submission_id "
                + "WHERE s.cohort_id = 'race' GROUP BY submission_id HAVING count(*) > " + k + ") o"), "no submission over k");
        assertEquals(0, count("SELECT count(*) FROM (SELECT reviewer_id FROM review r JOIN submission s ON s.id = r.submission_id "
                + "WHERE s.cohort_id = 'race' GROUP BY reviewer_id HAVING count(*) > 1) o"), "nobody holds two");
    }

    @Test
    void fullWorkIsPassedOverAndEachRefusalSaysWhy() throws Exception {
        long[][] seeded = seed("order", 7, 6);
        long[] who = seeded[0], work = seeded[1];
        long first = work[0], second = work[1];
        try (Connection c = connect()) {
            assertEquals("submit-first", next(c, "order", who[6], new long[] {first}, new long[0], 3), "no own work, no reviews");
            for (int i = 2; i < 5; i++) assertEquals("claimed", next(c, "order", who[i], new long[] {first, second}, new long[0], 3));
            assertEquals("held", next(c, "order", who[2], new long[] {second}, new long[0], 3), "a live claim is handed back");
            // The first is full now: the next reviewer gets the second, in one call.
            assertEquals("claimed", next(c, "order", who[5], new long[] {first, second}, new long[0], 3));
            assertEquals(1, count("SELECT count(*) FROM review WHERE submission_id = " + second));
            // Its one try spent on full work while the ranking goes on: "busy" (ask again), not "nothing to review".
            assertEquals("busy", next(c, "order", who[1], new long[] {first, second}, new long[0], 3, 1));
            assertEquals(1, count("SELECT count(*) FROM review WHERE submission_id = " + second), "nothing claimed by that");
            // Given only the head of the ranking, all of it full and tried: the whole lists are asked for.
            assertEquals("more", next(c, "order", who[1], new long[] {first}, false, new long[0], true, 3, 1));
            // Nothing with room left to try, and nothing for an extra either.
            assertEquals("none", next(c, "order", who[1], new long[] {first}, new long[0], 3));
            // With no candidate left for them, an extra review of the least reviewed work (the first, even though full).
            assertEquals("claimed", next(c, "order", who[1], new long[0], new long[] {first}, 3));
            assertEquals(4, count("SELECT count(*) FROM review WHERE submission_id = " + first));
        }
        try (Connection holder = connect(); Connection c = connect()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT 1 FROM submission WHERE id = " + work[3] + " FOR UPDATE");
                // Someone is claiming the only candidate right now.
                assertEquals("busy", next(c, "order", who[0], new long[] {work[3]}, new long[0], 3));
            }
            holder.rollback();
        }
    }

    @Test
    void whatTheReviewerReviewedIsPassedOverWithoutUsingATry() throws Exception {
        long[][] seeded = seed("mine", 6, 6);
        long[] who = seeded[0], work = seeded[1];
        long me = who[5];
        String done = "UPDATE review SET completed_at = now() WHERE reviewer_id = " + me + " AND completed_at IS NULL";
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (int i = 0; i < 2; i++) {
                assertEquals("claimed", next(c, "mine", me, new long[] {work[i]}, new long[0], 3));
                st.execute(done);
            }
            // The two reviewed ones come first in the ranking; with a single try the third is still claimed.
            assertEquals("claimed", next(c, "mine", me, new long[] {work[0], work[1], work[2]}, new long[0], 3, 1));
            assertEquals(1, count("SELECT count(*) FROM review WHERE completed_at IS NULL AND reviewer_id = " + me + " AND submission_id = " + work[2]));
            st.execute(done);
            // Everything ranked is reviewed: an extra, passing over the reviewed ones among the extras too.
            assertEquals("claimed", next(c, "mine", me, new long[] {work[0], work[1], work[2]}, new long[] {work[0], work[3], work[4]}, 3));
            assertEquals(1, count("SELECT count(*) FROM review WHERE extra AND reviewer_id = " + me + " AND submission_id = " + work[3]));
            st.execute(done);
            assertEquals("none", next(c, "mine", me, new long[] {work[0], work[1]}, new long[] {work[2], work[3]}, 3));
            // Given only the heads of the lists, and this reviewer reviewed all of them: ask for the whole lists.
            assertEquals("more", next(c, "mine", me, new long[] {work[0], work[1]}, false, new long[0], true, 3, 1));
            assertEquals("more", next(c, "mine", me, new long[] {work[0]}, true, new long[] {work[2], work[3]}, false, 3, 20));
            assertEquals(4, count("SELECT count(*) FROM review WHERE reviewer_id = " + me), "nothing more claimed");
            // A head with enough left in it is used as it is.
            assertEquals("claimed", next(c, "mine", me, new long[] {work[0], work[4]}, false, new long[0], false, 3, 1));
        }
    }
}
