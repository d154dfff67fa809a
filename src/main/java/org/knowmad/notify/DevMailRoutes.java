package org.knowmad.notify;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.web.Pages;

/**
 * {@code /dev/mail}: the development outbox, mounted only when no {@code SMTP_URL} is set. It shows
 * every queued message (sign-in links included), so it must never exist on a server with real mail.
 * A mail's attachment can be downloaded at {@code /dev/mail/{id}/attachment}.
 */
public final class DevMailRoutes {

    private static final String RECENT = """
            SELECT id, to_email, subject, body_text, created_at, sent_at, attachment_name FROM outbox
            WHERE ($1::text IS NULL OR lower(to_email) = lower($1))
            ORDER BY id DESC LIMIT 100""";

    private static final String ATTACHMENT = """
            SELECT attachment_name, attachment_type, attachment_body FROM outbox
            WHERE id = $1 AND attachment_body IS NOT NULL""";

    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile("https?://\\S+");

    private final Pool pool;
    private final Pages pages;

    public DevMailRoutes(Pool pool, Pages pages) {
        this.pool = pool;
        this.pages = pages;
    }

    public void mount(Router router) {
        // Sign-in links are in here: only someone at the machine itself may read them, never the network.
        router.route("/dev/mail*").handler(DevMailRoutes::loopbackOnly);
        router.get("/dev/mail").handler(this::list);
        router.get("/dev/mail/:id/attachment").handler(this::attachment);
    }

    /** Answers 404 (as if there were no outbox) to any client not on this machine. */
    static void loopbackOnly(RoutingContext ctx) {
        if (org.knowmad.web.Peers.isLoopback(ctx.request().connection().remoteAddress())) ctx.next();
        else ctx.fail(404);
    }

    private void list(RoutingContext ctx) {
        String to = ctx.request().getParam("to");
        String lang = Pages.language(ctx, null);
        pool.preparedQuery(RECENT).execute(Tuple.of(to == null || to.isBlank() ? null : to.trim())).onComplete(ar -> {
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
                m.put("attachment", r.getString("attachment_name"));
                mails.add(m);
            });
            // Only someone at this machine reads the outbox, so its clock is theirs.
            pages.render(ctx, "notify/dev-mail", lang, ZoneId.systemDefault(),
                    Map.of("title", "Development outbox", "mails", mails, "to", to == null ? "" : to));
        });
    }

    private void attachment(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            ctx.fail(404);
            return;
        }
        pool.preparedQuery(ATTACHMENT).execute(Tuple.of(id)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            RowIterator<Row> rows = ar.result().iterator();
            if (!rows.hasNext()) {
                ctx.fail(404);
                return;
            }
            Row r = rows.next();
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, Mail.Attachment.headerSafeType(r.getString("attachment_type")))
                    .putHeader("Content-Disposition", "attachment; filename=\"" + Mail.Attachment.headerSafe(r.getString("attachment_name")) + "\"")
                    // The body is whatever was queued: never let a browser sniff it into something it would run.
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .end(r.getString("attachment_body"));
        });
    }
}
