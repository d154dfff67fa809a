package org.knowmad;

import java.nio.file.Path;
import java.util.Map;
import org.knowmad.web.TrustedProxies;

/**
 * Settings read from the environment, with the defaults a developer needs to start without any.
 *
 * @param databaseUrl  {@code postgresql://user:pass@host:port/db}; null starts embedded PostgreSQL
 * @param port         HTTP port; 0 picks a free one (tests)
 * @param baseUrl      public address used in mails and feeds
 * @param coursesDir   folder with one sub-folder per course
 * @param smtpUrl      {@code smtp://user:pass@host:port}; null keeps mail in the development outbox
 * @param secret       key for signing cookies; null means generate once and keep in {@link #dataDir}
 * @param dataDir      local state: embedded database, generated secret
 * @param flagsToHide  how many people's flags hide a post until a facilitator reviews it
 * @param metricsToken bearer token for {@code /metrics}; null lets only loopback clients read them
 * @param trustedProxies proxies whose {@code X-Forwarded-For} names the client; none by default
 */
public record Config(
        String databaseUrl,
        int port,
        String baseUrl,
        Path coursesDir,
        String smtpUrl,
        String secret,
        Path dataDir,
        int flagsToHide,
        String metricsToken,
        TrustedProxies trustedProxies) {

    /** The settings without the optional security ones: metrics for loopback only, no trusted proxy. */
    public Config(String databaseUrl, int port, String baseUrl, Path coursesDir, String smtpUrl, String secret, Path dataDir,
                  int flagsToHide) {
        this(databaseUrl, port, baseUrl, coursesDir, smtpUrl, secret, dataDir, flagsToHide, null, TrustedProxies.NONE);
    }

    public static Config fromEnvironment() {
        return fromMap(System.getenv());
    }

    static Config fromMap(Map<String, String> env) {
        int port = parsePort(env.getOrDefault("PORT", "8080"));
        String baseUrl = blankToNull(env.get("BASE_URL"));
        if (baseUrl == null) baseUrl = "http://localhost:" + port;
        return new Config(
                blankToNull(env.get("DATABASE_URL")),
                port,
                stripTrailingSlash(baseUrl),
                Path.of(env.getOrDefault("COURSES_DIR", "courses")),
                blankToNull(env.get("SMTP_URL")),
                blankToNull(env.get("SECRET")),
                Path.of(env.getOrDefault("KNOWMAD_DATA_DIR", ".knowmad")),
                positive("FLAGS_TO_HIDE", env.getOrDefault("FLAGS_TO_HIDE", "3")),
                blankToNull(env.get("METRICS_TOKEN")),
                TrustedProxies.parse(env.get("TRUSTED_PROXIES")));
    }


    /** Whether the development mail outbox page is on (only when no SMTP server is configured). */
    public boolean devMail() {
        return smtpUrl == null;
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number from 0 to 65535, not '" + text + "'");
        }
    }

    private static int positive(String name, String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of at least 1, not '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
