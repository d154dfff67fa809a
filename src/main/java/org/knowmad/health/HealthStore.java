package org.knowmad.health;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The two questions {@code /health} asks the database; both are answered from an index or no table at all. */
final class HealthStore {

    private static final String PING = "SELECT 1";

    // Served by the partial index outbox_due (V003).
    private static final String OLDEST_DUE_MAIL = """
            SELECT min(next_attempt_at) AS oldest FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1""";

    Future<Void> ping(SqlClient db) {
        return db.query(PING).execute().mapEmpty();
    }

    /** When the longest-waiting mail that is due became due; empty when none is waiting. */
    Future<Optional<Instant>> oldestDueMail(SqlClient db, Instant now) {
        return db.preparedQuery(OLDEST_DUE_MAIL).execute(Tuple.of(now.atOffset(ZoneOffset.UTC))).map(rows -> {
            Row row = rows.iterator().next();
            OffsetDateTime oldest = row.getOffsetDateTime("oldest");
            return Optional.ofNullable(oldest).map(OffsetDateTime::toInstant);
        });
    }
}
