package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The only class that writes flags, hidden posts and silences (a person's standing reads silences with their enrolment). */
public final class ModerationStore {

    /** Adds one person's flag; the post hides itself when enough people flagged it and no facilitator decided yet. */
    private static final String FLAG = """
            WITH target AS (
                SELECT id FROM post WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL
            ), added AS (
                INSERT INTO flag (post_id, account_id, reason, created_at) SELECT id, $3, $4, $5 FROM target
                ON CONFLICT DO NOTHING RETURNING post_id
            )
            UPDATE post SET flag_count = flag_count + 1,
                   hidden_at = CASE WHEN hidden_at IS NULL AND reviewed_at IS NULL AND flag_count + 1 >= $6 THEN $5 ELSE hidden_at END
            WHERE id IN (SELECT post_id FROM added)
            RETURNING flag_count, hidden_at IS NOT NULL AS hidden""";

    private static final String FLAG_STATE = "SELECT flag_count, hidden_at IS NOT NULL AS hidden FROM post WHERE thread_id = $1 AND number = $2";

    private static final String HIDE = """
            UPDATE post SET hidden_at = coalesce(hidden_at, $3), hidden_by = $4, reviewed_at = $3
            WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL RETURNING number""";

    private static final String RESTORE = """
            UPDATE post SET hidden_at = NULL, hidden_by = NULL, reviewed_at = $3
            WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL RETURNING number""";

    private static final String QUEUE = """
            SELECT p.thread_id, p.number, t.title, p.body, p.flag_count, p.hidden_at, p.author_id, p.anonymous,
                   coalesce(a.name, split_part(a.email, '@', 1)) AS author_name, a.email AS author_email,
                   (SELECT string_agg(f.reason, ' | ' ORDER BY f.created_at) FROM flag f WHERE f.post_id = p.id) AS reasons,
                   s.account_id IS NOT NULL AS author_silenced
            FROM post p
            JOIN thread t ON t.id = p.thread_id
            LEFT JOIN account a ON a.id = p.author_id
            LEFT JOIN silence s ON s.course_id = t.course_id AND s.cohort_id = t.cohort_id AND s.account_id = p.author_id
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND p.deleted_at IS NULL AND p.reviewed_at IS NULL
              AND (p.flag_count > 0 OR p.hidden_at IS NOT NULL)
            ORDER BY p.hidden_at IS NULL, p.flag_count DESC, p.created_at
            LIMIT 200""";

    /** Silences an account (once); answers whether the account exists at all. */
    private static final String SILENCE = """
            WITH who AS (SELECT id FROM account WHERE id = $3), done AS (
                INSERT INTO silence (course_id, cohort_id, account_id, silenced_by, created_at)
                SELECT $1, $2, who.id, $4, $5 FROM who
                ON CONFLICT DO NOTHING)
            SELECT EXISTS (SELECT 1 FROM who)"""; 

    private static final String UNSILENCE = "DELETE FROM silence WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3";

    /** One entry of the moderation queue. */
    public record Flagged(long threadId, int number, String threadTitle, String body, int flags, Instant hiddenAt, Long authorId,
                          String authorName, String authorEmail, boolean anonymous, String reasons, boolean authorSilenced) {
        static Flagged from(Row r) {
            return new Flagged(r.getLong("thread_id"), r.getInteger("number"), r.getString("title"), r.getString("body"),
                    r.getInteger("flag_count"), ThreadRow.instant(r.getOffsetDateTime("hidden_at")), r.getLong("author_id"),
                    r.getString("author_name"), r.getString("author_email"), r.getBoolean("anonymous"), r.getString("reasons"),
                    r.getBoolean("author_silenced"));
        }
    }

    /** After a flag: how many flags the post has and whether it is hidden now. */
    public record FlagResult(boolean added, int flags, boolean hidden) {
    }

    public Future<FlagResult> flag(SqlClient tx, long threadId, int number, long accountId, String reason, Instant now, int threshold) {
        return tx.preparedQuery(FLAG).execute(Tuple.of(threadId, number, accountId, reason, now.atOffset(ZoneOffset.UTC), threshold))
                .compose(rows -> {
                    if (rows.size() == 1) {
                        Row r = rows.iterator().next();
                        return Future.succeededFuture(new FlagResult(true, r.getInteger("flag_count"), r.getBoolean("hidden")));
                    }
                    // Flagged before: answer the post's current state.
                    return tx.preparedQuery(FLAG_STATE).execute(Tuple.of(threadId, number)).map(state -> {
                        Row r = state.iterator().next();
                        return new FlagResult(false, r.getInteger("flag_count"), r.getBoolean("hidden"));
                    });
                });
    }

    public Future<Boolean> hide(SqlClient tx, long threadId, int number, long byId, Instant now) {
        return tx.preparedQuery(HIDE).execute(Tuple.of(threadId, number, now.atOffset(ZoneOffset.UTC), byId)).map(rows -> rows.size() == 1);
    }

    public Future<Boolean> restore(SqlClient tx, long threadId, int number, Instant now) {
        return tx.preparedQuery(RESTORE).execute(Tuple.of(threadId, number, now.atOffset(ZoneOffset.UTC))).map(rows -> rows.size() == 1);
    }

    public Future<List<Flagged>> queue(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(QUEUE).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<Flagged> list = new ArrayList<>();
            rows.forEach(r -> list.add(Flagged.from(r)));
            return list;
        });
    }

    public Future<Boolean> silence(SqlClient db, String courseId, String cohortId, long accountId, long byId, Instant now) {
        return db.preparedQuery(SILENCE).execute(Tuple.of(courseId, cohortId, accountId, byId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Future<Void> unsilence(SqlClient db, String courseId, String cohortId, long accountId) {
        return db.preparedQuery(UNSILENCE).execute(Tuple.of(courseId, cohortId, accountId)).mapEmpty();
    }

}
