package org.knowmad.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes mail into the {@code outbox} table, inside the caller's transaction: the mail exists if and
 * only if the change that caused it was committed. {@link MailSender} delivers it later.
 */
public final class Outbox {

    private static final String ENQUEUE = """
            INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at,
                                attachment_name, attachment_type, attachment_body, priority)
            VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9)
            ON CONFLICT (dedupe_key) DO NOTHING""";

    private static final String ENQUEUE_ALL = """
            INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at,
                                attachment_name, attachment_type, attachment_body, priority)
            SELECT d, t, s, b, $5, $5, an, at, ab, p
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[], $7::text[], $8::text[], $9::smallint[])
                AS m(d, t, s, b, an, at, ab, p)
            ON CONFLICT (dedupe_key) DO NOTHING""";

    /** Queues many messages in one statement. */
    public Future<Void> enqueueAll(SqlClient tx, java.util.List<Mail> mails, Instant now) {
        if (mails.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(ENQUEUE_ALL).execute(Tuple.tuple()
                        .addValue(mails.stream().map(Mail::dedupeKey).toArray(String[]::new))
                        .addValue(mails.stream().map(Mail::to).toArray(String[]::new))
                        .addValue(mails.stream().map(Mail::subject).toArray(String[]::new))
                        .addValue(mails.stream().map(Mail::text).toArray(String[]::new))
                        .addValue(now.atOffset(ZoneOffset.UTC))
                        .addValue(mails.stream().map(m -> m.attachment() == null ? null : m.attachment().name()).toArray(String[]::new))
                        .addValue(mails.stream().map(m -> m.attachment() == null ? null : m.attachment().contentType()).toArray(String[]::new))
                        .addValue(mails.stream().map(m -> m.attachment() == null ? null : m.attachment().body()).toArray(String[]::new))
                        .addValue(mails.stream().map(m -> (short) m.lane().priority).toArray(Short[]::new)))
                .mapEmpty();
    }

    public Future<Void> enqueue(SqlClient tx, Mail mail, Instant now) {
        Mail.Attachment a = mail.attachment();
        return tx.preparedQuery(ENQUEUE)
                .execute(Tuple.tuple()
                        .addValue(mail.dedupeKey())
                        .addValue(mail.to())
                        .addValue(mail.subject())
                        .addValue(mail.text())
                        .addValue(now.atOffset(ZoneOffset.UTC))
                        .addValue(a == null ? null : a.name())
                        .addValue(a == null ? null : a.contentType())
                        .addValue(a == null ? null : a.body())
                        .addValue((short) mail.lane().priority))
                .mapEmpty();
    }
}
