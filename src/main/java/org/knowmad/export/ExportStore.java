package org.knowmad.export;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** One person's own work, read for their export: three queries, whatever its size. */
final class ExportStore {

    /** Their posts that still stand, grouped by thread (post_author_recent serves the author lookup). */
    private static final String POSTS = """
            SELECT t.course_id, t.cohort_id, t.module_id, t.id AS thread_id, t.title, p.number, p.reply_to, p.anonymous,
                   p.body, p.created_at, p.edited_at
            FROM post p JOIN thread t ON t.id = p.thread_id
            WHERE p.author_id = $1 AND p.deleted_at IS NULL
            ORDER BY t.course_id, t.cohort_id, t.module_id, t.id, p.number""";

    /** Their submissions with the grade, and every finished review of each (which ones they may read is the rules' call). */
    private static final String SUBMISSIONS = """
            SELECT s.course_id, s.cohort_id, s.module_id, s.draft, s.body, s.submitted_at, s.updated_at, s.late, s.grade_due,
                   g.max_points, coalesce(g.override_points, g.corrected, g.median) AS points,
                   coalesce((SELECT json_agg(json_build_object('reviewer', r.reviewer_id, 'scores', r.scores, 'comment', r.comment,
                                                               'completedAt', r.completed_at, 'removed', r.flag_state = 'removed')
                                            ORDER BY r.completed_at)
                             FROM review r WHERE r.submission_id = s.id AND r.completed_at IS NOT NULL), '[]') AS reviews
            FROM submission s LEFT JOIN grade g ON g.submission_id = s.id
            WHERE s.author_id = $1
            ORDER BY s.course_id, s.cohort_id, s.module_id""";

    /** Their posts in circles (circle posts are their own tables, never discussion threads). */
    private static final String CIRCLE_POSTS = """
            SELECT c.course_id, c.cohort_id, c.number, p.body, p.created_at
            FROM circle_post p JOIN circle c ON c.id = p.circle_id
            WHERE p.author_id = $1
            ORDER BY c.course_id, c.cohort_id, c.number, p.id""";

    record CirclePost(String courseId, String cohortId, int circle, String body, Instant createdAt) {
    }

    record Post(String courseId, String cohortId, String moduleId, long threadId, String threadTitle, int number, Integer replyTo,
                boolean anonymous, String body, Instant createdAt, Instant editedAt) {
    }

    record Review(long reviewerId, JsonObject scores, String comment, Instant completedAt, boolean removed) {
    }

    record Submission(String courseId, String cohortId, String moduleId, String draft, String body, Instant submittedAt,
                      Instant updatedAt, boolean late, Instant gradeDue, Double points, Double maxPoints, List<Review> reviews) {
    }

    Future<List<Post>> posts(SqlClient db, long accountId) {
        return db.preparedQuery(POSTS).execute(Tuple.of(accountId)).map(rows -> {
            List<Post> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Post(r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"), r.getLong("thread_id"),
                        r.getString("title"), r.getInteger("number"), r.getInteger("reply_to"), r.getBoolean("anonymous"),
                        r.getString("body"), instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("edited_at"))));
            }
            return list;
        });
    }

    Future<List<Submission>> submissions(SqlClient db, long accountId) {
        return db.preparedQuery(SUBMISSIONS).execute(Tuple.of(accountId)).map(rows -> {
            List<Submission> list = new ArrayList<>();
            for (Row r : rows) {
                List<Review> reviews = new ArrayList<>();
                Object json = r.getValue("reviews");
                io.vertx.core.json.JsonArray array = json instanceof io.vertx.core.json.JsonArray a ? a : new io.vertx.core.json.JsonArray(String.valueOf(json));
                for (int i = 0; i < array.size(); i++) {
                    JsonObject o = array.getJsonObject(i);
                    reviews.add(new Review(o.getLong("reviewer"), o.getJsonObject("scores"), o.getString("comment"),
                            OffsetDateTime.parse(o.getString("completedAt")).toInstant(), Boolean.TRUE.equals(o.getBoolean("removed"))));
                }
                list.add(new Submission(r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"), r.getString("draft"),
                        r.getString("body"), instant(r.getOffsetDateTime("submitted_at")), instant(r.getOffsetDateTime("updated_at")),
                        r.getBoolean("late"), instant(r.getOffsetDateTime("grade_due")), r.getDouble("points"), r.getDouble("max_points"), reviews));
            }
            return list;
        });
    }

    Future<List<CirclePost>> circlePosts(SqlClient db, long accountId) {
        return db.preparedQuery(CIRCLE_POSTS).execute(Tuple.of(accountId)).map(rows -> {
            List<CirclePost> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new CirclePost(r.getString("course_id"), r.getString("cohort_id"), r.getInteger("number"), r.getString("body"),
                        instant(r.getOffsetDateTime("created_at"))));
            }
            return list;
        });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
