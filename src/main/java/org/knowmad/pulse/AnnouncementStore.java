package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.knowmad.db.Rows;

/** The only class with SQL on announcements, their recipients and the weekly nudge marks. */
public final class AnnouncementStore {

    private static final String INSERT = """
            INSERT INTO announcement (course_id, cohort_id, kind, audience, quiet_days, subject, body, sent_by, sent_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""";

    private static final String ADD_RECIPIENTS = """
            INSERT INTO announcement_recipient (announcement_id, account_id) SELECT $1, unnest($2::bigint[])
            ON CONFLICT DO NOTHING""";

    /** Marks this week's nudge for each person not nudged yet this week; answers those marked (the others are skipped). */
    private static final String MARK_NUDGED = """
            INSERT INTO nudge_week (course_id, cohort_id, account_id, week, announcement_id)
            SELECT $1, $2, unnest($3::bigint[]), $4, $5
            ON CONFLICT DO NOTHING RETURNING account_id""";

    private static final String COUNTS = "UPDATE announcement SET recipients = $2, mailed = $3, skipped = $4 WHERE id = $1";

    private static final String COLUMNS = """
            a.id, a.kind, a.audience, a.quiet_days, a.subject, a.body, a.sent_at, a.recipients, a.mailed, a.skipped,
            coalesce(s.name, split_part(s.email, '@', 1)) AS sender""";

    private static final String LOG = "SELECT " + COLUMNS + """

            FROM announcement a LEFT JOIN account s ON s.id = a.sent_by
            WHERE a.course_id = $1 AND a.cohort_id = $2
            ORDER BY a.sent_at DESC, a.id DESC LIMIT $3""";

    private static final String ONE = "SELECT " + COLUMNS + """
            , EXISTS (SELECT 1 FROM announcement_recipient r WHERE r.announcement_id = a.id AND r.account_id = $4) AS recipient
            FROM announcement a LEFT JOIN account s ON s.id = a.sent_by
            WHERE a.course_id = $1 AND a.cohort_id = $2 AND a.id = $3""";

    /** The cohort's announcements since a moment (the banner's candidates), latest first, with whether the viewer got each. */
    private static final String RECENT = "SELECT " + COLUMNS + """
            , EXISTS (SELECT 1 FROM announcement_recipient r WHERE r.announcement_id = a.id AND r.account_id = $4) AS recipient
            FROM announcement a LEFT JOIN account s ON s.id = a.sent_by
            WHERE a.course_id = $1 AND a.cohort_id = $2 AND a.kind = 'announcement' AND a.sent_at > $3
            ORDER BY a.sent_at DESC, a.id DESC LIMIT 20""";

    /** One sent message as the log, the banner and its page show it. {@code recipient}: the viewer got it (false when not asked). */
    public record Sent(long id, String kind, String audience, Integer quietDays, String subject, String body, Instant sentAt,
                      String sender, int recipients, int mailed, int skipped, boolean recipient) {

        public boolean nudge() {
            return "nudge".equals(kind);
        }

        public boolean toEveryone() {
            return "all".equals(audience);
        }

        static Sent from(Row r, boolean withRecipient) {
            Short days = r.getShort("quiet_days");
            return new Sent(r.getLong("id"), r.getString("kind"), r.getString("audience"), days == null ? null : days.intValue(),
                    r.getString("subject"), r.getString("body"), Rows.instant(r, "sent_at"), r.getString("sender"),
                    r.getInteger("recipients"), r.getInteger("mailed"), r.getInteger("skipped"), withRecipient && r.getBoolean("recipient"));
        }
    }

    public Future<Long> insert(SqlClient tx, String courseId, String cohortId, String kind, String audience, Integer quietDays,
                               String subject, String body, long sentBy, Instant now) {
        return tx.preparedQuery(INSERT).execute(Tuple.tuple().addString(courseId).addString(cohortId).addString(kind)
                        .addString(audience).addValue(quietDays == null ? null : quietDays.shortValue()).addString(subject)
                        .addString(body).addLong(sentBy).addValue(Rows.at(now)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Void> addRecipients(SqlClient tx, long announcementId, List<Long> accounts) {
        if (accounts.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(ADD_RECIPIENTS).execute(Tuple.tuple().addLong(announcementId).addArrayOfLong(accounts.toArray(Long[]::new))).mapEmpty();
    }

    /** Of {@code accounts}, those not nudged yet in this cohort in the week starting {@code week}, now marked. */
    public Future<Set<Long>> markNudged(SqlClient tx, String courseId, String cohortId, List<Long> accounts, LocalDate week, long announcementId) {
        if (accounts.isEmpty()) return Future.succeededFuture(Set.of());
        return tx.preparedQuery(MARK_NUDGED).execute(Tuple.of(courseId, cohortId, accounts.toArray(Long[]::new), week, announcementId))
                .map(rows -> {
                    Set<Long> marked = new HashSet<>();
                    for (Row r : rows) marked.add(r.getLong(0));
                    return marked;
                });
    }

    public Future<Void> counts(SqlClient tx, long announcementId, int recipients, int mailed, int skipped) {
        return tx.preparedQuery(COUNTS).execute(Tuple.of(announcementId, recipients, mailed, skipped)).mapEmpty();
    }

    public Future<List<Sent>> log(SqlClient db, String courseId, String cohortId, int limit) {
        return db.preparedQuery(LOG).execute(Tuple.of(courseId, cohortId, limit)).map(rows -> {
            List<Sent> list = new ArrayList<>(rows.size());
            for (Row r : rows) list.add(Sent.from(r, false));
            return list;
        });
    }

    public Future<Optional<Sent>> one(SqlClient db, String courseId, String cohortId, long id, long viewerId) {
        return db.preparedQuery(ONE).execute(Tuple.of(courseId, cohortId, id, viewerId))
                .map(rows -> Rows.first(rows).map(r -> Sent.from(r, true)));
    }

    public Future<List<Sent>> recent(SqlClient db, String courseId, String cohortId, Instant since, long viewerId) {
        return db.preparedQuery(RECENT).execute(Tuple.of(courseId, cohortId, Rows.at(since), viewerId)).map(rows -> {
            List<Sent> list = new ArrayList<>(rows.size());
            for (Row r : rows) list.add(Sent.from(r, true));
            return list;
        });
    }
}
