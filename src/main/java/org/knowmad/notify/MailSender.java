package org.knowmad.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued mail. Every node runs one; a batch is claimed with {@code FOR UPDATE SKIP LOCKED}
 * and a lease, so two nodes never take the same message. A failed send is retried with exponential
 * backoff (1 min, 2 min, 4 min ... up to 6 h) and given up after {@value #MAX_ATTEMPTS} attempts.
 * Without {@code SMTP_URL} mail is only marked delivered and read at {@code /dev/mail}. A mail's one
 * optional attachment (e.g. a calendar invite) goes along as a MIME part.
 */
public final class MailSender {

    static final int MAX_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

    private static final String CLAIM = """
            UPDATE outbox SET claimed_until = $1 + interval '5 minutes', attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                  AND (claimed_until IS NULL OR claimed_until < $1)
                ORDER BY next_attempt_at
                LIMIT 50
                FOR UPDATE SKIP LOCKED)
            RETURNING id, to_email, subject, body_text, attempts, attachment_name, attachment_type, attachment_body""";

    private static final String MARK_SENT = """
            UPDATE outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL WHERE id = ANY($1)""";

    private static final String MARK_FAILED = """
            UPDATE outbox o SET claimed_until = NULL, last_error = f.error,
                   next_attempt_at = f.next_attempt_at,
                   failed_at = CASE WHEN o.attempts >= $4 THEN $5 END
            FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS f(id, error, next_attempt_at)
            WHERE o.id = f.id""";

    private final Pool pool;
    private final Clock clock;
    private final MailClient client; // null: development outbox
    private final String from;
    private final Counter sentCount;
    private final Counter failedCount;
    private boolean running;

    public MailSender(Vertx vertx, Pool pool, Clock clock, SmtpSettings smtp, MeterRegistry metrics) {
        this.sentCount = Counter.builder("knowmad.mail.sent").description("Mails delivered by this node").register(metrics);
        this.failedCount = Counter.builder("knowmad.mail.failed").description("Failed delivery attempts on this node").register(metrics);
        this.pool = pool;
        this.clock = clock;
        this.client = smtp == null ? null : MailClient.create(vertx, smtp.config());
        this.from = smtp == null ? "Knowmad <knowmad@localhost>" : smtp.from();
    }

    /** Sends what is due; answers how many were delivered. Overlapping calls on one node are skipped. */
    public Future<Integer> sendDue() {
        if (running) return Future.succeededFuture(0);
        running = true;
        Instant now = clock.instant();
        return pool.preparedQuery(CLAIM).execute(Tuple.of(now.atOffset(ZoneOffset.UTC)))
                .compose(rows -> {
                    List<Row> batch = new ArrayList<>();
                    rows.forEach(batch::add);
                    List<Future<String>> sends = batch.stream().map(this::send).toList();
                    return Future.join(sends).transform(ignored -> record(batch, sends, now));
                })
                .onComplete(ar -> {
                    running = false;
                    if (ar.failed()) LOG.warn("mail delivery round failed: {}", ar.cause().toString());
                });
    }

    /** Answers null when sent, else the error text. */
    private Future<String> send(Row row) {
        if (client == null) {
            LOG.info("Mail to {}: \"{}\" (development outbox: /dev/mail)", row.getString("to_email"), row.getString("subject"));
            return Future.succeededFuture(null);
        }
        MailMessage message = new MailMessage()
                .setFrom(from)
                .setTo(row.getString("to_email"))
                .setSubject(row.getString("subject"))
                .setText(row.getString("body_text"));
        // A stable Message-ID lets the receiving side drop a duplicate if we crash between send and commit.
        message.addHeader("Message-ID", "<outbox-" + row.getLong("id") + "@knowmad>");
        if (row.getString("attachment_body") != null) {
            // The client writes the name into name="..."/filename="..." as is: clean it so it cannot break the header.
            message.setAttachment(MailAttachment.create()
                    .setName(Mail.Attachment.headerSafe(row.getString("attachment_name")))
                    .setContentType(Mail.Attachment.headerSafeType(row.getString("attachment_type")))
                    .setData(Buffer.buffer(row.getString("attachment_body"), "UTF-8")));
        }
        return client.sendMail(message).map(r -> (String) null).recover(e -> Future.succeededFuture(String.valueOf(e.getMessage())));
    }

    private Future<Integer> record(List<Row> batch, List<Future<String>> sends, Instant now) {
        List<Long> sent = new ArrayList<>();
        List<Long> failedIds = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<java.time.OffsetDateTime> retryAt = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            String error = sends.get(i).succeeded() ? sends.get(i).result() : String.valueOf(sends.get(i).cause());
            if (error == null) {
                sent.add(row.getLong("id"));
            } else {
                failedIds.add(row.getLong("id"));
                errors.add(error);
                retryAt.add(now.plus(backoff(row.getInteger("attempts"))).atOffset(ZoneOffset.UTC));
                LOG.warn("Mail {} to {} failed (attempt {}): {}", row.getLong("id"), row.getString("to_email"), row.getInteger("attempts"), error);
            }
        }
        Future<?> a = sent.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(MARK_SENT).execute(Tuple.of(sent.toArray(Long[]::new), now.atOffset(ZoneOffset.UTC)));
        Future<?> b = failedIds.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(MARK_FAILED).execute(Tuple.of(failedIds.toArray(Long[]::new), errors.toArray(String[]::new),
                        retryAt.toArray(java.time.OffsetDateTime[]::new), MAX_ATTEMPTS, now.atOffset(ZoneOffset.UTC)));
        sentCount.increment(sent.size());
        failedCount.increment(failedIds.size());
        return Future.all(a, b).map(sent.size());
    }

    static Duration backoff(int attempts) {
        long minutes = 1L << Math.min(Math.max(attempts - 1, 0), 9); // 1, 2, 4 ... 512
        return Duration.ofMinutes(Math.min(minutes, 360));
    }

    public Future<Void> close() {
        return client == null ? Future.succeededFuture() : client.close();
    }
}
