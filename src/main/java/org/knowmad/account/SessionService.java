package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.knowmad.web.HttpProblem;

/**
 * Ending sessions and managing one's own API tokens. Sign-out deletes the session row: the cookie is only a
 * pointer to it, and a copied cookie must die with the row, not live on for its 30 days.
 */
public final class SessionService {

    private final Pool pool;
    private final Clock clock;
    private final SessionStore sessions;

    public SessionService(Pool pool, Clock clock, SessionStore sessions) {
        this.pool = pool;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** What the owner sees of their access: tokens (newest first) and how many sessions are active. */
    public record Overview(List<SessionStore.ApiToken> tokens, long activeSessions, Instant now) {
    }

    public Future<Void> signOut(String sessionToken) {
        return sessions.delete(pool, sessionToken);
    }

    /** Ends every session of the account, on every device and node; API tokens are revoked one by one. */
    public Future<Integer> signOutEverywhere(long accountId) {
        return sessions.deleteAll(pool, accountId);
    }

    public Future<Overview> overview(long accountId) {
        Instant now = clock.instant();
        return sessions.listApiTokens(pool, accountId)
                .compose(tokens -> sessions.countActive(pool, accountId, now).map(n -> new Overview(tokens, n, now)));
    }

    /** Revokes one of the viewer's own tokens; 404 for an id that is not theirs (whether or not it exists). */
    public Future<Void> revokeToken(long accountId, long tokenId) {
        return sessions.revokeApiToken(pool, accountId, tokenId)
                .compose(found -> found ? Future.<Void>succeededFuture() : Future.failedFuture(HttpProblem.notFound()));
    }
}
