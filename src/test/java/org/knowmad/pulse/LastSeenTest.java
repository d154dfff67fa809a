package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * {@code enrolment.last_seen_at} (V037) against the latest activity day, and {@code active_week}/{@code active_days}
 * (V038) against the distinct days of the person's latest week with activity, after seeded random upserts of the
 * shape the recorder's flush makes (several rows per statement, new rows and additions to existing ones, several
 * cohorts, modules and days over three weeks, days and moments earlier than what is kept). Property-style: 5 seeds of
 * 150 statements, each checked.
 */
class LastSeenTest {

    private static final String LATEST = """
            SELECT e.cohort_id || '/' || e.account_id,
                   coalesce(max(d.last_at)::text, '-') || ' ' || coalesce(max(date_trunc('week', d.day))::date::text, '-') || ' '
                   || count(DISTINCT d.day) FILTER (WHERE d.day >= (SELECT date_trunc('week', max(x.day))::date FROM activity_day x
                          WHERE x.course_id = e.course_id AND x.cohort_id = e.cohort_id AND x.account_id = e.account_id))
            FROM enrolment e LEFT JOIN activity_day d ON d.course_id = e.course_id AND d.cohort_id = e.cohort_id AND d.account_id = e.account_id
            GROUP BY e.course_id, e.cohort_id, e.account_id""";
    private static final String KEPT = """
            SELECT cohort_id || '/' || account_id,
                   coalesce(last_seen_at::text, '-') || ' ' || coalesce(active_week::text, '-') || ' ' || active_days
            FROM enrolment""";

    private static Connection db;
    private static final List<Long> accounts = new ArrayList<>();

    @BeforeAll
    static void setUp() throws SQLException {
        DatabaseTarget target = TestDatabase.fresh();
        db = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
        try (Statement st = db.createStatement()) {
            for (int i = 0; i < 6; i++) {
                try (ResultSet rs = st.executeQuery("INSERT INTO account (email, created_at) VALUES ('s" + i + "@example.org', now()) RETURNING id")) {
                    rs.next();
                    accounts.add(rs.getLong(1));
                }
                for (String cohort : List.of("spring", "autumn")) {
                    st.executeUpdate("INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at) VALUES ('demo', '"
                            + cohort + "', " + accounts.get(i) + ", now(), now())");
                }
            }
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        db.close();
    }

    @Test
    void lastSeenAndTheLatestWeeksDaysAfterEveryFlush() throws SQLException {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            for (int step = 0; step < 150; step++) {
                StringBuilder rows = new StringBuilder();
                java.util.Set<String> keys = new java.util.HashSet<>();
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    String cohort = random.nextBoolean() ? "spring" : "autumn";
                    long account = accounts.get(random.nextInt(accounts.size()));
                    // 2030-03-04 is a Monday: days from the week before it to the one after, in any order
                    String day = java.time.LocalDate.of(2030, 3, 1).plusDays(random.nextInt(17)).toString();
                    String module = random.nextBoolean() ? "week-1" : "";
                    if (!keys.add(cohort + account + day + module)) continue; // a flush never repeats a key
                    if (!rows.isEmpty()) rows.append(", ");
                    rows.append("('demo', '").append(cohort).append("', ").append(account).append(", date '").append(day).append("', '")
                            .append(module).append("', 1, timestamptz '").append(day).append(" 08:00Z' + interval '1 minute' * ")
                            .append(random.nextInt(600)).append(")");
                }
                String sql = "INSERT INTO activity_day AS a (course_id, cohort_id, account_id, day, module_id, reads, last_at) VALUES " + rows
                        + " ON CONFLICT (course_id, cohort_id, day, account_id, module_id) DO UPDATE"
                        + " SET reads = a.reads + 1, last_at = greatest(a.last_at, EXCLUDED.last_at)";
                try (Statement st = db.createStatement()) {
                    st.executeUpdate(sql);
                }
                assertEquals(read(LATEST), read(KEPT), "seed " + seed + ", step " + step + ": " + sql);
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
}
