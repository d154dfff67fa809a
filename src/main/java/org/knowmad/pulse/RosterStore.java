package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowmad.db.Rows;
import org.knowmad.review.ReviewDemand;

/**
 * The cohort roster in one statement: every participant enrolled now with their numbers, aggregated per table
 * once for the whole cohort (no query per person), then filtered, sorted and paged in the database.
 */
public final class RosterStore {

    /**
     * {@code $1} course, {@code $2} cohort, {@code $3} now, {@code $4} this week's Monday (course zone), {@code $5}
     * the "not seen since" cut-off (never seen: counted from joining). Each aggregate reads its table once for the
     * whole cohort: this week's activity through the primary key's (course, cohort, day) range; "last seen" is one
     * backward probe per person in {@code activity_day_last_seen} (V020), which stays as cheap when the term grows.
     * "Replies" are posts in a thread someone else started (as {@code activity_day} counts them; a course's prompt
     * thread has no author, so every post in it is a reply); helpful is the helpful marks on their posts.
     */
    private static final String ROSTER = """
            WITH people AS (
                SELECT e.account_id, e.joined_at, a.name, a.email, a.notify_mode, a.language
                FROM enrolment e JOIN account a ON a.id = e.account_id
                WHERE e.course_id = $1 AND e.cohort_id = $2 AND e.left_at IS NULL
            ), this_week AS (
                SELECT d.account_id, count(DISTINCT d.day) AS days_week
                FROM activity_day d WHERE d.course_id = $1 AND d.cohort_id = $2 AND d.day >= $4
                GROUP BY d.account_id
            ), posted AS (
                SELECT p.author_id AS account_id, count(*) AS posts,
                       count(*) FILTER (WHERE t.author_id IS DISTINCT FROM p.author_id) AS replies,
                       sum(p.helpful_count) AS helpful
                FROM thread t JOIN post p ON p.thread_id = t.id
                WHERE t.course_id = $1 AND t.cohort_id = $2 AND p.deleted_at IS NULL AND p.author_id IS NOT NULL
                GROUP BY p.author_id
            ), reviewed AS (
                SELECT s.author_id AS account_id, count(*) FILTER (WHERE s.submitted_at IS NOT NULL) AS submissions,
                       sum(s.reviews_given) AS reviews_done, sum(""" + ReviewDemand.owedSql("s", "$3") + """
            ) AS reviews_owed
                FROM submission s WHERE s.course_id = $1 AND s.cohort_id = $2
                GROUP BY s.author_id
            ), seen AS (
                SELECT p.*, (SELECT max(d.last_at) FROM activity_day d
                             WHERE d.course_id = $1 AND d.cohort_id = $2 AND d.account_id = p.account_id) AS last_seen
                FROM people p
            ), roster AS (
                SELECT p.account_id, p.joined_at, p.name, p.email, p.notify_mode, p.language, p.last_seen,
                       coalesce(w.days_week, 0) AS days_week, coalesce(po.posts, 0) AS posts, coalesce(po.replies, 0) AS replies,
                       coalesce(po.helpful, 0) AS helpful, coalesce(rv.submissions, 0) AS submissions,
                       coalesce(rv.reviews_done, 0) AS reviews_done, coalesce(rv.reviews_owed, 0) AS reviews_owed,
                       coalesce(p.last_seen, p.joined_at) < $5 AS unseen
                FROM seen p
                LEFT JOIN this_week w ON w.account_id = p.account_id
                LEFT JOIN posted po ON po.account_id = p.account_id
                LEFT JOIN reviewed rv ON rv.account_id = p.account_id
            )
            SELECT r.*, count(*) OVER () AS total FROM roster r
            """;

    /** One participant's line. {@code lastSeen} is null for someone never seen in the cohort; {@code language} their own choice or null. */
    public record Person(long accountId, String name, String email, String notifyMode, String language, Instant joinedAt, Instant lastSeen,
                         int daysActiveThisWeek, int posts, int replies, int helpfulReceived, int submissions, int reviewsDone,
                         int reviewsOwed) {

        static Person from(Row r) {
            return new Person(r.getLong("account_id"), r.getString("name"), r.getString("email"), r.getString("notify_mode"),
                    r.getString("language"), Rows.instant(r, "joined_at"), Rows.instant(r, "last_seen"), r.getLong("days_week").intValue(),
                    r.getLong("posts").intValue(), r.getLong("replies").intValue(), r.getLong("helpful").intValue(),
                    r.getLong("submissions").intValue(), r.getLong("reviews_done").intValue(), r.getLong("reviews_owed").intValue());
        }
    }

    /** One page of the roster and how many rows the filter matched in all. */
    public record Page(List<Person> people, long total) {
    }

    /** The moments the roster's conditions are measured against. */
    public record At(Instant now, LocalDate weekStart, Instant unseenSince) {
    }

    public Future<Page> page(SqlClient db, String courseId, String cohortId, At at, RosterQuery q) {
        String sql = ROSTER + where(q.filter()) + q.sort().orderBy(q.descending())
                + (q.pageSize() == RosterQuery.ALL ? "" : " LIMIT " + q.pageSize() + " OFFSET " + q.offset());
        return db.preparedQuery(sql).execute(params(courseId, cohortId, at)).map(rows -> {
            List<Person> people = new ArrayList<>(rows.size());
            long total = 0;
            for (Row r : rows) {
                people.add(Person.from(r));
                total = r.getLong("total");
            }
            if (people.isEmpty() && q.offset() > 0) total = -1; // past the end: the caller counts again if it must
            return new Page(people, total);
        });
    }

    /** Everyone a roster filter matches (everyone, without one): the recipients of an announcement or a nudge. */
    public Future<List<Person>> audience(SqlClient db, String courseId, String cohortId, At at, Optional<RosterFilter> filter) {
        return db.preparedQuery(ROSTER + where(filter) + " ORDER BY r.account_id").execute(params(courseId, cohortId, at))
                .map(rows -> {
                    List<Person> people = new ArrayList<>(rows.size());
                    for (Row r : rows) people.add(Person.from(r));
                    return people;
                });
    }

    private static String where(Optional<RosterFilter> filter) {
        return filter.map(f -> "WHERE " + f.sql + " ").orElse("");
    }

    private static Tuple params(String courseId, String cohortId, At at) {
        return Tuple.of(courseId, cohortId, Rows.at(at.now()), at.weekStart(), Rows.at(at.unseenSince()));
    }
}
