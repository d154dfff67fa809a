package org.knowmad.pulse;

import static org.knowmad.db.Rows.at;
import static org.knowmad.db.Rows.instant;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The only class with the pulse's SQL: reads of {@code activity_day}, {@code presence_minute} and the discussion,
 * nomination and review tables of one cohort. Each method is one statement, so the service runs them side by side
 * (one round trip's wait for the page): on the pipelined read pool, except the participation count, which is long for
 * a large cohort and goes on the ordinary pool (see {@link PulseService}).
 */
public final class PulseStore {

    /** Where a cohort is read: course, cohort, and the course's time zone (for local days). */
    public record Scope(String courseId, String cohortId, String zone) {
    }

    /** One period (a week, or week 0: the whole course so far) of the participation query. */
    public record PeriodRow(int week, long completed, Funnel funnel, ParticipationShape shape, long drifted) {
    }

    /**
     * Participants (enrolled, not facilitators) per module week and over the whole course so far, with what they
     * did. A person counts in a week when the week has begun, they had joined before it ended and had not left
     * before it began. The week of an activity day is {@code width_bucket(day - base, offsets)}, base being the
     * cohort's start day, or in a self-paced cohort the person's own join day. Days outside every week still count
     * for the whole course. Posts decide the participation shape with the thresholds passed in
     * ({@link ParticipationShape}); week 0's {@code drifted} counts those still enrolled not seen since $11.
     *
     * <p>One pass over the cohort's activity sums each person's days into bit sets (bit k: did it in week k, up to
     * {@value #MAX_WEEKS} weeks) and totals; only the few rows with posts are summed per person and week, because
     * the shape needs each week's posts. The weeks are then counted over enrolments × weeks, never over activity.
     */
    private static final String PARTICIPATION = """
            WITH p AS MATERIALIZED (
                SELECT e.account_id, e.joined_at, e.left_at, (e.joined_at AT TIME ZONE $3)::date AS joined_day,
                       (e.left_at AT TIME ZONE $3)::date AS left_day,
                       CASE WHEN $6 THEN (e.joined_at AT TIME ZONE $3)::date ELSE $7::date END AS base
                FROM enrolment e JOIN account a ON a.id = e.account_id
                WHERE e.course_id = $1 AND e.cohort_id = $2 AND lower(a.email) <> ALL($4::text[])
                  AND (e.joined_at AT TIME ZONE $3)::date <= $8::date
            ), d AS NOT MATERIALIZED (%s
            ), per AS (
                SELECT account_id,
                       bit_or(CASE WHEN wk BETWEEN 1 AND 62 THEN 1::bigint << wk ELSE 0 END) AS visited_in,
                       bit_or(CASE WHEN reads > 0 AND wk BETWEEN 1 AND 62 THEN 1::bigint << wk ELSE 0 END) AS read_in,
                       bit_or(CASE WHEN reactions > 0 AND wk BETWEEN 1 AND 62 THEN 1::bigint << wk ELSE 0 END) AS reacted_in,
                       bit_or(CASE WHEN reviews > 0 AND wk BETWEEN 1 AND 62 THEN 1::bigint << wk ELSE 0 END) AS reviewed_in,
                       sum(reads) AS reads, sum(reactions) AS reactions, sum(posts) AS posts, sum(reviews) AS reviews,
                       max(last_at) AS last_at
                FROM d GROUP BY account_id
            ), wp AS (
                SELECT account_id, wk, sum(posts) AS posts FROM d WHERE posts > 0 AND wk BETWEEN 1 AND 62 GROUP BY 1, 2
            ), pw AS (
                SELECT p.account_id, w.wk, CASE WHEN w.wk <= 62 THEN 1::bigint << w.wk ELSE 0 END AS bit, p.base + ($5::int[])[w.wk + 1] <= $8::date AS completed
                FROM p CROSS JOIN generate_series(1, cardinality($5::int[]) - 1) AS w(wk)
                WHERE p.base + ($5::int[])[w.wk] <= $8::date
                  AND p.joined_day < p.base + ($5::int[])[w.wk + 1]
                  AND (p.left_day IS NULL OR p.left_day >= p.base + ($5::int[])[w.wk])
            )
            SELECT pw.wk, count(*) AS enrolled, count(*) FILTER (WHERE pw.completed) AS completed,
                   count(*) FILTER (WHERE per.visited_in & pw.bit <> 0) AS visited,
                   count(*) FILTER (WHERE per.read_in & pw.bit <> 0) AS read,
                   count(*) FILTER (WHERE per.reacted_in & pw.bit <> 0) AS reacted,
                   count(wp.posts) AS posted,
                   count(*) FILTER (WHERE per.reviewed_in & pw.bit <> 0) AS reviewed,
                   count(*) FILTER (WHERE per.visited_in & pw.bit <> 0 AND COALESCE(wp.posts, 0) < $9) AS lurkers,
                   count(*) FILTER (WHERE wp.posts >= $9 AND wp.posts < $10) AS occasional,
                   count(*) FILTER (WHERE wp.posts >= $10) AS frequent, 0::bigint AS drifted
            FROM pw LEFT JOIN per ON per.account_id = pw.account_id
            LEFT JOIN wp ON wp.account_id = pw.account_id AND wp.wk = pw.wk
            GROUP BY pw.wk
            UNION ALL
            SELECT 0, count(*), 0, count(per.account_id), count(*) FILTER (WHERE per.reads > 0),
                   count(*) FILTER (WHERE per.reactions > 0), count(*) FILTER (WHERE per.posts > 0),
                   count(*) FILTER (WHERE per.reviews > 0), count(*) FILTER (WHERE per.posts < $9),
                   count(*) FILTER (WHERE per.posts >= $9 AND per.posts < $10), count(*) FILTER (WHERE per.posts >= $10),
                   count(*) FILTER (WHERE p.left_at IS NULL AND COALESCE(per.last_at, p.joined_at) < $11)
            FROM p LEFT JOIN per ON per.account_id = p.account_id
            ORDER BY 1""";

    /** Weeks kept in the bit sets of {@link #PARTICIPATION}; later weeks count for the whole course only. */
    public static final int MAX_WEEKS = 62;

    /** A fixed cohort: every person's weeks start on the cohort's start day ($7). */
    private static final String FACTS_FIXED = """

                SELECT d.account_id, width_bucket(d.day - $7::date, $5::int[]) AS wk, d.reads, d.reactions,
                       d.threads + d.replies AS posts, d.reviews, d.last_at
                FROM activity_day d
                WHERE d.course_id = $1 AND d.cohort_id = $2 AND d.day <= $8::date""";

    /** A self-paced cohort: each person's weeks start on their own join day. */
    private static final String FACTS_SELF_PACED = """

                SELECT d.account_id, width_bucket(d.day - p.base, $5::int[]) AS wk, d.reads, d.reactions,
                       d.threads + d.replies AS posts, d.reviews, d.last_at
                FROM activity_day d JOIN p ON p.account_id = d.account_id
                WHERE d.course_id = $1 AND d.cohort_id = $2 AND d.day <= $8::date""";

    private static final String PARTICIPATION_FIXED = PARTICIPATION.formatted(FACTS_FIXED);
    private static final String PARTICIPATION_SELF_PACED = PARTICIPATION.formatted(FACTS_SELF_PACED);

    public Future<List<PeriodRow>> participation(SqlClient db, Scope s, List<String> facilitators, int[] offsets, boolean selfPaced,
                                                 LocalDate start, LocalDate today, Instant unseenSince) {
        Integer[] days = new Integer[offsets.length];
        for (int i = 0; i < offsets.length; i++) days[i] = offsets[i];
        Tuple args = Tuple.tuple().addValue(s.courseId()).addValue(s.cohortId()).addValue(s.zone())
                .addArrayOfString(facilitators.stream().map(String::toLowerCase).toArray(String[]::new))
                .addArrayOfInteger(days).addValue(selfPaced).addValue(start == null ? today : start).addValue(today)
                .addValue(ParticipationShape.OCCASIONAL_FROM).addValue(ParticipationShape.FREQUENT_FROM).addValue(at(unseenSince));
        return db.preparedQuery(selfPaced ? PARTICIPATION_SELF_PACED : PARTICIPATION_FIXED).execute(args).map(rows -> {
            List<PeriodRow> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new PeriodRow(r.getInteger("wk"), r.getLong("completed"),
                        new Funnel(r.getLong("enrolled"), r.getLong("visited"), r.getLong("read"), r.getLong("reacted"),
                                r.getLong("posted"), r.getLong("reviewed")),
                        new ParticipationShape(r.getLong("lurkers"), r.getLong("occasional"), r.getLong("frequent")),
                        r.getLong("drifted")));
            }
            return list;
        });
    }

    /** Cohorts with at least $1 participants enrolled now, largest first (the enrolment primary key's prefix). */
    private static final String LARGE_COHORTS = """
            SELECT course_id, cohort_id FROM enrolment WHERE left_at IS NULL
            GROUP BY course_id, cohort_id HAVING count(*) >= $1 ORDER BY count(*) DESC""";

    /** Stops counting at the threshold: a large cohort reads as many index entries as the threshold, no more. */
    private static final String IS_LARGE = """
            SELECT count(*) >= $3 FROM (
                SELECT 1 FROM enrolment WHERE course_id = $1 AND cohort_id = $2 AND left_at IS NULL LIMIT $3
            ) e""";

    /** Whether the cohort has at least {@code atLeast} participants. */
    public Future<Boolean> isLarge(SqlClient db, Scope s, int atLeast) {
        return db.preparedQuery(IS_LARGE).execute(Tuple.of(s.courseId(), s.cohortId(), atLeast))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Each as {course, cohort}. */
    public Future<List<String[]>> largeCohorts(SqlClient db, int atLeast) {
        return db.preparedQuery(LARGE_COHORTS).execute(Tuple.of(atLeast)).map(rows -> {
            List<String[]> list = new ArrayList<>();
            for (Row r : rows) list.add(new String[] {r.getString(0), r.getString(1)});
            return list;
        });
    }

    /** The most people online at once on one local day, and the first minute it was reached. */
    public record DayPeak(LocalDate day, Instant at, long online) {
    }

    /** Per minute the sum over nodes; per local day its highest minute (the earliest among equals). Reads the PK in minute order. */
    private static final String PEAKS = """
            SELECT DISTINCT ON (day) day, minute, online FROM (
                SELECT (minute AT TIME ZONE $3)::date AS day, minute, sum(people) AS online
                FROM presence_minute WHERE course_id = $1 AND cohort_id = $2 AND minute >= $4
                GROUP BY minute
            ) m
            ORDER BY day, online DESC, minute""";

    /** Per local day from the instant {@code from} on. */
    public Future<List<DayPeak>> peaks(SqlClient db, Scope s, Instant from) {
        return db.preparedQuery(PEAKS).execute(Tuple.of(s.courseId(), s.cohortId(), s.zone(), at(from))).map(rows -> {
            List<DayPeak> list = new ArrayList<>();
            for (Row r : rows) list.add(new DayPeak(r.getLocalDate("day"), instant(r, "minute"), r.getLong("online")));
            return list;
        });
    }

    /** Threads, those nobody but their author answered, and each answered thread's wait for its first reply (seconds). */
    public record Replies(long threads, long unanswered, long[] delaysSeconds) {
    }

    /**
     * A reply is a post after the opening one, not deleted, by someone other than the thread's author. Each thread's
     * first one is kept on it ({@code thread.first_reply_at}, V042): looked up per thread on each view, 10,000 threads
     * of the 50,000-participant cohort of {@code src/bench/scale.sh} cost 60-80 ms of the pulse.
     */
    private static final String REPLIES = """
            SELECT count(*) AS threads, count(*) FILTER (WHERE t.first_reply_at IS NULL) AS unanswered,
                   COALESCE(array_agg(GREATEST(0, extract(epoch FROM t.first_reply_at - t.created_at))::bigint)
                            FILTER (WHERE t.first_reply_at IS NOT NULL), '{}') AS delays
            FROM thread t
            WHERE t.course_id = $1 AND t.cohort_id = $2""";

    /** How the course's principles are taken up in a cohort (issue 12): counts only, no names. */
    public record Principles(long proposals, long voters, int guidelinesVersion, long acceptedVersion, long enrolled,
                             long rhythmGoals, long inCircles, long workInProgress, long helpRequests) {
    }

    /*
     * The cohort's participants are counted in the enrolment index (V041), facilitators taken away by their few ids:
     * read as one set joined to every account, 50,000 participants cost ~100 ms here against ~5 ms now.
     */
    private static final String PRINCIPLES = """
            WITH v AS (SELECT version, adopted_at FROM guideline_version WHERE course_id = $1 AND cohort_id = $2
                       ORDER BY version DESC LIMIT 1),
                 staff AS (SELECT a.id FROM account a WHERE lower(a.email) = ANY ($3::text[])),
                 marks AS (SELECT p.mark FROM post p JOIN thread t ON t.id = p.thread_id
                           WHERE t.course_id = $1 AND t.cohort_id = $2 AND p.mark IS NOT NULL AND p.deleted_at IS NULL)
            SELECT (SELECT count(*) FROM guideline_proposal WHERE course_id = $1 AND cohort_id = $2 AND withdrawn_at IS NULL) AS proposals,
                   (SELECT count(DISTINCT gv.account_id) FROM guideline_vote gv JOIN guideline_proposal gp ON gp.id = gv.proposal_id
                    WHERE gp.course_id = $1 AND gp.cohort_id = $2) AS voters,
                   coalesce((SELECT version FROM v), 0) AS version,
                   (SELECT count(*) FROM enrolment en WHERE en.course_id = $1 AND en.cohort_id = $2 AND en.left_at IS NULL
                      AND en.guidelines_accepted_at >= (SELECT adopted_at FROM v) AND en.account_id NOT IN (SELECT id FROM staff)) AS accepted,
                   (SELECT count(*) FROM enrolment en WHERE en.course_id = $1 AND en.cohort_id = $2 AND en.left_at IS NULL)
                     - (SELECT count(*) FROM enrolment en WHERE en.course_id = $1 AND en.cohort_id = $2 AND en.left_at IS NULL
                          AND en.account_id IN (SELECT id FROM staff)) AS enrolled,
                   (SELECT count(*) FROM sharing_goal g
                    JOIN enrolment en ON (en.course_id, en.cohort_id, en.account_id) = (g.course_id, g.cohort_id, g.account_id)
                    WHERE g.course_id = $1 AND g.cohort_id = $2 AND en.left_at IS NULL AND g.account_id NOT IN (SELECT id FROM staff)) AS rhythm_goals,
                   (SELECT count(*) FROM circle_member m
                    JOIN enrolment en ON (en.course_id, en.cohort_id, en.account_id) = (m.course_id, m.cohort_id, m.account_id)
                    WHERE m.course_id = $1 AND m.cohort_id = $2 AND m.left_at IS NULL AND en.left_at IS NULL
                      AND m.account_id NOT IN (SELECT id FROM staff)) AS in_circles,
                   (SELECT count(*) FROM marks WHERE mark = 'wip') AS wip,
                   (SELECT count(*) FROM marks WHERE mark = 'help') AS help""";

    public Future<Principles> principles(SqlClient db, Scope s, List<String> facilitators) {
        return db.preparedQuery(PRINCIPLES).execute(Tuple.of(s.courseId(), s.cohortId(),
                        facilitators.stream().map(f -> f.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Principles(r.getLong("proposals"), r.getLong("voters"), r.getInteger("version"), r.getLong("accepted"),
                            r.getLong("enrolled"), r.getLong("rhythm_goals"), r.getLong("in_circles"), r.getLong("wip"), r.getLong("help"));
                });
    }

    public Future<Replies> replies(SqlClient db, Scope s) {
        return db.preparedQuery(REPLIES).execute(Tuple.of(s.courseId(), s.cohortId())).map(rows -> {
            Row r = rows.iterator().next();
            Long[] delays = r.getArrayOfLongs("delays");
            long[] d = new long[delays.length];
            for (int i = 0; i < d.length; i++) d[i] = delays[i];
            return new Replies(r.getLong("threads"), r.getLong("unanswered"), d);
        });
    }

    /** A thread still waiting for a reply. */
    public record Waiting(long threadId, String title, Instant since) {
    }

    private static final String OLDEST_UNANSWERED = """
            SELECT t.id, t.title, t.created_at FROM thread t
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND t.closed_at IS NULL AND t.first_reply_at IS NULL
            ORDER BY t.created_at, t.id LIMIT $3""";

    public Future<List<Waiting>> oldestUnanswered(SqlClient db, Scope s, int limit) {
        return db.preparedQuery(OLDEST_UNANSWERED).execute(Tuple.of(s.courseId(), s.cohortId(), limit)).map(rows -> {
            List<Waiting> list = new ArrayList<>();
            for (Row r : rows) list.add(new Waiting(r.getLong("id"), r.getString("title"), instant(r, "created_at")));
            return list;
        });
    }

    /** A post others marked helpful; the author's name is only shown as the thread rules allow. */
    public record HelpfulPost(long threadId, String threadTitle, int number, Long authorId, boolean anonymous, String authorName,
                              String excerpt, int helpful) {
    }

    private static final String HELPFUL = """
            SELECT p.thread_id, t.title, p.number, p.author_id, p.anonymous, a.name, a.email, left(p.body, 160) AS excerpt, p.helpful_count
            FROM post p JOIN thread t ON t.id = p.thread_id LEFT JOIN account a ON a.id = p.author_id
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND p.helpful_count > 0 AND p.deleted_at IS NULL AND p.hidden_at IS NULL
            ORDER BY p.helpful_count DESC, p.id LIMIT $3""";

    public Future<List<HelpfulPost>> helpful(SqlClient db, Scope s, int limit) {
        return db.preparedQuery(HELPFUL).execute(Tuple.of(s.courseId(), s.cohortId(), limit)).map(rows -> {
            List<HelpfulPost> list = new ArrayList<>();
            for (Row r : rows) {
                String email = r.getString("email");
                list.add(new HelpfulPost(r.getLong("thread_id"), r.getString("title"), r.getInteger("number"), r.getLong("author_id"),
                        r.getBoolean("anonymous"), email == null ? null : org.knowmad.account.Account.shownName(r.getString("name"), email),
                        r.getString("excerpt"), r.getInteger("helpful_count")));
            }
            return list;
        });
    }

    /** A thread nominated as a question for the café, with its votes; {@code total}: how many are nominated. */
    public record Nominated(long threadId, String title, int votes, long total) {
    }

    private static final String NOMINATED = """
            SELECT t.id, t.title, n.vote_count, count(*) OVER () AS total
            FROM meetup_nomination n JOIN thread t ON t.id = n.thread_id
            WHERE t.course_id = $1 AND t.cohort_id = $2
            ORDER BY n.vote_count DESC, n.created_at, t.id LIMIT $3""";

    public Future<List<Nominated>> nominated(SqlClient db, Scope s, int limit) {
        return db.preparedQuery(NOMINATED).execute(Tuple.of(s.courseId(), s.cohortId(), limit)).map(rows -> {
            List<Nominated> list = new ArrayList<>();
            for (Row r : rows) list.add(new Nominated(r.getLong("id"), r.getString("title"), r.getInteger("vote_count"), r.getLong("total")));
            return list;
        });
    }

    /**
     * Submitted work of one module grouped by what decides its state: reviews asked ({@code needed}) and reviews its
     * author has given. {@code reviewing}: in the review window now; {@code stuck}: the window closed with fewer
     * finished reviews than asked and no facilitator's grade (the "short" of the facilitators' queue,
     * {@code ReviewService.queueReason}).
     */
    public record ReviewGroup(String moduleId, int needed, int reviewsGiven, long submitted, long late, long reviewing, long stuck) {
    }

    private static final String REVIEWS = """
            SELECT s.module_id, s.needed, s.reviews_given, count(*) AS submitted, count(*) FILTER (WHERE s.late) AS late,
                   count(*) FILTER (WHERE s.pool_from <= $3 AND s.grade_due > $3) AS reviewing,
                   count(*) FILTER (WHERE s.grade_due <= $3 AND s.reviews_received < s.needed
                       AND NOT EXISTS (SELECT 1 FROM grade g WHERE g.submission_id = s.id AND g.override_points IS NOT NULL)) AS stuck
            FROM submission s
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.submitted_at IS NOT NULL
            GROUP BY 1, 2, 3""";

    public Future<List<ReviewGroup>> reviews(SqlClient db, Scope s, Instant now) {
        return db.preparedQuery(REVIEWS).execute(Tuple.of(s.courseId(), s.cohortId(), at(now))).map(rows -> {
            List<ReviewGroup> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new ReviewGroup(r.getString("module_id"), r.getInteger("needed"), r.getInteger("reviews_given"),
                        r.getLong("submitted"), r.getLong("late"), r.getLong("reviewing"), r.getLong("stuck")));
            }
            return list;
        });
    }
}
