package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
     * the "not seen since" cut-off (never seen: counted from joining). "Last seen" and the days active this week are
     * the enrolment's own {@code last_seen_at} (V037) and {@code active_days} of {@code active_week} (V038), kept from
     * activity_day by the database: every order and filter of the roster reads columns, never the activity itself
     * (counting this week's days for all 50,000 took 170-330 ms of a page). Reviews are one pass over the cohort's
     * submissions. Posts, replies and helpful marks are each person's row of {@code post_tally} (V035, kept by a
     * trigger on post; what counts is written there): counting the cohort's posts on every view took 0.6 s of 0.9 s
     * with 500,000.
     */
    private static final String ROSTER = """
            WITH people AS (
                SELECT r.* FROM (
                    SELECT e.account_id, e.joined_at, e.last_seen_at AS last_seen, a.name, a.email, a.notify_mode, a.language,
                           (CASE WHEN e.active_week = $4 THEN e.active_days ELSE 0 END)::bigint AS days_week
                    FROM enrolment e JOIN account a ON a.id = e.account_id
                    WHERE e.course_id = $1 AND e.cohort_id = $2 AND e.left_at IS NULL
                ) r%1$s
            ), reviewed AS (
                SELECT s.author_id AS account_id, count(*) FILTER (WHERE s.submitted_at IS NOT NULL) AS submissions,
                       sum(s.reviews_given) AS reviews_done, sum(""" + ReviewDemand.owedSql("s", "$3") + """
            ) AS reviews_owed
                FROM submission s WHERE s.course_id = $1 AND s.cohort_id = $2%2$s
                GROUP BY s.author_id
            ), roster AS (
                SELECT p.account_id, p.joined_at, p.name, p.email, p.notify_mode, p.language, p.last_seen,
                       p.days_week, coalesce(po.posts, 0) AS posts, coalesce(po.replies, 0) AS replies,
                       coalesce(po.helpful, 0) AS helpful, coalesce(rv.submissions, 0) AS submissions,
                       coalesce(rv.reviews_done, 0) AS reviews_done, coalesce(rv.reviews_owed, 0) AS reviews_owed,
                       coalesce(p.last_seen, p.joined_at) < $5 AS unseen
                FROM people p
                LEFT JOIN post_tally po ON po.course_id = $1 AND po.cohort_id = $2 AND po.account_id = p.account_id
                LEFT JOIN reviewed rv ON rv.account_id = p.account_id
            )
            """;

    /** Every participant's row. */
    private static final String ALL_ROWS = ROSTER.formatted("", "");

    /**
     * How many rows the filter matches, as a query of its own: a window count over the page query kept all 50,000
     * rows in a spilled tuple store (70 ms of 220); here, without a filter, the planner drops the joins nothing reads
     * and counts enrolments.
     */
    private static final String COUNT = ALL_ROWS + "SELECT count(*) AS total FROM roster r ";

    /**
     * The rows of one page when the order is the people's own (name, e-mail, joined) and nothing filters: the page's
     * people are chosen first and only their numbers are read (45 ms instead of 185 for a page of 100 among 50,000).
     */
    private static String pageFirst(String orderBy, int pageSize, long offset) {
        return ROSTER.formatted(" " + orderBy + " LIMIT " + pageSize + " OFFSET " + offset,
                " AND s.author_id IN (SELECT account_id FROM people)")
                + "SELECT r.* FROM roster r " + orderBy;
    }

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
        String orderBy = q.sort().orderBy(q.descending());
        boolean all = q.pageSize() == RosterQuery.ALL;
        String rows = q.filter().isEmpty() && q.sort().personal && !all ? pageFirst(orderBy, q.pageSize(), q.offset())
                : ALL_ROWS + "SELECT r.* FROM roster r " + where(q.filter()) + orderBy
                        + (all ? "" : " LIMIT " + q.pageSize() + " OFFSET " + q.offset());
        Future<List<Person>> people = db.preparedQuery(rows).execute(params(courseId, cohortId, at)).map(RosterStore::people);
        return people.compose(list -> {
            // A first page that is not full holds every match. Otherwise count, after the page rather than beside it:
            // on the pipelined pool the two would run one after the other on one connection anyway.
            if (all || (q.offset() == 0 && list.size() < q.pageSize())) return Future.succeededFuture(new Page(list, list.size()));
            return db.preparedQuery(COUNT + where(q.filter())).execute(params(courseId, cohortId, at))
                    .map(r -> new Page(list, r.iterator().next().getLong("total")));
        });
    }

    /** Everyone a roster filter matches (everyone, without one): the recipients of an announcement or a nudge. */
    public Future<List<Person>> audience(SqlClient db, String courseId, String cohortId, At at, Optional<RosterFilter> filter) {
        return db.preparedQuery(ALL_ROWS + "SELECT r.* FROM roster r " + where(filter) + " ORDER BY r.account_id").execute(params(courseId, cohortId, at))
                .map(RosterStore::people);
    }

    private static List<Person> people(RowSet<Row> rows) {
        List<Person> people = new ArrayList<>(rows.size());
        for (Row r : rows) people.add(Person.from(r));
        return people;
    }

    private static String where(Optional<RosterFilter> filter) {
        return filter.map(f -> "WHERE " + f.sql + " ").orElse("");
    }

    private static Tuple params(String courseId, String cohortId, At at) {
        return Tuple.of(courseId, cohortId, Rows.at(at.now()), at.weekStart(), Rows.at(at.unseenSince()));
    }
}
