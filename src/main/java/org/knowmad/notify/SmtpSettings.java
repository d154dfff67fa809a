package org.knowmad.notify;

import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code SMTP_URL}: {@code smtp://user:pass@host:587?from=courses@example.org} (or {@code smtps://}), with
 * optional {@code timeout_ms} (default 20000: connect timeout, silence on an open connection, and the longest one
 * message may take) and {@code connections} (default 8: SMTP connections, and so messages in flight, per node).
 *
 * @param timeout     a send that takes longer is given up (and retried later); a server that says nothing for this
 *                    long loses the connection
 * @param connections how many messages one node sends at the same time, each on its own kept-alive connection
 */
public record SmtpSettings(MailConfig config, String from, Duration timeout, int connections) {

    static final int DEFAULT_TIMEOUT_MS = 20_000;
    static final int DEFAULT_CONNECTIONS = 8;

    public static SmtpSettings parse(String url) {
        URI uri = URI.create(url);
        boolean tls = "smtps".equals(uri.getScheme());
        if (!tls && !"smtp".equals(uri.getScheme())) {
            throw new IllegalArgumentException("SMTP_URL must start with smtp:// or smtps://");
        }
        String from = "Knowmad <knowmad@" + uri.getHost() + ">";
        int timeoutMs = DEFAULT_TIMEOUT_MS;
        int connections = DEFAULT_CONNECTIONS;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("from=")) from = decode(pair.substring(5));
                if (pair.startsWith("timeout_ms=")) timeoutMs = positive(pair.substring(11), "timeout_ms");
                if (pair.startsWith("connections=")) connections = positive(pair.substring(12), "connections");
            }
        }
        MailConfig config = new MailConfig()
                .setHostname(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 25)
                .setSsl(tls)
                .setStarttls(tls ? StartTLSOptions.DISABLED : StartTLSOptions.OPTIONAL)
                .setLogin(LoginOption.NONE)
                // Without these a server that accepts the connection and then says nothing holds it (and the
                // mail on it) forever. The idle timeout closes a connection silent for that long, failing its send.
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setSslHandshakeTimeout(timeoutMs)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                // Several kept-alive connections: one SMTP conversation is a handful of round trips, so messages in
                // parallel are what makes a node fast (measured in OutboxBench).
                .setKeepAlive(true)
                .setMaxPoolSize(connections);
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            config.setUsername(decode(parts[0]));
            if (parts.length > 1) config.setPassword(decode(parts[1]));
            config.setLogin(LoginOption.REQUIRED);
        }
        return new SmtpSettings(config, from, Duration.ofMillis(timeoutMs), connections);
    }

    private static int positive(String raw, String name) {
        try {
            int n = Integer.parseInt(raw);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("SMTP_URL: " + name + " must be a positive whole number, not " + raw);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
