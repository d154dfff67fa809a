package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** The only class that reads and writes {@code account}. */
public final class AccountStore {

    private static final String FIND_OR_CREATE = """
            WITH inserted AS (
                INSERT INTO account (email, created_at) VALUES ($1, $2)
                ON CONFLICT ((lower(email))) DO NOTHING
                RETURNING id, email, name, language)
            SELECT id, email, name, language FROM inserted
            UNION ALL
            SELECT id, email, name, language FROM account WHERE lower(email) = lower($1)
            LIMIT 1""";

    private static final String FIND_BY_EMAIL = "SELECT id, email, name, language FROM account WHERE lower(email) = lower($1)";

    private static final String FIND_BY_ID = "SELECT id, email, name, language FROM account WHERE id = $1";

    private static final String UPDATE_PROFILE = """
            UPDATE account SET name = $2, language = $3 WHERE id = $1
            RETURNING id, email, name, language""";

    private static final String SET_LANGUAGE = "UPDATE account SET language = $2 WHERE id = $1";

    /** Only where none was chosen yet: a choice made on the account elsewhere is not overwritten by a browser's cookie. */
    private static final String ADOPT_LANGUAGE = "UPDATE account SET language = $2 WHERE id = $1 AND language IS NULL";

    /** Finds the account for an address, creating it on first use (concurrent callers get the same row). */
    public Future<Account> findOrCreate(SqlClient db, String email, Instant now) {
        return db.preparedQuery(FIND_OR_CREATE)
                .execute(Tuple.of(email.trim(), now.atOffset(ZoneOffset.UTC)))
                .map(rows -> Account.from(rows.iterator().next()));
    }

    public Future<Optional<Account>> findByEmail(SqlClient db, String email) {
        return db.preparedQuery(FIND_BY_EMAIL).execute(Tuple.of(email.trim()))
                .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(Account.from(rows.iterator().next())));
    }

    public Future<Optional<Account>> findById(SqlClient db, long id) {
        return db.preparedQuery(FIND_BY_ID).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(Account.from(rows.iterator().next())));
    }

    public Future<Account> updateProfile(SqlClient db, long accountId, String name, String language) {
        return db.preparedQuery(UPDATE_PROFILE).execute(Tuple.of(accountId, name, language))
                .map(rows -> Account.from(rows.iterator().next()));
    }

    /** The person's interface language (the switcher's choice); mails to them follow it too. */
    public Future<Void> setLanguage(SqlClient db, long accountId, String language) {
        return db.preparedQuery(SET_LANGUAGE).execute(Tuple.of(accountId, language)).mapEmpty();
    }

    /** Keeps a language chosen before signing in (the cookie), unless the account already has one. */
    public Future<Void> adoptLanguage(SqlClient db, long accountId, String language) {
        return db.preparedQuery(ADOPT_LANGUAGE).execute(Tuple.of(accountId, language)).mapEmpty();
    }
}
