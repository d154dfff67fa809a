package org.knowmad.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The only class that touches {@code moderation_alert} (V023). */
public final class FacilitatorAlertStore {

    /** One row per facilitator and event: a retried flag or report cannot alert anyone twice. */
    private static final String RECORD = """
            INSERT INTO moderation_alert (event_key, to_email, course_id, cohort_id, kind, path, title, reason, created_at)
            SELECT $1, e, $2, $3, $4, $5, $6, $7, $8 FROM unnest($9::text[]) AS e
            ON CONFLICT (event_key, to_email) DO NOTHING""";

    /**
     * The alerts due now: waiting, for a facilitator and course not mailed about alerts in the last coalescing
     * window (so a burst of flags waits and goes out as one mail). Locked for this transaction, which also holds
     * {@link #ROUND_LOCK}: each alert is marked, and mailed, once.
     */
    private static final String CLAIM = """
            SELECT m.id, m.to_email, m.course_id, m.cohort_id, m.kind, m.path, m.title, m.reason,
                   acc.notify_mode, acc.language
            FROM moderation_alert m
            LEFT JOIN account acc ON lower(acc.email) = m.to_email
            WHERE m.done_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM moderation_alert d
                              WHERE d.to_email = m.to_email AND d.course_id = m.course_id AND d.mailed AND d.done_at > $1)
            ORDER BY m.id
            LIMIT 1000
            FOR UPDATE OF m SKIP LOCKED""";

    /** One round at a time across nodes, so that two nodes never each mail the same facilitator within the window. */
    private static final String ROUND_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('knowmad.moderation_alert'))";

    private static final String DONE = """
            UPDATE moderation_alert SET done_at = $2, mailed = (id = ANY($3)) WHERE id = ANY($1)""";

    /** One waiting alert with the facilitator's mail choice and language (null: they have no account yet). */
    public record Pending(long id, String toEmail, String courseId, String cohortId, String kind, String path, String title,
                          String reason, String notifyMode, String language) {
    }

    public Future<Void> record(SqlClient tx, String eventKey, List<String> recipients, String courseId, String cohortId, String kind,
                               String path, String title, String reason, Instant now) {
        if (recipients.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(RECORD).execute(Tuple.tuple().addValue(eventKey).addValue(courseId).addValue(cohortId).addValue(kind)
                .addValue(path).addValue(title).addValue(reason).addValue(now.atOffset(ZoneOffset.UTC))
                .addValue(recipients.toArray(String[]::new))).mapEmpty();
    }

    /** The due alerts, or none when another node is running a round (it will mail them). */
    public Future<List<Pending>> claim(SqlClient tx, Instant now, Duration window) {
        return tx.query(ROUND_LOCK).execute().compose(locked -> locked.iterator().next().getBoolean(0)
                ? tx.preparedQuery(CLAIM).execute(Tuple.of(now.minus(window).atOffset(ZoneOffset.UTC))).map(FacilitatorAlertStore::pending)
                : Future.succeededFuture(List.of()));
    }

    private static List<Pending> pending(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
        List<Pending> list = new ArrayList<>();
        rows.forEach(r -> list.add(new Pending(r.getLong("id"), r.getString("to_email"), r.getString("course_id"), r.getString("cohort_id"),
                r.getString("kind"), r.getString("path"), r.getString("title"), r.getString("reason"), r.getString("notify_mode"),
                r.getString("language"))));
        return list;
    }

    public Future<Void> done(SqlClient tx, List<Long> ids, List<Long> mailed, Instant now) {
        return tx.preparedQuery(DONE).execute(Tuple.of(ids.toArray(Long[]::new), now.atOffset(ZoneOffset.UTC), mailed.toArray(Long[]::new)))
                .mapEmpty();
    }
}
