package org.knowmad.notify;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.web.Pages;

/**
 * {@code /dev/mail}: the development outbox, mounted only when no {@code SMTP_URL} is set. It shows
 * every queued message (sign-in links included), so it must never exist on a server with real mail.
 */
public final class DevMailRoutes {

    private static final String RECENT = """
            SELECT id, to_email, subject, body_text, created_at, sent_at FROM outbox
            WHERE ($1::text IS NULL OR lower(to_email) = lower($1))
            ORDER BY id DESC LIMIT 100""";

    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile("https?://\\S+");

    private final Pool pool;
    private final Pages pages;

    public DevMailRoutes(Pool pool, Pages pages) {
        this.pool = pool;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get("/dev/mail").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        String to = ctx.request().getParam("to");
        String lang = Pages.language(ctx, null);
        pool.preparedQuery(RECENT).execute(io.vertx.sqlclient.Tuple.of(to == null || to.isBlank() ? null : to.trim())).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Map<String, Object>> mails = new ArrayList<>();
            ar.result().forEach(r -> {
                Map<String, Object> m = new HashMap<>();
                m.put("id", r.getLong("id"));
                m.put("to", r.getString("to_email"));
                m.put("subject", r.getString("subject"));
                m.put("body", r.getString("body_text"));
                m.put("createdAt", r.getOffsetDateTime("created_at").toInstant());
                m.put("links", LINK.matcher(r.getString("body_text")).results().map(java.util.regex.MatchResult::group).toList());
                mails.add(m);
            });
            pages.render(ctx, "notify/dev-mail", lang, null, Map.of("title", "Development outbox", "mails", mails, "to", to == null ? "" : to));
        });
    }
}
