package org.knowmad.web;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Remembers the first answer to a state-changing request by its idempotency key (per account), in the same
 * transaction as the change, so a retry, a double click or a reload after POST repeats the first answer
 * instead of the action. Every service runs its keyed actions through {@link #transaction}; see {@link Idempotent}.
 * The one exception is a meetup registration: registrations that arrive together go to the database as one
 * statement, which claims each one's key with its answer (V039; the answer does not depend on the outcome) and
 * reports the keys used before, answered with {@link #repeated}.
 */
public final class IdempotencyStore {

    /** How long a key is remembered; an older key is as good as new (and the periodic job deletes it). */
    public static final Duration KEEP = Duration.ofHours(24);

    /*
     * The claim is the transaction's first statement. A concurrent request with the same key blocks on the
     * unique index until the first commits (then it sees the conflict: no row returned) or rolls back (then
     * its own insert goes through). An expired key is taken over as if it were new.
     */
    private static final String CLAIM = """
            INSERT INTO idempotency_key (account_id, key, path, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (account_id, key) DO UPDATE
               SET path = EXCLUDED.path, created_at = EXCLUDED.created_at, status = NULL, location = NULL, body = NULL
             WHERE idempotency_key.created_at < $5
            RETURNING true""";
    private static final String FIND = "SELECT path, status, location, body FROM idempotency_key WHERE account_id = $1 AND key = $2";
    private static final String ANSWER = "UPDATE idempotency_key SET status = $3, location = $4, body = $5 WHERE account_id = $1 AND key = $2";
    private static final String EXPIRE = "DELETE FROM idempotency_key WHERE created_at < $1";

    /**
     * Runs {@code work} as one transaction under the request's key: claims the key first, then does the work
     * and stores its answer before commit. A key used before fails with {@link Idempotent.Repeat} carrying
     * the first answer (nothing is done); for another action (method or path) with 422. Without a key it is a plain
     * transaction.
     */
    public <T> Future<T> transaction(Pool pool, Idempotent<T> once, Instant now, Function<SqlConnection, Future<T>> work) {
        if (once == null || !once.key().present()) return pool.withTransaction(work);
        Idempotent.Key key = once.key();
        return pool.withTransaction(tx -> tx.preparedQuery(CLAIM)
                .execute(Tuple.of(key.accountId(), key.value(), key.action(), utc(now), utc(now.minus(KEEP))))
                .compose(claimed -> {
                    if (claimed.rowCount() == 0) return repeated(tx, key);
                    return work.apply(tx).compose(result -> {
                        Idempotent.Answer a = once.answer(result);
                        return tx.preparedQuery(ANSWER)
                                .execute(Tuple.of(key.accountId(), key.value(), a.status(), a.location(), a.body()))
                                .map(result);
                    });
                }));
    }

    /**
     * The first answer to a key used before, read after the first request committed (READ COMMITTED: this statement
     * sees it): fails with {@link Idempotent.Repeat} carrying it, or 422 when the key was used for another action. Also
     * for an action that claims its key in a statement of its own (a meetup registration, V039).
     */
    public <T> Future<T> repeated(SqlClient tx, Idempotent.Key key) {
        return tx.preparedQuery(FIND).execute(Tuple.of(key.accountId(), key.value())).compose(rows -> {
            // Gone meanwhile (expired and deleted between the two statements): let the client try again.
            if (rows.size() == 0) return Future.failedFuture(new HttpProblem(409, "error.idempotencyRetry"));
            Row row = rows.iterator().next();
            String action = row.getString("path");
            // Keys from before paths were stored (form posts) carry no path: their location is their answer.
            if (action != null && !sameAction(action, key.action())) {
                return Future.failedFuture(new HttpProblem(422, "error.idempotencyOtherPath", key.action(), action));
            }
            Integer status = row.getInteger("status");
            return Future.failedFuture(new Idempotent.Repeat(new Idempotent.Answer(status == null ? 303 : status,
                    row.getString("location"), row.getString("body"))));
        });
    }

    /**
     * Whether a stored key's action (column {@code path}) is this request's. Keys stored before the method was part
     * of it (December 2026) carry the path alone and match any method on that path, as they did, until they expire.
     */
    static boolean sameAction(String stored, String action) {
        return stored.equals(action) || stored.indexOf(' ') < 0 && action.endsWith(" " + stored);
    }

    /** Forgets keys older than {@link #KEEP}; answers how many. Run by a periodic job. */
    public Future<Integer> expire(SqlClient db, Instant now) {
        return db.preparedQuery(EXPIRE).execute(Tuple.of(utc(now.minus(KEEP)))).map(rows -> rows.rowCount());
    }

    private static java.time.OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
