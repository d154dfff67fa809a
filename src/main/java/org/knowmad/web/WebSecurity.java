package org.knowmad.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;
import org.knowmad.account.SessionStore;
import org.knowmad.account.Tokens;

/**
 * Runs before every route: finds the viewer (API token, session cookie, or visitor) and refuses
 * state-changing requests without a valid CSRF token. Requests with an API token need no CSRF
 * token: a browser never adds that header by itself.
 */
public final class WebSecurity implements Handler<RoutingContext> {

    public static final String SESSION_COOKIE = "knowmad_session";
    static final String VISITOR_COOKIE = "knowmad_visitor";
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final Pool pool;
    private final SessionStore sessions;
    private final Signer signer;
    private final Clock clock;
    private final boolean secureCookies;

    public WebSecurity(Pool pool, SessionStore sessions, Signer signer, Clock clock, boolean secureCookies) {
        this.pool = pool;
        this.sessions = sessions;
        this.signer = signer;
        this.clock = clock;
        this.secureCookies = secureCookies;
    }

    @Override
    public void handle(RoutingContext ctx) {
        identify(ctx).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Viewer viewer = ar.result();
            ctx.put(Viewer.KEY, viewer);
            // Whatever a signed-in person is answered (JSON included) is theirs: no browser or proxy keeps a
            // copy for the next person at that machine. Set here once; a route may still choose "private".
            if (viewer.signedIn()) ctx.response().putHeader("Cache-Control", "no-store");
            if (changesState(ctx.request().method()) && !viewer.viaApiToken() && !csrfValid(ctx, viewer)) {
                ctx.fail(new HttpProblem(403, "error.csrf"));
                return;
            }
            ctx.next();
        });
    }

    private Future<Viewer> identify(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            return sessions.findByApiToken(pool, token, clock.instant()).map(account -> {
                if (account.isEmpty()) throw new HttpProblem(401, "error.badToken");
                return new Viewer(account.get(), null, true);
            });
        }
        String sessionToken = signer.unseal(cookie(ctx, SESSION_COOKIE));
        if (sessionToken != null) {
            return sessions.find(pool, sessionToken, clock.instant()).map(account -> {
                if (account.isPresent()) return new Viewer(account.get(), csrfFor(sessionToken), false);
                ctx.response().addCookie(expired(SESSION_COOKIE));
                return visitor(ctx);
            });
        }
        return Future.succeededFuture(visitor(ctx));
    }

    private Viewer visitor(RoutingContext ctx) {
        String visitorToken = signer.unseal(cookie(ctx, VISITOR_COOKIE));
        if (visitorToken == null) {
            visitorToken = Tokens.random();
            ctx.response().addCookie(cookie(VISITOR_COOKIE, signer.seal(visitorToken), -1));
        }
        return new Viewer(null, csrfFor(visitorToken), false);
    }

    private String csrfFor(String secret) {
        return signer.sign("csrf:" + secret);
    }

    private boolean csrfValid(RoutingContext ctx, Viewer viewer) {
        String sent = ctx.request().getHeader(CSRF_HEADER);
        if (sent == null) sent = ctx.request().getFormAttribute(CSRF_FIELD);
        return Signer.constantTimeEquals(viewer.csrfToken(), sent);
    }

    /** Starts a signed-in session: sets the cookie for the new session token. */
    public void startSession(RoutingContext ctx, String sessionToken) {
        ctx.response().addCookie(cookie(SESSION_COOKIE, signer.seal(sessionToken), SessionStore.SESSION_LENGTH.toSeconds()));
        ctx.response().addCookie(expired(VISITOR_COOKIE));
    }

    /** The session token of this request's cookie, if any. */
    public Optional<String> sessionToken(RoutingContext ctx) {
        return Optional.ofNullable(signer.unseal(cookie(ctx, SESSION_COOKIE)));
    }

    public void endSession(RoutingContext ctx) {
        ctx.response().addCookie(expired(SESSION_COOKIE));
    }

    private static boolean changesState(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.PATCH;
    }

    private static String cookie(RoutingContext ctx, String name) {
        Cookie c = ctx.request().getCookie(name);
        return c == null ? null : c.getValue();
    }

    private Cookie cookie(String name, String value, long maxAgeSeconds) {
        Cookie c = Cookie.cookie(name, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setSecure(secureCookies);
        if (maxAgeSeconds >= 0) c.setMaxAge(maxAgeSeconds);
        return c;
    }

    private Cookie expired(String name) {
        return cookie(name, "", 0);
    }
}
