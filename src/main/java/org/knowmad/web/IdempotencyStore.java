package org.knowmad.web;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Remembers the answer to a form post by its idempotency key (a hidden field every form carries), so a
 * double click or a reload after POST repeats the first answer instead of the action.
 */
public final class IdempotencyStore {

    private static final String FIND = "SELECT location FROM idempotency_key WHERE account_id = $1 AND key = $2";
    private static final String SAVE = """
            INSERT INTO idempotency_key (account_id, key, location, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING""";

    /** Where the first request with this key was sent, if there was one. */
    public Future<Optional<String>> previous(SqlClient db, long accountId, String key) {
        if (key == null || key.isBlank()) return Future.succeededFuture(Optional.empty());
        return db.preparedQuery(FIND).execute(Tuple.of(accountId, key))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /** Records the answer in the same transaction as the action. */
    public Future<Void> save(SqlClient tx, long accountId, String key, String location, Instant now) {
        if (key == null || key.isBlank()) return Future.succeededFuture();
        if (key.length() > 100) return Future.failedFuture(HttpProblem.badRequest("error.badRequest"));
        return tx.preparedQuery(SAVE).execute(Tuple.of(accountId, key, location, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }
}
