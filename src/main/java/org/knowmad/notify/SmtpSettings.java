package org.knowmad.notify;

import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads {@code SMTP_URL}: {@code smtp://user:pass@host:587?from=courses@example.org} (or {@code smtps://}). */
public record SmtpSettings(MailConfig config, String from) {

    public static SmtpSettings parse(String url) {
        URI uri = URI.create(url);
        boolean tls = "smtps".equals(uri.getScheme());
        if (!tls && !"smtp".equals(uri.getScheme())) {
            throw new IllegalArgumentException("SMTP_URL must start with smtp:// or smtps://");
        }
        MailConfig config = new MailConfig()
                .setHostname(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 25)
                .setSsl(tls)
                .setStarttls(tls ? StartTLSOptions.DISABLED : StartTLSOptions.OPTIONAL)
                .setLogin(LoginOption.NONE);
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            config.setUsername(decode(parts[0]));
            if (parts.length > 1) config.setPassword(decode(parts[1]));
            config.setLogin(LoginOption.REQUIRED);
        }
        String from = "Knowmad <knowmad@" + uri.getHost() + ">";
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("from=")) from = decode(pair.substring(5));
            }
        }
        return new SmtpSettings(config, from);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
