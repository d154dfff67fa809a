package org.knowmad.notify;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Personal calendar addresses: the hash of each person's secret, when it was made and last fetched. */
public final class CalendarFeedStore {

    /** A new secret replaces the old one: the old address stops working at once. */
    private static final String PUT = """
            INSERT INTO calendar_feed (account_id, secret_hash, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (account_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, created_at = EXCLUDED.created_at,
                                                   last_used_at = NULL""";

    private static final String DELETE = "DELETE FROM calendar_feed WHERE account_id = $1";

    private static final String STATE = "SELECT created_at, last_used_at FROM calendar_feed WHERE account_id = $1";

    /** Whose address this is; touching last_used_at at most once a minute keeps polling apps from writing on every fetch. */
    private static final String USE = """
            UPDATE calendar_feed SET last_used_at = $2
            WHERE secret_hash = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')
            RETURNING account_id""";

    private static final String OWNER = "SELECT account_id FROM calendar_feed WHERE secret_hash = $1";

    public record State(Instant createdAt, Instant lastUsedAt) {
    }

    public Future<Void> put(SqlClient db, long accountId, byte[] secretHash, Instant now) {
        return db.preparedQuery(PUT).execute(Tuple.of(accountId, Buffer.buffer(secretHash), now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<Boolean> delete(SqlClient db, long accountId) {
        return db.preparedQuery(DELETE).execute(Tuple.of(accountId)).map(rows -> rows.rowCount() > 0);
    }

    public Future<Optional<State>> state(SqlClient db, long accountId) {
        return db.preparedQuery(STATE).execute(Tuple.of(accountId)).map(rows -> {
            if (rows.size() == 0) return Optional.empty();
            Row r = rows.iterator().next();
            return Optional.of(new State(r.getOffsetDateTime("created_at").toInstant(),
                    r.getOffsetDateTime("last_used_at") == null ? null : r.getOffsetDateTime("last_used_at").toInstant()));
        });
    }

    /** The account behind a secret, if it is a live address. */
    public Future<Optional<Long>> owner(SqlClient db, byte[] secretHash, Instant now) {
        Buffer hash = Buffer.buffer(secretHash);
        return db.preparedQuery(USE).execute(Tuple.of(hash, now.atOffset(ZoneOffset.UTC))).compose(rows -> {
            if (rows.size() > 0) return Future.succeededFuture(Optional.of(rows.iterator().next().getLong("account_id")));
            return db.preparedQuery(OWNER).execute(Tuple.of(hash))
                    .map(again -> again.size() == 0 ? Optional.<Long>empty() : Optional.of(again.iterator().next().getLong("account_id")));
        });
    }
}
