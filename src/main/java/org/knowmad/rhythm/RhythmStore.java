package org.knowmad.rhythm;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowmad.notify.MailRules;

/** The only class with SQL for sharing rhythms: goals, the posts that meet them, and the reminders sent. */
final class RhythmStore {

    private static final String GOAL = "SELECT period_days, set_at FROM sharing_goal WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3";

    private static final String SET_GOAL = """
            INSERT INTO sharing_goal (course_id, cohort_id, account_id, period_days, set_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (course_id, cohort_id, account_id) DO UPDATE SET period_days = EXCLUDED.period_days, set_at = EXCLUDED.set_at""";

    private static final String CLEAR_GOAL = "DELETE FROM sharing_goal WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3";

    /** One's own posts in the cohort since the goal was set (post_author_recent finds them). */
    private static final String POSTS_SINCE = """
            SELECT p.created_at FROM post p JOIN thread t ON t.id = p.thread_id
            WHERE p.author_id = $3 AND p.created_at >= $4 AND p.deleted_at IS NULL AND t.course_id = $1 AND t.cohort_id = $2
            ORDER BY p.created_at""";

    /**
     * Goals whose last complete period passed without a post and without a reminder, of people still enrolled who
     * let news mail through ({@link MailRules#NEWS_SQL}): each with the start of that period.
     */
    private static final String DUE = """
            WITH g AS (
                SELECT g.*, floor(extract(epoch FROM ($1::timestamptz - g.set_at)) / (g.period_days * 86400))::int AS current_period
                FROM sharing_goal g)
            SELECT g.course_id, g.cohort_id, g.account_id, g.period_days, a.email, a.language,
                   g.set_at + make_interval(secs => g.period_days * 86400 * (g.current_period - 1)) AS period_start
            FROM g
            JOIN account a ON a.id = g.account_id
            JOIN enrolment e ON (e.course_id, e.cohort_id, e.account_id) = (g.course_id, g.cohort_id, g.account_id) AND e.left_at IS NULL
            WHERE g.current_period >= 1 AND %s
              AND NOT EXISTS (SELECT 1 FROM sharing_reminder r
                              WHERE (r.course_id, r.cohort_id, r.account_id) = (g.course_id, g.cohort_id, g.account_id)
                                AND r.period_start = g.set_at + make_interval(secs => g.period_days * 86400 * (g.current_period - 1)))
              AND NOT EXISTS (SELECT 1 FROM post p JOIN thread t ON t.id = p.thread_id
                              WHERE p.author_id = g.account_id AND p.deleted_at IS NULL
                                AND t.course_id = g.course_id AND t.cohort_id = g.cohort_id
                                AND p.created_at >= g.set_at + make_interval(secs => g.period_days * 86400 * (g.current_period - 1))
                                AND p.created_at < g.set_at + make_interval(secs => g.period_days * 86400 * g.current_period))
            ORDER BY g.account_id""".formatted(MailRules.NEWS_SQL);

    /** Records many reminders in one statement; answers those this node recorded (another node may have been first). */
    private static final String CLAIM = """
            INSERT INTO sharing_reminder (course_id, cohort_id, account_id, period_start, sent_at)
            SELECT c, k, a, p, $5 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS t(c, k, a, p)
            ON CONFLICT DO NOTHING
            RETURNING course_id, cohort_id, account_id, period_start""";

    record Due(String courseId, String cohortId, long accountId, int periodDays, String email, String language, Instant periodStart) {
    }

    Future<Optional<Rhythm>> goal(SqlClient db, String course, String cohort, long account) {
        return db.preparedQuery(GOAL).execute(Tuple.of(course, cohort, account)).map(rows -> {
            if (rows.size() == 0) return Optional.empty();
            Row r = rows.iterator().next();
            return Optional.of(new Rhythm(r.getOffsetDateTime("set_at").toInstant(), r.getInteger("period_days")));
        });
    }

    Future<Void> setGoal(SqlClient db, String course, String cohort, long account, int periodDays, Instant now) {
        return db.preparedQuery(SET_GOAL).execute(Tuple.of(course, cohort, account, periodDays, utc(now))).mapEmpty();
    }

    Future<Void> clearGoal(SqlClient db, String course, String cohort, long account) {
        return db.preparedQuery(CLEAR_GOAL).execute(Tuple.of(course, cohort, account)).mapEmpty();
    }

    Future<List<Instant>> postsSince(SqlClient db, String course, String cohort, long account, Instant since) {
        return db.preparedQuery(POSTS_SINCE).execute(Tuple.of(course, cohort, account, utc(since))).map(rows -> {
            List<Instant> list = new ArrayList<>();
            for (Row r : rows) list.add(r.getOffsetDateTime(0).toInstant());
            return list;
        });
    }

    Future<List<Due>> due(SqlClient db, Instant now) {
        return db.preparedQuery(DUE).execute(Tuple.of(utc(now))).map(rows -> {
            List<Due> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Due(r.getString("course_id"), r.getString("cohort_id"), r.getLong("account_id"), r.getInteger("period_days"),
                        r.getString("email"), r.getString("language"), r.getOffsetDateTime("period_start").toInstant()));
            }
            return list;
        });
    }

    /** Records the reminders; answers the ones this node recorded (the others were another node's to send). */
    Future<List<Due>> claim(SqlClient tx, List<Due> due, Instant now) {
        Tuple args = Tuple.tuple()
                .addValue(due.stream().map(Due::courseId).toArray(String[]::new))
                .addValue(due.stream().map(Due::cohortId).toArray(String[]::new))
                .addValue(due.stream().map(Due::accountId).toArray(Long[]::new))
                .addValue(due.stream().map(d -> utc(d.periodStart())).toArray(OffsetDateTime[]::new))
                .addValue(utc(now));
        return tx.preparedQuery(CLAIM).execute(args).map(rows -> {
            java.util.Set<String> claimed = new java.util.HashSet<>();
            for (Row r : rows) {
                claimed.add(r.getString(0) + "/" + r.getString(1) + "/" + r.getLong(2) + "/" + r.getOffsetDateTime(3).toInstant());
            }
            return due.stream().filter(d -> claimed.contains(d.courseId() + "/" + d.cohortId() + "/" + d.accountId() + "/" + d.periodStart())).toList();
        });
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
