package org.knowmad.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued mail. Every node runs one.
 *
 * <ul>
 *   <li><b>Claims</b>: a round claims a batch with {@code FOR UPDATE SKIP LOCKED} (two nodes never take the same
 *       message), the transactional lane first ({@link Mail.Lane}), under a short lease ({@link #LEASE}) that this
 *       node renews every {@link #HEARTBEAT} while it works on the message. A node that dies stops renewing, so its
 *       claims are free again within the lease, not minutes later.</li>
 *   <li><b>Marked sent per message</b>, as soon as the server accepted it (acceptances that arrive together share one
 *       statement): a crash re-sends at most the messages in flight, and their stable {@code Message-ID}
 *       ({@code <outbox-ID@knowmad>}) lets the receiving side drop the copy.</li>
 *   <li><b>Bounded time</b>: SMTP connect/idle timeouts ({@link SmtpSettings}), a deadline per message (a send that
 *       takes longer counts as failed and is retried later) and per round (after it, the round stops starting
 *       sends, hands back what it did not start, and the next round may run); once a send found the server
 *       silent, the round hands back the rest rather than line it up behind it. A hung server cannot stop the
 *       mail of a node for good, nor burn every mail's attempts.</li>
 *   <li><b>Parallel</b>: up to {@link SmtpSettings#connections()} messages in flight, each on its own kept-alive
 *       connection; a round that was full is followed at once by the next, so a backlog drains without waiting
 *       for the timer.</li>
 * </ul>
 * A failed send is retried with exponential backoff (1 min, 2 min, 4 min ... up to 6 h) and given up after
 * {@value #MAX_ATTEMPTS} attempts. Without {@code SMTP_URL} mail is only marked delivered and read at
 * {@code /dev/mail}. A mail's one optional attachment (e.g. a calendar invite) goes along as a MIME part.
 * All state lives on one Vert.x context, so none of it needs locks.
 */
public final class MailSender {

    static final int MAX_ATTEMPTS = 10;
    /** How long a claim holds without renewal: the longest a dead node's mail waits before another node takes it. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How often the live node renews the claims it works on: three chances within one lease. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);
    private static final String NO_ANSWER = "no answer";

    private static final String CLAIM = """
            WITH claimed AS (
            UPDATE outbox SET claimed_until = $1::timestamptz + $4 * interval '1 millisecond', claimed_by = $3, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
                  AND (claimed_until IS NULL OR claimed_until < $1)
                ORDER BY priority, next_attempt_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            RETURNING id, priority, next_attempt_at, to_email, subject, body_text, attempts, attachment_name, attachment_type, attachment_body
            )
            -- RETURNING comes in no particular order: the fast lane is sent first within the round too.
            SELECT * FROM claimed ORDER BY priority, next_attempt_at, id""";

    /** Renews this node's leases on what it is still working on. */
    private static final String RENEW = """
            UPDATE outbox SET claimed_until = $2::timestamptz + $4 * interval '1 millisecond'
            WHERE id = ANY($1) AND claimed_by = $3 AND sent_at IS NULL""";

    private static final String MARK_SENT = """
            UPDATE outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL WHERE id = ANY($1) AND sent_at IS NULL""";

    private static final String MARK_FAILED = """
            UPDATE outbox o SET claimed_until = NULL, last_error = f.error,
                   next_attempt_at = f.next_attempt_at,
                   failed_at = CASE WHEN o.attempts >= $4 THEN $5 END
            FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS f(id, error, next_attempt_at)
            WHERE o.id = f.id AND o.sent_at IS NULL""";

    /** Hands back claims a round never started (its deadline passed): free at once, the attempt not counted. */
    private static final String RELEASE = """
            UPDATE outbox SET claimed_until = NULL, claimed_by = NULL, attempts = attempts - 1
            WHERE id = ANY($1) AND claimed_by = $2 AND sent_at IS NULL""";

    /** Due, unsent mail per lane and the age of the oldest: for /health and the metrics. */
    private static final String BACKLOG = """
            SELECT priority, count(*) AS due, min(next_attempt_at) AS oldest FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
            GROUP BY priority""";

    private final Pool pool;
    private final Clock clock;
    private final Vertx vertx;
    private final Context context;
    private final MailClient client; // null: development outbox
    private final String from;
    private final String node = UUID.randomUUID().toString();
    private final int parallel;
    private final int claimSize;
    private final Duration sendTimeout;
    private final Duration roundDeadline;
    private final Counter sentTransactional;
    private final Counter sentBulk;
    private final Counter failedCount;
    private final Counter timeoutCount;
    private final Counter roundsAbandoned;

    // State below is touched on `context` only.
    /** Claimed by this node and not yet recorded as sent or failed: what the heartbeat renews. */
    private final Set<Long> working = new LinkedHashSet<>();
    private final List<Long> sentToRecord = new ArrayList<>();
    private final List<Promise<Void>> sentWaiting = new ArrayList<>();
    private final List<Failure> failedToRecord = new ArrayList<>();
    private boolean recording;
    private boolean running;
    private long heartbeatTimer = -1;
    private boolean closed;

    private volatile SmtpStatus status = new SmtpStatus(false, null, null, null, 0);
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * What {@code /health} shows about mail on this node.
     *
     * @param configured  whether there is an SMTP server at all (without, mail goes to {@code /dev/mail})
     * @param lastSuccess when the server last accepted a message from this node (null: not since start)
     * @param lastFailure when a send last failed (null: not since start)
     * @param lastError   why it failed
     * @param inFlight    messages being sent right now
     */
    public record SmtpStatus(boolean configured, Instant lastSuccess, Instant lastFailure, String lastError, long inFlight) {

        /** Whether the last attempt went through (or nothing has failed yet). */
        public boolean ok() {
            return lastFailure == null || (lastSuccess != null && lastSuccess.isAfter(lastFailure));
        }
    }

    /** Due mail per lane: how many, and since when the oldest has been waiting. */
    public record Backlog(long transactional, long bulk, Instant oldestTransactional, Instant oldestBulk) {
    }

    private record Failure(long id, String error, OffsetDateTime retryAt, Promise<Void> recorded) {
    }

    public MailSender(Vertx vertx, Pool pool, Clock clock, SmtpSettings smtp, MeterRegistry metrics) {
        this.pool = pool;
        this.clock = clock;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = smtp == null ? null : MailClient.create(vertx, smtp.config());
        this.from = smtp == null ? "Knowmad <knowmad@localhost>" : smtp.from();
        this.parallel = smtp == null ? 1 : smtp.connections();
        this.sendTimeout = smtp == null ? Duration.ofMillis(SmtpSettings.DEFAULT_TIMEOUT_MS) : smtp.timeout();
        // A round holds a few dozen messages per connection: big enough that claiming is a small share of the work
        // (OutboxBench), small enough that a sign-in link queued meanwhile waits a fraction of a second.
        this.claimSize = smtp == null ? 200 : Math.max(20, parallel * 16);
        // Long enough for a slow but working server to finish a full round, short enough that a stuck one lets go.
        this.roundDeadline = sendTimeout.multipliedBy(2).plusSeconds(10);
        Counter.Builder sent = Counter.builder("knowmad.mail.sent").description("Mails delivered by this node");
        this.sentTransactional = sent.tag("lane", "transactional").register(metrics);
        this.sentBulk = sent.tag("lane", "bulk").register(metrics);
        this.failedCount = Counter.builder("knowmad.mail.failed").description("Failed delivery attempts on this node").register(metrics);
        this.timeoutCount = Counter.builder("knowmad.mail.timeouts").description("Sends given up after the SMTP timeout").register(metrics);
        this.roundsAbandoned = Counter.builder("knowmad.mail.rounds.abandoned")
                .description("Delivery rounds that passed their deadline and let the next round run").register(metrics);
        Gauge.builder("knowmad.mail.in_flight", inFlight, AtomicLong::get).description("Messages being sent by this node now").register(metrics);
        Gauge.builder("knowmad.mail.last_success_seconds", this, s -> s.status.lastSuccess() == null ? 0 : s.status.lastSuccess().getEpochSecond())
                .description("When the SMTP server last accepted a message from this node (epoch seconds, 0: never)").register(metrics);
        Gauge.builder("knowmad.mail.last_failure_seconds", this, s -> s.status.lastFailure() == null ? 0 : s.status.lastFailure().getEpochSecond())
                .description("When a send from this node last failed (epoch seconds, 0: never)").register(metrics);
    }

    /** Last success, last error and messages in flight on this node: for {@code /health}. */
    public SmtpStatus smtpStatus() {
        SmtpStatus s = status;
        return new SmtpStatus(client != null, s.lastSuccess(), s.lastFailure(), s.lastError(), inFlight.get());
    }

    /** Due mail per lane (one query): for {@code /health} ("outbox age") and alerts. */
    public Future<Backlog> backlog() {
        return pool.preparedQuery(BACKLOG).execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC))).map(rows -> {
            long[] due = new long[2];
            Instant[] oldest = new Instant[2];
            for (Row r : rows) {
                int lane = r.getShort("priority") == 0 ? 0 : 1;
                due[lane] = r.getLong("due");
                oldest[lane] = r.getOffsetDateTime("oldest").toInstant();
            }
            return new Backlog(due[0], due[1], oldest[0], oldest[1]);
        });
    }

    /**
     * Sends what is due, round after round while rounds come back full; answers how many were delivered. A call
     * while a round runs is skipped (answers 0); a round past its deadline no longer counts as running.
     */
    public Future<Integer> sendDue() {
        return exclusively(() -> drain(0));
    }

    /** One round only (a claim and its sends), however full: for tests that look at what goes first. */
    Future<Integer> sendRound() {
        return exclusively(() -> round().map(RoundResult::sent));
    }

    /** Runs {@code work} on the sender's context unless a round is already running there (then answers 0). */
    private Future<Integer> exclusively(java.util.function.Supplier<Future<Integer>> work) {
        Promise<Integer> done = Promise.promise();
        context.runOnContext(v -> {
            if (running || closed) {
                done.complete(0);
                return;
            }
            running = true;
            work.get().onComplete(ar -> {
                running = false;
                if (ar.failed()) LOG.warn("mail delivery round failed: {}", ar.cause().toString());
                done.handle(ar);
            });
        });
        return done.future();
    }

    private Future<Integer> drain(int sentSoFar) {
        if (closed) return Future.succeededFuture(sentSoFar);
        return round().compose(r -> r.full() && !r.abandoned() ? drain(sentSoFar + r.sent()) : Future.succeededFuture(sentSoFar + r.sent()));
    }

    private record RoundResult(int sent, boolean full, boolean abandoned) {
    }

    /** One claim and its sends; completes when every message is recorded, or at the round's deadline. */
    private Future<RoundResult> round() {
        Instant now = clock.instant();
        return pool.preparedQuery(CLAIM).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), claimSize, node, LEASE.toMillis())).compose(rows -> {
            ArrayDeque<Row> queue = new ArrayDeque<>();
            rows.forEach(queue::add);
            if (queue.isEmpty()) return Future.succeededFuture(new RoundResult(0, false, false));
            boolean full = queue.size() >= claimSize;
            queue.forEach(r -> working.add(r.getLong("id")));
            startHeartbeat();
            Promise<RoundResult> result = Promise.promise();
            int[] sent = {0};
            int[] active = {0};
            int[] unrecorded = {queue.size()};
            boolean[] gaveUp = {false};
            Runnable[] next = new Runnable[1];
            long deadline = vertx.setTimer(roundDeadline.toMillis(), t -> {
                if (result.future().isComplete()) return;
                // What is in flight keeps its own timeout and heartbeat and is recorded when it ends; the next round
                // may run meanwhile.
                roundsAbandoned.increment();
                handBack(queue, "the round passed its deadline of " + roundDeadline.toSeconds() + " s")
                        .onComplete(ar -> result.tryComplete(new RoundResult(sent[0], full, true)));
            });
            Runnable doneIfRecorded = () -> {
                if (unrecorded[0] == 0) {
                    vertx.cancelTimer(deadline);
                    result.tryComplete(new RoundResult(sent[0], full, gaveUp[0]));
                }
            };
            next[0] = () -> {
                while (active[0] < parallel && !queue.isEmpty()) {
                    Row row = queue.poll();
                    active[0]++;
                    inFlight.incrementAndGet();
                    send(row).onComplete(ar -> {
                        // send never fails; run on the context so that a send that answered at once does not recurse
                        context.runOnContext(v -> {
                            active[0]--;
                            inFlight.decrementAndGet();
                            String error = ar.result();
                            if (error == null) {
                                sent[0]++;
                                (row.getShort("priority") == 0 ? sentTransactional : sentBulk).increment();
                            } else if (error.startsWith(NO_ANSWER) && !queue.isEmpty()) {
                                // The server has stopped answering: do not line the rest of the round up behind it
                                // (each would burn an attempt). They go back, unattempted; the next tick tries again.
                                gaveUp[0] = true;
                                int handedBack = queue.size();
                                handBack(queue, "the SMTP server did not answer").onComplete(x -> {
                                    unrecorded[0] -= handedBack;
                                    doneIfRecorded.run();
                                });
                            }
                            record(row, error).onComplete(x -> {
                                unrecorded[0]--;
                                doneIfRecorded.run();
                            });
                            next[0].run();
                        });
                    });
                }
            };
            next[0].run();
            return result.future();
        });
    }

    /** Stops starting the round's sends and frees what it had not started at once, the attempt not counted. */
    private Future<Void> handBack(ArrayDeque<Row> queue, String why) {
        List<Long> unstarted = queue.stream().map(r -> r.getLong("id")).toList();
        queue.clear();
        if (unstarted.isEmpty()) return Future.succeededFuture();
        unstarted.forEach(working::remove);
        LOG.warn("mail: {}; {} unsent mails handed back", why, unstarted.size());
        // Should this fail, the claims simply run out with their lease.
        return pool.preparedQuery(RELEASE).execute(Tuple.of(unstarted.toArray(Long[]::new), node))
                .onFailure(e -> LOG.warn("could not hand back mail claims: {}", e.toString()))
                .<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    /** Answers null when the server accepted the message, else why not. Never fails, never takes longer than the timeout. */
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
        // The client's idle timeout ends a silent connection, but waiting for a free connection has no limit of its
        // own: this bounds the whole send.
        long started = System.nanoTime(); // a duration, not a time of day: the clock is not for this
        return client.sendMail(message).timeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .map(r -> {
                    status = new SmtpStatus(true, clock.instant(), status.lastFailure(), status.lastError(), 0);
                    return (String) null;
                })
                .recover(e -> {
                    // Our own deadline, or the client's idle timeout closing the connection just before it.
                    boolean silent = e instanceof java.util.concurrent.TimeoutException
                            || System.nanoTime() - started >= sendTimeout.toNanos() * 9 / 10;
                    String error = silent ? NO_ANSWER + " within " + sendTimeout.toMillis() + " ms (" + e.getMessage() + ")" : String.valueOf(e.getMessage());
                    if (silent) timeoutCount.increment();
                    status = new SmtpStatus(true, status.lastSuccess(), clock.instant(), error, 0);
                    return Future.succeededFuture(error);
                });
    }

    /**
     * Records a message as sent (error null) or failed; messages that end while a record is being written share the
     * next statement. Completes once written.
     */
    private Future<Void> record(Row row, String error) {
        Promise<Void> p = Promise.promise();
        if (error == null) {
            sentToRecord.add(row.getLong("id"));
            sentWaiting.add(p);
        } else {
            int attempts = row.getInteger("attempts");
            failedCount.increment();
            LOG.warn("Mail {} to {} failed (attempt {}): {}", row.getLong("id"), row.getString("to_email"), attempts, error);
            failedToRecord.add(new Failure(row.getLong("id"), error, clock.instant().plus(backoff(attempts)).atOffset(ZoneOffset.UTC), p));
        }
        flush();
        return p.future();
    }

    private void flush() {
        if (recording || (sentToRecord.isEmpty() && failedToRecord.isEmpty())) return;
        recording = true;
        List<Long> sent = new ArrayList<>(sentToRecord);
        List<Promise<Void>> waiting = new ArrayList<>(sentWaiting);
        List<Failure> failed = new ArrayList<>(failedToRecord);
        sentToRecord.clear();
        sentWaiting.clear();
        failedToRecord.clear();
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        Future<?> a = sent.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(MARK_SENT).execute(Tuple.of(sent.toArray(Long[]::new), now));
        Future<?> b = failed.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(MARK_FAILED).execute(Tuple.of(failed.stream().map(Failure::id).toArray(Long[]::new),
                        failed.stream().map(Failure::error).toArray(String[]::new),
                        failed.stream().map(Failure::retryAt).toArray(OffsetDateTime[]::new), MAX_ATTEMPTS, now));
        Future.join(a, b).onComplete(ar -> {
            recording = false;
            if (a.succeeded()) {
                sent.forEach(working::remove);
                waiting.forEach(Promise::tryComplete);
            } else {
                // Still claimed and renewed by us: try again shortly. Should this node die first, the lease runs out
                // and the message goes out again (the Message-ID lets the receiver drop it).
                LOG.warn("could not record {} sent mails: {}", sent.size(), a.cause().toString());
                sentToRecord.addAll(sent);
                sentWaiting.addAll(waiting);
            }
            if (b.succeeded()) {
                failed.forEach(f -> {
                    working.remove(f.id());
                    f.recorded().tryComplete();
                });
            } else {
                LOG.warn("could not record {} failed mails: {}", failed.size(), b.cause().toString());
                failedToRecord.addAll(failed);
            }
            if (a.failed() || b.failed()) {
                if (!closed) vertx.setTimer(1_000, t -> flush());
            } else {
                flush();
            }
        });
    }

    private void startHeartbeat() {
        if (heartbeatTimer >= 0 || closed) return;
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT.toMillis(), t -> {
            if (working.isEmpty()) {
                vertx.cancelTimer(heartbeatTimer);
                heartbeatTimer = -1;
                return;
            }
            renewOnContext();
        });
    }

    /** Extends this node's leases on everything it still works on (what the heartbeat runs; tests call it too). */
    Future<Void> renew() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> renewOnContext().onComplete(done));
        return done.future();
    }

    private Future<Void> renewOnContext() {
        if (working.isEmpty()) return Future.succeededFuture();
        return pool.preparedQuery(RENEW).execute(Tuple.of(working.toArray(Long[]::new), clock.instant().atOffset(ZoneOffset.UTC), node,
                        LEASE.toMillis()))
                .onFailure(e -> LOG.warn("could not renew mail claims: {}", e.toString()))
                .mapEmpty();
    }

    static Duration backoff(int attempts) {
        long minutes = 1L << Math.min(Math.max(attempts - 1, 0), 9); // 1, 2, 4 ... 512
        return Duration.ofMinutes(Math.min(minutes, 360));
    }

    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
            done.complete();
        });
        return done.future().compose(v -> client == null ? Future.succeededFuture() : client.close());
    }
}
