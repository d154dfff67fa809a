package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.TestDatabase;

/**
 * What triggers keep from the posts, against computing it from the posts themselves: {@code post_tally} (V035) and each
 * thread's {@code first_reply_at} (V042), after every step of seeded random writes of the kinds the server and its jobs
 * make: posts by people and by the course, opening posts, replies, deletions, restorations, helpful marks given and
 * taken back, edits, a post moved to another cohort's thread, an author erased. Property-style: 5 seeds of 400 steps,
 * each step checked.
 */
class PostTallyTest {

    private static final String COUNTED = """
            SELECT t.course_id || '/' || t.cohort_id || '/' || p.author_id AS k,
                   count(*) || ' ' || count(*) FILTER (WHERE t.author_id IS DISTINCT FROM p.author_id) || ' ' || sum(p.helpful_count) AS v
            FROM post p JOIN thread t ON t.id = p.thread_id
            WHERE p.author_id IS NOT NULL AND p.deleted_at IS NULL GROUP BY 1""";
    private static final String TALLIED = """
            SELECT course_id || '/' || cohort_id || '/' || account_id AS k, posts || ' ' || replies || ' ' || helpful AS v
            FROM post_tally WHERE posts <> 0 OR replies <> 0 OR helpful <> 0""";

    private static final String FIRST_REPLY = """
            SELECT t.id::text AS k, coalesce((SELECT min(p.created_at) FROM post p
                WHERE p.thread_id = t.id AND p.number > 1 AND p.deleted_at IS NULL AND p.author_id IS DISTINCT FROM t.author_id)::text,
                '-') AS v
            FROM thread t""";
    private static final String FIRST_REPLY_KEPT = "SELECT id::text AS k, coalesce(first_reply_at::text, '-') AS v FROM thread";

    private static Connection db;
    private static DatabaseTarget target;
    private static final List<Long> accounts = new ArrayList<>();
    private static final List<Long> threads = new ArrayList<>();

    @BeforeAll
    static void setUp() throws SQLException {
        target = TestDatabase.fresh();
        db = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
        for (int i = 0; i < 5; i++) accounts.add(id("INSERT INTO account (email, created_at) VALUES ('p" + i + "@example.org', now()) RETURNING id"));
        // Two cohorts; in each a prompt thread (no author) and threads started by two of the people.
        for (String cohort : List.of("spring", "autumn")) {
            threads.add(id("INSERT INTO thread (course_id, cohort_id, module_id, title, post_count, created_at, last_posted_at)"
                    + " VALUES ('demo', '" + cohort + "', 'week-1', 'Prompt', 0, now(), now()) RETURNING id"));
            for (int a = 0; a < 2; a++) {
                threads.add(id("INSERT INTO thread (course_id, cohort_id, module_id, title, author_id, post_count, created_at, last_posted_at)"
                        + " VALUES ('demo', '" + cohort + "', 'week-1', 'Thread', " + accounts.get(a) + ", 0, now(), now()) RETURNING id"));
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    @Test
    void theTallyIsTheCountOfThePostsAfterEveryWrite() throws SQLException {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            for (int step = 0; step < 400; step++) {
                String what = write(random);
                assertEquals(read(COUNTED), read(TALLIED), "seed " + seed + ", step " + step + ": " + what);
                assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT), "first replies, seed " + seed + ", step " + step + ": " + what);
            }
        }
    }

    @Test
    void aThreadsFirstReplyFollowsItsAuthor() throws SQLException {
        long thread = threadWithPosts("week-2", 2);
        try (Statement st = db.createStatement()) {
            assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT));
            // The reply's author becomes the thread's: it is no longer a reply to someone else.
            st.executeUpdate("UPDATE thread SET author_id = " + accounts.get(1) + " WHERE id = " + thread);
            assertEquals("-", read(FIRST_REPLY_KEPT).get(String.valueOf(thread)));
            st.executeUpdate("UPDATE thread SET author_id = NULL WHERE id = " + thread);
            assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT));
            // Back as it was: the tally (which no path of the server needs to follow a thread's author) stays right.
            st.executeUpdate("UPDATE thread SET author_id = " + accounts.get(0) + " WHERE id = " + thread);
            assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT));
            assertEquals(read(COUNTED), read(TALLIED));
        }
    }

    /**
     * Two writers of one thread at once, each on its own connection: two replies deleted together, and the only reply
     * deleted while a new one is being written. Each must count the thread's replies with the other's change in.
     */
    @Test
    void aThreadsFirstReplyStaysRightWithTwoWritersAtOnce() throws Exception {
        long thread = threadWithPosts("week-3", 4);
        String delete = "UPDATE post SET deleted_at = now() WHERE thread_id = " + thread + " AND number = ";
        // Replies 2 and 3 deleted at once: the first reply is reply 4's time, not a deleted one's.
        whileOpen(first -> first.executeUpdate(delete + 2), () -> update(delete + 3));
        assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT));
        // Reply 4, the only one left, deleted while reply 5 is written (numbered on the thread, as the server does it).
        whileOpen(first -> {
            first.executeUpdate("UPDATE thread SET post_count = 5 WHERE id = " + thread);
            first.executeUpdate("INSERT INTO post (thread_id, number, author_id, body, created_at) VALUES (" + thread + ", 5, "
                    + accounts.get(2) + ", 'b', now())");
        }, () -> update(delete + 4));
        assertEquals(read(FIRST_REPLY), read(FIRST_REPLY_KEPT));
        assertEquals(false, "-".equals(read(FIRST_REPLY_KEPT).get(String.valueOf(thread))), "reply 5 is the first reply");
    }

    /**
     * A thread started by the first person in {@code module} with {@code posts} posts an hour apart, the last one now:
     * the opening one by its author, the replies by the second person.
     */
    private static long threadWithPosts(String module, int posts) throws SQLException {
        long thread = id("INSERT INTO thread (course_id, cohort_id, module_id, title, author_id, post_count, created_at, last_posted_at)"
                + " VALUES ('demo', 'spring', '" + module + "', 'Thread', " + accounts.get(0) + ", " + posts + ", now(), now()) RETURNING id");
        try (Statement st = db.createStatement()) {
            for (int n = 1; n <= posts; n++) {
                st.executeUpdate("INSERT INTO post (thread_id, number, author_id, body, created_at) VALUES (" + thread + ", " + n + ", "
                        + accounts.get(n == 1 ? 0 : 1) + ", 'words', now() - interval '" + (posts - n) + " hours')");
            }
        }
        return thread;
    }

    private interface Writes {
        void run(Statement st) throws SQLException;
    }

    /** Runs {@code first} in an open transaction, starts {@code second} on another connection, then commits the first. */
    private static void whileOpen(Writes first, java.util.concurrent.Callable<Integer> second) throws Exception {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            first.run(st);
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<Integer> waiting = other.submit(second);
                Thread.sleep(200); // the second writer reaches the thread's row and waits for it
                c.commit();
                waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                other.shutdownNow();
            }
        }
    }

    private static int update(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password()); Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    /** One random write; returns what it did, for the failure message. */
    private static String write(Random random) throws SQLException {
        long post = anyPost(random);
        int kind = post < 0 ? 0 : random.nextInt(9);
        String sql = switch (kind) {
            case 0, 1, 2 -> {
                long thread = threads.get(random.nextInt(threads.size()));
                String author = random.nextInt(6) == 0 ? "NULL" : String.valueOf(accounts.get(random.nextInt(accounts.size())));
                yield "WITH n AS (UPDATE thread SET post_count = post_count + 1 WHERE id = " + thread + " RETURNING post_count)"
                        + " INSERT INTO post (thread_id, number, author_id, body, created_at) SELECT " + thread + ", post_count, "
                        + author + ", 'words', clock_timestamp() FROM n";
            }
            case 3 -> "UPDATE post SET deleted_at = now() WHERE id = " + post + " AND deleted_at IS NULL";
            case 4 -> "UPDATE post SET deleted_at = NULL WHERE id = " + post;
            case 5 -> "UPDATE post SET helpful_count = helpful_count + 1 WHERE id = " + post;
            case 6 -> "UPDATE post SET helpful_count = helpful_count - 1 WHERE id = " + post + " AND helpful_count > 0";
            case 7 -> random.nextBoolean() ? "UPDATE post SET body = 'edited', me_too_count = me_too_count + 1 WHERE id = " + post
                    : "UPDATE post SET author_id = NULL WHERE id = " + post;
            default -> {
                long thread = threads.get(random.nextInt(threads.size()));
                yield "UPDATE post SET thread_id = " + thread + ", number = 1000000 + id WHERE id = " + post; // a number no other post has
            }
        };
        try (Statement st = db.createStatement()) {
            st.executeUpdate(sql);
        }
        return sql;
    }

    private static long anyPost(Random random) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT id FROM post ORDER BY id OFFSET ? LIMIT 1")) {
            long count = single("SELECT count(*) FROM post");
            if (count == 0) return -1;
            st.setLong(1, random.nextLong(count));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static TreeMap<String, String> read(String sql) throws SQLException {
        TreeMap<String, String> rows = new TreeMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
        }
        return rows;
    }

    private static long id(String sql) throws SQLException {
        return single(sql);
    }

    private static long single(String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
