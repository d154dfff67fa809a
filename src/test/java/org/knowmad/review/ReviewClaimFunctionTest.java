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
 * {@code review_claim} (V034) raced on a real PostgreSQL: many reviewers claiming at the same instant from the
 * same stale ranking, each on their own connection and transaction. No submission gets more than k live claims,
 * nobody gets two, and the slots all get taken.
 */
class ReviewClaimFunctionTest {

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

    private static String claim(Connection c, long[] ids, long reviewer, int k, boolean extra) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT claim_status FROM review_claim(?, ?, ?, ?, ?, ?)")) {
            Long[] boxed = new Long[ids.length];
            for (int i = 0; i < ids.length; i++) boxed[i] = ids[i];
            Array array = c.createArrayOf("bigint", boxed);
            ps.setArray(1, array);
            ps.setLong(2, reviewer);
            ps.setTimestamp(3, Timestamp.from(NOW));
            ps.setTimestamp(4, Timestamp.from(NOW.plusSeconds(4 * 3600)));
            ps.setInt(5, k);
            ps.setBoolean(6, extra);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                String status = r.getString(1);
                c.commit();
                return status;
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void manyReviewersAtOnceNeverOverClaim() throws Exception {
        int reviewers = 40, works = 5, k = 3;
        long[][] seeded = seed("race", reviewers, works);
        long[] submissions = seeded[1];
        ExecutorService pool = Executors.newFixedThreadPool(reviewers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < reviewers; i++) {
                long reviewer = seeded[0][i];
                results.add(pool.submit(() -> {
                    try (Connection c = connect()) {
                        go.await();
                        // Everyone ranks the same way (a stale snapshot), own work included: the function must cope.
                        return claim(c, submissions, reviewer, k, false);
                    }
                }));
            }
            go.countDown();
            int claimed = 0;
            for (Future<String> f : results) {
                String status = f.get();
                assertTrue(List.of("claimed", "busy", "none").contains(status), status);
                if (status.equals("claimed")) claimed++;
            }
            assertEquals(works * k, claimed, "every slot taken once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, count("SELECT count(*) FROM (SELECT submission_id FROM review r JOIN submission s ON s.id = r.submission_id "
                + "WHERE s.cohort_id = 'race' GROUP BY submission_id HAVING count(*) > " + k + ") o"), "no submission over k");
        assertEquals(0, count("SELECT count(*) FROM (SELECT reviewer_id FROM review r JOIN submission s ON s.id = r.submission_id "
                + "WHERE s.cohort_id = 'race' GROUP BY reviewer_id HAVING count(*) > 1) o"), "nobody holds two");
    }

    @Test
    void aFullOrTakenSubmissionIsPassedOverAndEmptyRankingsSayWhy() throws Exception {
        long[][] seeded = seed("order", 6, 2);
        long first = seeded[1][0], second = seeded[1][1];
        try (Connection c = connect()) {
            for (int i = 2; i < 5; i++) assertEquals("claimed", claim(c, new long[] {first}, seeded[0][i], 3, false));
            // The first is full now: the next reviewer gets the second, in one call.
            assertEquals("claimed", claim(c, new long[] {first, second}, seeded[0][5], 3, false));
            assertEquals(1, count("SELECT count(*) FROM review WHERE submission_id = " + second));
            // Nothing with room left to try.
            assertEquals("none", claim(c, new long[] {first}, seeded[0][1], 3, false));
            assertEquals("none", claim(c, new long[0], seeded[0][1], 3, false));
            // An extra goes through even when full; the same reviewer cannot claim the same work twice.
            assertEquals("claimed", claim(c, new long[] {first}, seeded[0][1], 3, true));
            assertEquals("none", claim(c, new long[] {first}, seeded[0][1], 3, true));
        }
        try (Connection holder = connect(); Connection c = connect()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT 1 FROM submission WHERE id = " + second + " FOR UPDATE");
                // Someone is claiming the only candidate right now.
                assertEquals("busy", claim(c, new long[] {second}, seeded[0][0], 3, false));
            }
            holder.rollback();
        }
    }
}
