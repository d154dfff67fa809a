package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;

/**
 * Email magic-link sign-in. A link is a random token (only its hash is stored), valid for
 * {@link #LINK_LIFETIME}, usable once. Requests are limited per address and per IP, counted in the
 * database so the limit holds across nodes.
 */
public final class SigninService {

    public static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
    static final Duration RATE_WINDOW = Duration.ofMinutes(15);
    static final int MAX_PER_ADDRESS = 5;
    static final int MAX_PER_IP = 30;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private static final String LOCK_ADDRESS = "SELECT pg_advisory_xact_lock(hashtext('signin:' || lower($1)))";

    private static final String COUNT_RECENT = """
            SELECT (SELECT count(*) FROM signin_token WHERE lower(email) = lower($1) AND created_at > $3) AS by_address,
                   (SELECT count(*) FROM signin_token WHERE requested_ip = $2 AND created_at > $3) AS by_ip""";

    private static final String INSERT = """
            INSERT INTO signin_token (token_hash, email, requested_ip, return_to, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    private static final String CONSUME = """
            UPDATE signin_token SET used_at = $2
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
            RETURNING email, return_to""";

    private static final String EXPLAIN = "SELECT used_at, expires_at FROM signin_token WHERE token_hash = $1";

    private final Pool pool;
    private final Clock clock;
    private final Outbox outbox;
    private final AccountStore accounts;
    private final SessionStore sessions;
    private final Messages messages;
    private final String baseUrl;

    public SigninService(Pool pool, Clock clock, Outbox outbox, AccountStore accounts, SessionStore sessions,
                         Messages messages, String baseUrl) {
        this.pool = pool;
        this.clock = clock;
        this.outbox = outbox;
        this.accounts = accounts;
        this.sessions = sessions;
        this.messages = messages;
        this.baseUrl = baseUrl;
    }

    /** The result of using a link: a new session for the account, and where to go next. */
    public record SignedIn(Account account, String sessionToken, String returnTo) {
    }

    public static String normaliseEmail(String raw) {
        String email = raw == null ? "" : raw.trim();
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw HttpProblem.invalid("email", "signin.badEmail");
        }
        return email;
    }

    /**
     * Where to go after signing in (or switching language): only a path on this site. A browser forgives a
     * lot that {@link java.net.URI} does not: it drops tabs and newlines and reads a backslash as a slash,
     * so {@code /\t/evil.example/} or {@code /\\evil.example} take it to another host. So the address must
     * be printable ASCII without spaces or backslashes, start with one slash and never contain two, and
     * parse as a URI with neither scheme nor host. Null or empty means "none given" (null); anything else
     * that fails becomes {@code /}.
     */
    public static String safeReturn(String returnTo) {
        if (returnTo == null || returnTo.isEmpty()) return null;
        return isSameOriginPath(returnTo) ? returnTo : "/";
    }

    static boolean isSameOriginPath(String s) {
        if (s.length() > 500 || !s.startsWith("/") || s.contains("//")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Controls, space, DEL, backslash and anything beyond ASCII (look-alike slashes, invisible marks).
            if (c <= 0x20 || c >= 0x7f || c == '\\') return false;
        }
        try {
            java.net.URI uri = new java.net.URI(s);
            return uri.getScheme() == null && uri.getRawAuthority() == null && uri.getRawPath() != null
                    && uri.getRawPath().startsWith("/") && !uri.isOpaque();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Queues a sign-in mail; refuses with 429 when this address or IP asked too often. */
    public Future<Void> requestLink(String rawEmail, String ip, String returnTo, String lang) {
        String email = normaliseEmail(rawEmail);
        Instant now = clock.instant();
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK_ADDRESS).execute(Tuple.of(email))
                .compose(v -> tx.preparedQuery(COUNT_RECENT).execute(Tuple.of(email, ip, now.minus(RATE_WINDOW).atOffset(ZoneOffset.UTC))))
                .compose(rows -> {
                    Row counts = rows.iterator().next();
                    if (counts.getLong("by_address") >= MAX_PER_ADDRESS || counts.getLong("by_ip") >= MAX_PER_IP) {
                        return Future.failedFuture(new HttpProblem(429, "signin.tooMany"));
                    }
                    return createLink(tx, email, ip, safeReturn(returnTo), now)
                            .compose(url -> outbox.enqueue(tx, new Mail(email,
                                    messages.get(lang, "signin.mail.subject"),
                                    messages.get(lang, "signin.mail.body", url, LINK_LIFETIME.toMinutes()),
                                    null), now));
                }));
    }

    /** Creates a link without rate limit or mail: for {@code knowmad signin-link}. */
    public Future<String> createLink(String rawEmail) {
        String email = normaliseEmail(rawEmail);
        return createLink(pool, email, "command-line", null, clock.instant());
    }

    private Future<String> createLink(SqlClient db, String email, String ip, String returnTo, Instant now) {
        String token = Tokens.random();
        return db.preparedQuery(INSERT)
                .execute(Tuple.of(Tokens.hash(token), email, ip, returnTo, now.atOffset(ZoneOffset.UTC),
                        now.plus(LINK_LIFETIME).atOffset(ZoneOffset.UTC)))
                .map(baseUrl + "/signin/" + token);
    }

    /** Uses a link once: creates the account on first sign-in and starts a session. */
    public Future<SignedIn> signIn(String token) {
        Instant now = clock.instant();
        byte[] hash = Tokens.hash(token == null ? "" : token);
        return pool.withTransaction(tx -> tx.preparedQuery(CONSUME).execute(Tuple.of(hash, now.atOffset(ZoneOffset.UTC)))
                .compose(rows -> {
                    if (rows.size() == 0) return explainRefusal(tx, hash).mapEmpty();
                    Row row = rows.iterator().next();
                    String returnTo = row.getString("return_to");
                    return accounts.findOrCreate(tx, row.getString("email"), now)
                            .compose(account -> sessions.create(tx, account.id(), now)
                                    .map(session -> new SignedIn(account, session, returnTo)));
                }));
    }

    private Future<Void> explainRefusal(SqlClient tx, byte[] hash) {
        return tx.preparedQuery(EXPLAIN).execute(Tuple.of(hash)).compose(rows -> {
            if (rows.size() == 0) return Future.failedFuture(new HttpProblem(404, "signin.unknownLink"));
            Row row = rows.iterator().next();
            String key = row.getValue("used_at") != null ? "signin.usedLink" : "signin.expiredLink";
            return Future.failedFuture(new HttpProblem(410, key));
        });
    }

    /** Creates (if needed) the account and an API token with the default lifetime. */
    public Future<String> createApiToken(String rawEmail, String label) {
        return createApiToken(rawEmail, label, SessionStore.TOKEN_LIFETIME);
    }

    /** Creates (if needed) the account and an API token that works for {@code lifetime}: for {@code knowmad token create}. */
    public Future<String> createApiToken(String rawEmail, String label, Duration lifetime) {
        String email = normaliseEmail(rawEmail);
        if (lifetime == null || lifetime.compareTo(Duration.ofDays(1)) < 0 || lifetime.compareTo(SessionStore.MAX_TOKEN_LIFETIME) > 0) {
            return Future.failedFuture(new HttpProblem(400, "token.badLifetime", SessionStore.MAX_TOKEN_LIFETIME.toDays()));
        }
        Instant now = clock.instant();
        return pool.withTransaction(tx -> accounts.findOrCreate(tx, email, now)
                .compose(account -> sessions.createApiToken(tx, account.id(), label, now, lifetime)));
    }
}
