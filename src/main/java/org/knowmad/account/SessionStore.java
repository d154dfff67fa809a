package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sessions live in PostgreSQL, so any node can serve any request and signing out ends the session
 * everywhere. API tokens are read here too: both answer "who is this request from?".
 */
public final class SessionStore {

    public static final Duration SESSION_LENGTH = Duration.ofDays(30);
    /** How long a new API token works unless its maker chose otherwise. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(90);
    /** The longest lifetime a token may be given: a forgotten token should not outlive its purpose by years. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);

    private static final String CREATE = """
            INSERT INTO session (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)""";

    private static final String FIND = """
            SELECT a.id, a.email, a.name, a.language
            FROM session s JOIN account a ON a.id = s.account_id
            WHERE s.token_hash = $1 AND s.expires_at > $2""";

    private static final String DELETE = "DELETE FROM session WHERE token_hash = $1";

    /** Every session of the account, expired ones included (they are dead weight anyway). */
    private static final String DELETE_ALL = "DELETE FROM session WHERE account_id = $1";

    private static final String COUNT_ACTIVE = "SELECT count(*) AS n FROM session WHERE account_id = $1 AND expires_at > $2";

    private static final String CREATE_TOKEN = """
            INSERT INTO api_token (token_hash, account_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
            RETURNING id""";

    /** Never the hash: a token is shown once, when it is made; afterwards only what it is for and when. */
    private static final String LIST_TOKENS = """
            SELECT id, label, created_at, last_used_at, expires_at FROM api_token
            WHERE account_id = $1 ORDER BY created_at DESC, id DESC""";

    private static final String REVOKE_TOKEN = "DELETE FROM api_token WHERE id = $1 AND account_id = $2";

    /**
     * Finds a token's account, if the token has not expired; "last used" is written at most once a minute,
     * so busy clients don't queue on one row.
     */
    private static final String FIND_TOKEN = """
            WITH found AS (SELECT token_hash, account_id, last_used_at FROM api_token WHERE token_hash = $1 AND expires_at > $2),
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

    /** Ends every session of the account ("sign out everywhere"); answers how many were still active or not. */
    public Future<Integer> deleteAll(SqlClient db, long accountId) {
        return db.preparedQuery(DELETE_ALL).execute(Tuple.of(accountId)).map(rows -> rows.rowCount());
    }

    public Future<Long> countActive(SqlClient db, long accountId, Instant now) {
        return db.preparedQuery(COUNT_ACTIVE).execute(Tuple.of(accountId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Creates a personal API token that works until {@code now + lifetime}; answers it once (only its hash is stored). */
    public Future<String> createApiToken(SqlClient db, long accountId, String label, Instant now, Duration lifetime) {
        String token = "kmd_" + Tokens.random();
        return db.preparedQuery(CREATE_TOKEN)
                .execute(Tuple.of(Tokens.hash(token), accountId, label, now.atOffset(ZoneOffset.UTC),
                        now.plus(lifetime).atOffset(ZoneOffset.UTC)))
                .map(token);
    }

    /** A token as its owner sees it: what it is for and when it was made, used and ends; never the secret or its hash. */
    public record ApiToken(long id, String label, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {
        public boolean expired(Instant now) {
            return !expiresAt.isAfter(now);
        }
    }

    public Future<List<ApiToken>> listApiTokens(SqlClient db, long accountId) {
        return db.preparedQuery(LIST_TOKENS).execute(Tuple.of(accountId)).map(rows -> {
            List<ApiToken> out = new ArrayList<>();
            rows.forEach(r -> out.add(new ApiToken(r.getLong("id"), r.getString("label"),
                    r.getOffsetDateTime("created_at").toInstant(),
                    r.getOffsetDateTime("last_used_at") == null ? null : r.getOffsetDateTime("last_used_at").toInstant(),
                    r.getOffsetDateTime("expires_at").toInstant())));
            return out;
        });
    }

    /** Deletes one of the account's tokens; false when it has no token with that id (someone else's counts as none). */
    public Future<Boolean> revokeApiToken(SqlClient db, long accountId, long tokenId) {
        return db.preparedQuery(REVOKE_TOKEN).execute(Tuple.of(tokenId, accountId)).map(rows -> rows.rowCount() > 0);
    }

    public Future<Optional<Account>> findByApiToken(SqlClient db, String token, Instant now) {
        return db.preparedQuery(FIND_TOKEN).execute(Tuple.of(Tokens.hash(token), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(Account.from(rows.iterator().next())));
    }
}
