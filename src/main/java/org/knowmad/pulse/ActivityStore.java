package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowmad.db.Rows;
import org.knowmad.live.StreamHub;

/** The only class with SQL for the pulse's facts: writing activity counts and presence, reading one's week and a cohort's. */
public final class ActivityStore {

    /**
     * Adds a node's counts in one statement: one row per key (the caller never repeats a key, which ON CONFLICT
     * would refuse). Rows come in primary-key order on every node, so two nodes adding to the same rows lock them in
     * the same order and cannot deadlock. Someone not (or no longer) enrolled is left out, as {@link PulseRules#recorded}.
     */
    private static final String ADD = """
            INSERT INTO activity_day AS a (course_id, cohort_id, account_id, day, module_id, visits, reads, reactions, threads,
                                           replies, submissions, reviews, registrations, attendances, last_at)
            SELECT u.* FROM unnest($1::text[], $2::text[], $3::bigint[], $4::date[], $5::text[], $6::int[], $7::int[], $8::int[],
                                   $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::timestamptz[])
                   AS u(course_id, cohort_id, account_id, day, module_id, visits, reads, reactions, threads, replies,
                        submissions, reviews, registrations, attendances, last_at)
            WHERE %s
            ON CONFLICT (course_id, cohort_id, day, account_id, module_id) DO UPDATE SET
                visits = a.visits + EXCLUDED.visits,
                reads = a.reads + EXCLUDED.reads,
                reactions = a.reactions + EXCLUDED.reactions,
                threads = a.threads + EXCLUDED.threads,
                replies = a.replies + EXCLUDED.replies,
                submissions = a.submissions + EXCLUDED.submissions,
                reviews = a.reviews + EXCLUDED.reviews,
                registrations = a.registrations + EXCLUDED.registrations,
                attendances = a.attendances + EXCLUDED.attendances,
                last_at = greatest(a.last_at, EXCLUDED.last_at)""".formatted(PulseRules.recordedSql("u.course_id", "u.cohort_id", "u.account_id"));

    /** One node's people online per cohort at one minute; written again for the same minute, the last count stands. */
    private static final String PRESENCE = """
            INSERT INTO presence_minute (course_id, cohort_id, minute, node, people)
            SELECT p.course_id, p.cohort_id, $4, $5, p.people FROM unnest($1::text[], $2::text[], $3::int[]) AS p(course_id, cohort_id, people)
            ON CONFLICT (course_id, cohort_id, minute, node) DO UPDATE SET people = EXCLUDED.people""";

    /** One person's week in each of their cohorts (each from its own Monday): the activity_day_person index. */
    private static final String OWN_WEEK = """
            SELECT m.course_id, m.cohort_id, count(DISTINCT a.day) AS days, coalesce(sum(a.reads), 0) AS reads,
                   coalesce(sum(a.threads + a.replies), 0) AS posts, coalesce(sum(a.reactions), 0) AS reactions,
                   coalesce(sum(a.reviews), 0) AS reviews
            FROM unnest($2::text[], $3::text[], $4::date[]) AS m(course_id, cohort_id, since)
            JOIN activity_day a ON a.course_id = m.course_id AND a.cohort_id = m.cohort_id AND a.account_id = $1 AND a.day >= m.since
            GROUP BY m.course_id, m.cohort_id""";

    /** How many people of a cohort read and posted since a day: the primary key's (course, cohort, day) prefix. */
    private static final String COHORT_WEEK = """
            SELECT count(DISTINCT account_id) FILTER (WHERE reads > 0) AS readers,
                   count(DISTINCT account_id) FILTER (WHERE threads + replies > 0) AS posters
            FROM activity_day WHERE course_id = $1 AND cohort_id = $2 AND day >= $3""";

    /** Counts to add, one entry per key, in the order the statement should lock them. */
    public Future<Void> add(SqlClient db, List<Map.Entry<ActivityRecorder.Key, ActivityRecorder.Counts>> batch) {
        int n = batch.size();
        int kinds = ActivityRecorder.Kind.values().length;
        String[] courses = new String[n], cohorts = new String[n], modules = new String[n];
        Long[] accounts = new Long[n];
        LocalDate[] days = new LocalDate[n];
        Integer[][] counts = new Integer[kinds][n];
        OffsetDateTime[] lastAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ActivityRecorder.Key k = batch.get(i).getKey();
            ActivityRecorder.Counts c = batch.get(i).getValue();
            courses[i] = k.courseId();
            cohorts[i] = k.cohortId();
            accounts[i] = k.accountId();
            days[i] = k.day();
            modules[i] = k.moduleId();
            for (int kind = 0; kind < kinds; kind++) counts[kind][i] = c.count(kind);
            lastAt[i] = Rows.at(c.lastAt());
        }
        Tuple params = Tuple.tuple().addValue(courses).addValue(cohorts).addValue(accounts).addValue(days).addValue(modules);
        for (Integer[] column : counts) params.addValue(column);
        params.addValue(lastAt);
        return db.preparedQuery(ADD).execute(params).mapEmpty();
    }

    /** Writes this node's count of people online per cohort at {@code minute}, in one statement. */
    public Future<Void> presence(SqlClient db, String node, Instant minute, Map<StreamHub.Cohort, Integer> people) {
        int n = people.size();
        String[] courses = new String[n], cohorts = new String[n];
        Integer[] counts = new Integer[n];
        int i = 0;
        for (Map.Entry<StreamHub.Cohort, Integer> e : people.entrySet()) {
            courses[i] = e.getKey().courseId();
            cohorts[i] = e.getKey().cohortId();
            counts[i++] = e.getValue();
        }
        return db.preparedQuery(PRESENCE).execute(Tuple.tuple().addValue(courses).addValue(cohorts).addValue(counts)
                .addValue(Rows.at(minute)).addValue(node)).mapEmpty();
    }

    /** One cohort's part of someone's week. */
    public record Week(String courseId, String cohortId, int days, long reads, long posts, long reactions, long reviews) {
    }

    /** A cohort to read someone's week in, and the day their week there began. */
    public record Since(String courseId, String cohortId, LocalDate day) {
    }

    /** One person's weeks; a cohort with nothing recorded this week has no row. */
    public Future<List<Week>> ownWeeks(SqlClient db, long accountId, List<Since> cohorts) {
        if (cohorts.isEmpty()) return Future.succeededFuture(List.of());
        return db.preparedQuery(OWN_WEEK).execute(Tuple.of(accountId,
                        cohorts.stream().map(Since::courseId).toArray(String[]::new),
                        cohorts.stream().map(Since::cohortId).toArray(String[]::new),
                        cohorts.stream().map(Since::day).toArray(LocalDate[]::new)))
                .map(rows -> {
                    List<Week> weeks = new ArrayList<>();
                    for (Row r : rows) {
                        weeks.add(new Week(r.getString("course_id"), r.getString("cohort_id"), r.getLong("days").intValue(),
                                r.getLong("reads"), r.getLong("posts"), r.getLong("reactions"), r.getLong("reviews")));
                    }
                    return weeks;
                });
    }

    /** How many people of a cohort read, and how many posted, since {@code since}. */
    public record CohortWeek(long readers, long posters) {
    }

    public Future<CohortWeek> cohortWeek(SqlClient db, String courseId, String cohortId, LocalDate since) {
        return db.preparedQuery(COHORT_WEEK).execute(Tuple.of(courseId, cohortId, since)).map(rows -> {
            Row r = rows.iterator().next();
            return new CohortWeek(r.getLong("readers"), r.getLong("posters"));
        });
    }
}
