package org.knowmad.circles;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The only class with SQL for circles: opt-ins, circles and their members, circle posts. */
final class CircleStore {

    record Member(long accountId, String name, String email, String background, Instant joinedAt) {
    }

    record Circle(long id, int number, List<Member> members) {

        boolean has(long account) {
            return members.stream().anyMatch(m -> m.accountId() == account);
        }
    }

    record Post(long id, long authorId, String authorName, String authorEmail, String body, Instant createdAt) {
    }

    /** Someone who asked for a circle and is enrolled now; {@code circle} is where they are now, null if nowhere yet. */
    record Candidate(long accountId, String background, Long circle) {
    }

    /** A circle as forming sees it (its members are the candidates placed in it). */
    record Existing(long id, int number) {
    }

    /** A member counts while enrolled now: a participant who left the cohort drops out of their circle's list. */
    private static final String ENROLLED_NOW = """
            EXISTS (SELECT 1 FROM enrolment e WHERE e.account_id = m.account_id AND e.course_id = c.course_id
                    AND e.cohort_id = c.cohort_id AND e.left_at IS NULL)""";

    private static final String CIRCLES = """
            SELECT c.id, c.number, m.account_id, a.name, a.email, m.background, m.joined_at
            FROM circle c
            LEFT JOIN circle_member m ON m.circle_id = c.id AND m.left_at IS NULL AND %s
            LEFT JOIN account a ON a.id = m.account_id
            WHERE c.course_id = $1 AND c.cohort_id = $2 AND ($3::bigint IS NULL OR c.id = $3)
            ORDER BY c.number, lower(coalesce(a.name, a.email))""".formatted(ENROLLED_NOW);

    private static final String MY_CIRCLE = """
            SELECT circle_id FROM circle_member WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3 AND left_at IS NULL""";

    private static final String OPTIN = "SELECT background FROM circle_optin WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3";

    /** Opted in, enrolled now, and not in a circle: the people the next forming places. */
    private static final String WAITING = """
            SELECT count(*) FROM circle_optin o
            JOIN enrolment e ON e.account_id = o.account_id AND e.course_id = o.course_id AND e.cohort_id = o.cohort_id AND e.left_at IS NULL
            WHERE o.course_id = $1 AND o.cohort_id = $2 AND NOT EXISTS (SELECT 1 FROM circle_member m
                WHERE m.course_id = o.course_id AND m.cohort_id = o.cohort_id AND m.account_id = o.account_id AND m.left_at IS NULL)""";

    private static final String OPT_IN = """
            INSERT INTO circle_optin (course_id, cohort_id, account_id, background, opted_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (course_id, cohort_id, account_id) DO UPDATE SET background = EXCLUDED.background""";

    private static final String OPT_OUT = "DELETE FROM circle_optin WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3";

    private static final String LEAVE = """
            UPDATE circle_member SET left_at = $4 WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3 AND left_at IS NULL""";

    private static final String POSTS = """
            SELECT p.id, p.author_id, a.name, a.email, p.body, p.created_at FROM circle_post p JOIN account a ON a.id = p.author_id
            WHERE p.circle_id = $1 ORDER BY p.id DESC LIMIT $2""";

    private static final String POST = """
            INSERT INTO circle_post (circle_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id""";

    /** Forming is one at a time per cohort, on every node: the second waits, then finds everyone placed. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('circles:' || $1 || '/' || $2))";

    private static final String CANDIDATES = """
            SELECT o.account_id, coalesce(m.background, o.background) AS background, m.circle_id
            FROM circle_optin o
            JOIN enrolment e ON e.account_id = o.account_id AND e.course_id = o.course_id AND e.cohort_id = o.cohort_id AND e.left_at IS NULL
            LEFT JOIN circle_member m ON m.course_id = o.course_id AND m.cohort_id = o.cohort_id AND m.account_id = o.account_id
                 AND m.left_at IS NULL
            WHERE o.course_id = $1 AND o.cohort_id = $2 ORDER BY o.account_id""";

    private static final String EXISTING = "SELECT id, number FROM circle WHERE course_id = $1 AND cohort_id = $2 ORDER BY number";

    private static final String NEW_CIRCLES = """
            INSERT INTO circle (course_id, cohort_id, number, formed_by, formed_at)
            SELECT $1, $2, n, $4, $5 FROM unnest($3::int[]) AS n
            ON CONFLICT (course_id, cohort_id, number) DO NOTHING RETURNING id, number""";

    /** Re-joining the circle one left brings the old row back. */
    private static final String PLACE = """
            INSERT INTO circle_member (circle_id, course_id, cohort_id, account_id, background, joined_at)
            SELECT c, $1, $2, a, b, $6 FROM unnest($3::bigint[], $4::bigint[], $5::text[]) AS t(c, a, b)
            ON CONFLICT (circle_id, account_id) DO UPDATE SET left_at = NULL, joined_at = EXCLUDED.joined_at, background = EXCLUDED.background""";

    Future<List<Circle>> circles(SqlClient db, String course, String cohort, Long only) {
        return db.preparedQuery(CIRCLES).execute(Tuple.of(course, cohort, only)).map(rows -> {
            Map<Long, Circle> circles = new LinkedHashMap<>();
            for (Row r : rows) {
                Circle c = circles.computeIfAbsent(r.getLong("id"), id -> new Circle(id, r.getInteger("number"), new ArrayList<>()));
                if (r.getLong("account_id") != null) {
                    c.members().add(new Member(r.getLong("account_id"), r.getString("name"), r.getString("email"), r.getString("background"),
                            r.getOffsetDateTime("joined_at").toInstant()));
                }
            }
            return List.copyOf(circles.values());
        });
    }

    Future<Optional<Long>> myCircle(SqlClient db, String course, String cohort, long account) {
        return db.preparedQuery(MY_CIRCLE).execute(Tuple.of(course, cohort, account))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Empty when not opted in; a present optional holding null when opted in without a background. */
    Future<Optional<Optional<String>>> optIn(SqlClient db, String course, String cohort, long account) {
        return db.preparedQuery(OPTIN).execute(Tuple.of(course, cohort, account)).map(rows -> rows.size() == 0
                ? Optional.<Optional<String>>empty() : Optional.of(Optional.ofNullable(rows.iterator().next().getString(0))));
    }

    Future<Long> waiting(SqlClient db, String course, String cohort) {
        return db.preparedQuery(WAITING).execute(Tuple.of(course, cohort)).map(rows -> rows.iterator().next().getLong(0));
    }

    Future<Void> optIn(SqlClient db, String course, String cohort, long account, String background, Instant now) {
        return db.preparedQuery(OPT_IN).execute(Tuple.of(course, cohort, account, background, utc(now))).mapEmpty();
    }

    /** Leaves circles altogether: no longer waiting, and out of the current circle (which stays). */
    Future<Void> optOut(SqlClient tx, String course, String cohort, long account, Instant now) {
        return tx.preparedQuery(OPT_OUT).execute(Tuple.of(course, cohort, account))
                .compose(v -> tx.preparedQuery(LEAVE).execute(Tuple.of(course, cohort, account, utc(now)))).mapEmpty();
    }

    Future<List<Post>> posts(SqlClient db, long circle, int limit) {
        return db.preparedQuery(POSTS).execute(Tuple.of(circle, limit)).map(rows -> {
            List<Post> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Post(r.getLong("id"), r.getLong("author_id"), r.getString("name"), r.getString("email"), r.getString("body"),
                        r.getOffsetDateTime("created_at").toInstant()));
            }
            java.util.Collections.reverse(list);
            return list;
        });
    }

    Future<Long> post(SqlClient tx, long circle, long author, String body, Instant now) {
        return tx.preparedQuery(POST).execute(Tuple.of(circle, author, body, utc(now))).map(rows -> rows.iterator().next().getLong(0));
    }

    Future<Void> lock(SqlClient tx, String course, String cohort) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(course, cohort)).mapEmpty();
    }

    Future<List<Candidate>> candidates(SqlClient tx, String course, String cohort) {
        return tx.preparedQuery(CANDIDATES).execute(Tuple.of(course, cohort)).map(rows -> {
            List<Candidate> list = new ArrayList<>();
            for (Row r : rows) list.add(new Candidate(r.getLong("account_id"), r.getString("background"), r.getLong("circle_id")));
            return list;
        });
    }

    Future<List<Existing>> existing(SqlClient tx, String course, String cohort) {
        return tx.preparedQuery(EXISTING).execute(Tuple.of(course, cohort)).map(rows -> {
            List<Existing> list = new ArrayList<>();
            for (Row r : rows) list.add(new Existing(r.getLong("id"), r.getInteger("number")));
            return list;
        });
    }

    /** Makes circles with these numbers; answers number -> id of those made now. */
    Future<Map<Integer, Long>> newCircles(SqlClient tx, String course, String cohort, List<Integer> numbers, long by, Instant now) {
        return tx.preparedQuery(NEW_CIRCLES).execute(Tuple.of(course, cohort, numbers.toArray(Integer[]::new), by, utc(now))).map(rows -> {
            Map<Integer, Long> made = new LinkedHashMap<>();
            for (Row r : rows) made.put(r.getInteger("number"), r.getLong("id"));
            return made;
        });
    }

    Future<Void> place(SqlClient tx, String course, String cohort, List<Long> circles, List<Long> accounts, List<String> backgrounds, Instant now) {
        if (accounts.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(PLACE).execute(Tuple.from(List.of(course, cohort, circles.toArray(Long[]::new), accounts.toArray(Long[]::new),
                backgrounds.toArray(String[]::new), utc(now)))).mapEmpty();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
