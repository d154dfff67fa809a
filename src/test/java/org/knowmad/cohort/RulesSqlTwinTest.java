package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.account.Account;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.ReloadGuard;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.discussion.ThreadRules;
import org.knowmad.notify.MailRules;
import org.knowmad.support.Fixtures;
import org.knowmad.support.TestDatabase;
import org.knowmad.web.Viewer;

/**
 * Each rule's SQL twin answers what the rule answers. Every standing a recipient can have (facilitator,
 * enrolled, left, of another cohort, silenced, self-paced with or without the module released) meets every
 * module state, and the predicate that mails and digests use, evaluated in PostgreSQL, must agree with the
 * Java rule the pages use. A change to either side that the other does not follow fails here.
 */
class RulesSqlTwinTest {

    private static DatabaseTarget db;
    private static Connection sql;
    private static Course course;
    private static final CohortRules RULES = new CohortRules();
    private static final ThreadRules THREADS = new ThreadRules(RULES);

    /** One person's standing, as stored and as the rules see it. */
    private record Standing(String name, boolean facilitator, String cohort, boolean left, boolean silenced, boolean releasedForThem) {
        String email() {
            return facilitator ? "fac@example.org" : name + "@example.org";
        }
    }

    private static final List<Standing> STANDINGS = List.of(
            new Standing("fay", true, null, false, false, false),
            new Standing("member", false, "spring", false, false, false),
            new Standing("gone", false, "spring", true, false, false),
            new Standing("elsewhere", false, "small", false, false, false),
            new Standing("hushed", false, "spring", false, true, false),
            new Standing("nobody", false, null, false, false, false),
            new Standing("selfahead", false, "own-pace", false, false, true),
            new Standing("selfbehind", false, "own-pace", false, false, false),
            new Standing("selfgone", false, "own-pace", true, false, true));

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.fresh();
        sql = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        CourseCatalog catalog = new CourseCatalog(Fixtures.coursesCopy(), ReloadGuard.acceptAll());
        catalog.reload().toCompletionStage().toCompletableFuture().get();
        course = catalog.course("demo").orElseThrow();
        try (Statement st = sql.createStatement()) {
            for (Standing s : STANDINGS) {
                st.execute("INSERT INTO account (email, name, created_at) VALUES ('" + s.email() + "', '" + s.name() + "', now())");
            }
        }
        for (Standing s : STANDINGS) {
            long id = id(s);
            if (s.cohort() != null) {
                exec("INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at, left_at) "
                        + "VALUES ('demo', ?, ?, now(), now(), " + (s.left() ? "now()" : "NULL") + ")", s.cohort(), id);
            }
            if (s.silenced()) {
                exec("INSERT INTO silence (course_id, cohort_id, account_id, silenced_by, created_at) VALUES ('demo', ?, ?, ?, now())",
                        s.cohort(), id, id);
            }
            if (s.releasedForThem()) {
                exec("INSERT INTO module_release (course_id, cohort_id, module_id, participant_id, opens_at, released_at) "
                        + "VALUES ('demo', ?, 'week-2', ?, now(), now())", s.cohort(), id);
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        sql.close();
    }

    private static void exec(String statement, Object... args) throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.execute();
        }
    }

    private static long id(Standing s) throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement("SELECT id FROM account WHERE email = ?")) {
            ps.setString(1, s.email());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The Java side: the standing as {@link CohortService#access} builds it, for the thread's cohort. */
    private static CohortAccess access(Standing s, String cohortId, long accountId) {
        Viewer viewer = new Viewer(new Account(accountId, s.email(), s.name(), null), "csrf", false);
        boolean enrolledHere = cohortId.equals(s.cohort()) && !s.left();
        Optional<Enrolled> enrolment = enrolledHere
                ? Optional.of(new Enrolled("demo", cohortId, accountId, Instant.now(), s.silenced())) : Optional.empty();
        CohortRef ref = new CohortRef(course, course.definition().cohort(cohortId).orElseThrow(), false);
        return new CohortAccess(viewer, ref, s.facilitator(), enrolment);
    }

    private static boolean sqlSees(String predicate, long accountId, String cohortId, boolean openForCohort) throws SQLException {
        String query = "SELECT " + predicate + " FROM account a, (SELECT 'demo'::text AS course_id, ?::text AS cohort_id, "
                + "'week-2'::text AS module_id) t WHERE a.id = ?";
        try (PreparedStatement ps = sql.prepareStatement(query)) {
            // Parameters in textual order: the open flag (inside the predicate), the cohort, the account.
            int i = 1;
            if (predicate.contains("?::boolean")) ps.setBoolean(i++, openForCohort);
            ps.setString(i++, cohortId);
            ps.setLong(i, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBoolean(1);
            }
        }
    }

    @Test
    void mayBeNotifiedAgreesWithTheRuleForEveryStandingAndModuleState() throws SQLException {
        int cells = 0;
        String predicate = ThreadRules.mayBeNotifiedSql("ARRAY['fac@example.org']", "?::boolean");
        for (Standing s : STANDINGS) {
            long accountId = id(s);
            for (String cohortId : List.of("spring", "own-pace")) {
                boolean selfPaced = course.definition().cohort(cohortId).orElseThrow().selfPaced();
                for (boolean open : List.of(true, false)) {
                    // Self-paced: "open" is per person, and the release job has recorded it (or not) for them.
                    boolean openForThem = selfPaced ? s.releasedForThem() : open;
                    ModuleView module = new ModuleView("week-2", "Week two", openForThem, Instant.now(), false, "/x");
                    boolean java = THREADS.mayBeNotified(access(s, cohortId, accountId), module);
                    boolean inSql = sqlSees(predicate, accountId, cohortId, !selfPaced && open);
                    assertEquals(java, inSql, s + " in " + cohortId + ", module open=" + open);
                    cells++;
                }
            }
        }
        System.out.println("rules' SQL twin: " + cells + " standings × module states agree");
    }

    @Test
    void mayStillBeNotifiedIsMembership() throws SQLException {
        String predicate = ThreadRules.mayStillBeNotifiedSql("ARRAY['fac@example.org']");
        for (Standing s : STANDINGS) {
            long accountId = id(s);
            for (String cohortId : List.of("spring", "own-pace", "small")) {
                boolean java = RULES.readModules(access(s, cohortId, accountId)).allowed();
                assertEquals(java, sqlSees(predicate, accountId, cohortId, false), s + " in " + cohortId);
            }
        }
    }

    /**
     * Reply first: {@link ThreadRules#seesOthersAnswersSql} (search, person pages, mails, digests) agrees with
     * {@link ThreadRules#seeAnswer} (pages, API, live events) for every standing, reply-first on and off, answered
     * or not, and whose post it is (a peer's, one's own, the course's prompt).
     */
    @Test
    void seesOthersAnswersAgreesWithTheRuleForEveryStanding() throws SQLException {
        long peer = insertAccount("peer-twin@example.org");
        long fresh = insertThread();
        long answered = insertThread();
        exec("INSERT INTO post (thread_id, number, author_id, body, created_at) VALUES (?, 1, NULL, 'prompt', now())", fresh);
        exec("INSERT INTO post (thread_id, number, author_id, body, created_at) VALUES (?, 1, NULL, 'prompt', now())", answered);
        int n = 2;
        for (Standing s : STANDINGS) {
            exec("INSERT INTO post (thread_id, number, author_id, body, created_at) VALUES (?, ?, ?, 'mine', now())", answered, n++, id(s));
        }
        int cells = 0;
        for (Standing s : STANDINGS) {
            long accountId = id(s);
            CohortAccess access = access(s, "spring", accountId);
            for (boolean replyFirst : List.of(true, false)) {
                String predicate = ThreadRules.seesOthersAnswersSql(String.valueOf(replyFirst), "ARRAY['fac@example.org']");
                for (long thread : List.of(fresh, answered)) {
                    boolean hasAnswered = thread == answered;
                    for (Long author : java.util.Arrays.asList(peer, accountId, null)) {
                        for (int number : List.of(1, 500)) {
                            boolean java = THREADS.seeAnswer(access, replyFirst, hasAnswered, author, number);
                            String query = "SELECT " + predicate + " FROM account a, (SELECT ?::bigint AS id) t, "
                                    + "(SELECT ?::int AS number, ?::bigint AS author_id) p WHERE a.id = ?";
                            try (PreparedStatement ps = sql.prepareStatement(query)) {
                                ps.setLong(1, thread);
                                ps.setInt(2, number);
                                ps.setObject(3, author);
                                ps.setLong(4, accountId);
                                try (ResultSet rs = ps.executeQuery()) {
                                    assertTrue(rs.next());
                                    assertEquals(java, rs.getBoolean(1), s + " replyFirst=" + replyFirst + " answered=" + hasAnswered + " author=" + author);
                                }
                            }
                            cells++;
                        }
                    }
                }
            }
        }
        assertEquals(STANDINGS.size() * 24, cells);
    }

    @Test
    void replyFirstSqlFindsTheCoursesReplyFirstPrompts() throws SQLException {
        String query = "SELECT " + ThreadRules.replyFirstSql("?::text[]") + " FROM (SELECT 'demo'::text AS course_id, 'week-1'::text AS module_id, "
                + "?::int AS prompt_index) t";
        for (Integer index : java.util.Arrays.asList(0, 1, null)) {
            try (PreparedStatement ps = sql.prepareStatement(query)) {
                ps.setArray(1, sql.createArrayOf("text", new String[] {"demo/week-1#1"}));
                ps.setObject(2, index);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(Integer.valueOf(1).equals(index), rs.getBoolean(1), "prompt " + index);
                }
            }
        }
    }

    private static long insertAccount(String email) throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement("INSERT INTO account (email, name, created_at) VALUES (?, 'peer', now()) RETURNING id")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long insertThread() throws SQLException {
        try (PreparedStatement ps = sql.prepareStatement("INSERT INTO thread (course_id, cohort_id, module_id, title, prompt_index, post_count, "
                + "created_at, last_posted_at) VALUES ('demo', 'spring', 'week-2', 'Twin', (SELECT count(*) FROM thread), 0, now(), now()) RETURNING id")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void newsMailAgreesWithTheMailRule() throws SQLException {
        for (String mode : List.of("immediate", "daily", "weekly", "off")) {
            exec("UPDATE account SET notify_mode = ? WHERE email = 'member@example.org'", mode);
            try (PreparedStatement ps = sql.prepareStatement("SELECT " + MailRules.NEWS_SQL + " FROM account a WHERE a.email = 'member@example.org'");
                 ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(MailRules.mailNow(MailRules.Kind.NEWS, mode), rs.getBoolean(1), mode);
            }
        }
        List<Boolean> transactional = new ArrayList<>();
        for (String mode : List.of("immediate", "daily", "weekly", "off")) transactional.add(MailRules.mailNow(MailRules.Kind.TRANSACTIONAL, mode));
        assertEquals(List.of(true, true, true, true), transactional, "sign-in links and tickets always go out");
    }
}
