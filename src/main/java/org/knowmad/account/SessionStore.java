package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Sessions live in PostgreSQL, so any node can serve any request and signing out ends the session
 * everywhere. API tokens are read here too: both answer "who is this request from?".
 */
public final class SessionStore {

    public static final Duration SESSION_LENGTH = Duration.ofDays(30);

    private static final String CREATE = """
            INSERT INTO session (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)""";

    private static final String FIND = """
            SELECT a.id, a.email, a.name, a.language
            FROM session s JOIN account a ON a.id = s.account_id
            WHERE s.token_hash = $1 AND s.expires_at > $2""";

    private static final String DELETE = "DELETE FROM session WHERE token_hash = $1";

    private static final String CREATE_TOKEN = """
            INSERT INTO api_token (token_hash, account_id, label, created_at) VALUES ($1, $2, $3, $4)""";

    /** Finds a token's account; "last used" is written at most once a minute, so busy clients don't queue on one row. */
    private static final String FIND_TOKEN = """
            WITH found AS (SELECT token_hash, account_id, last_used_at FROM api_token WHERE token_hash = $1),
            touched AS (
                UPDATE api_token t SET last_used_at = $2 FROM found
                WHERE t.token_hash = found.token_hash
                  AND (found.last_used_at IS NULL OR found.last_used_at < $2::timestamptz - interval '1 minute')
            )
            SELECT a.id, a.email, a.name, a.language FROM found JOIN account a ON a.id = found.account_id""";

    /** Starts a session; answers the secret for the cookie (only its hash is stored). */
    public Future<String> create(SqlClient db, long accountId, Instant now) {
        String token = Tokens.random();
        return db.preparedQuery(CREATE)
                .execute(Tuple.of(Tokens.hash(token), accountId, now.atOffset(ZoneOffset.UTC),
                        now.plus(SESSION_LENGTH).atOffset(ZoneOffset.UTC)))
                .map(token);
    }

    public Future<Optional<Account>> find(SqlClient db, String token, Instant now) {
        return db.preparedQuery(FIND).execute(Tuple.of(Tokens.hash(token), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(Account.from(rows.iterator().next())));
    }

    public Future<Void> delete(SqlClient db, String token) {
        return db.preparedQuery(DELETE).execute(Tuple.of(Tokens.hash(token))).mapEmpty();
    }

    /** Creates a personal API token; answers it once (only its hash is stored). */
    public Future<String> createApiToken(SqlClient db, long accountId, String label, Instant now) {
        String token = "kmd_" + Tokens.random();
        return db.preparedQuery(CREATE_TOKEN)
                .execute(Tuple.of(Tokens.hash(token), accountId, label, now.atOffset(ZoneOffset.UTC)))
                .map(token);
    }

    public Future<Optional<Account>> findByApiToken(SqlClient db, String token, Instant now) {
        return db.preparedQuery(FIND_TOKEN).execute(Tuple.of(Tokens.hash(token), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(Account.from(rows.iterator().next())));
    }
}
