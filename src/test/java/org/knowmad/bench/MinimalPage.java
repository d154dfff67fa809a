package org.knowmad.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Pools;
import org.knowmad.web.Messages;
import org.knowmad.web.Templates;

/**
 * The yardsticks for the thread-page benchmark. {@code /}: the smallest Vert.x route that queries a 12-row
 * table and renders it through the same template engine. {@code /thread-hbs} and {@code /thread-hand} (when a
 * thread id is given): the same 50 posts read with one query and rendered (a) through the project's
 * Handlebars setup with the thread page's own post partials (face and buttons, evaluated on every request) and (b) hand-written into a StringBuilder with
 * the same escaper, so the ratio of the real page to these two is reproducible. Bodies are the stored text,
 * escaped (no Markdown), as a page view would use a cached rendering.
 *
 * <p>The original yardstick for the thread-page benchmark: the smallest Vert.x route that queries a 12-row table
 * and renders it through the same template engine, with the same pool settings and one server per core.
 *
 * <p>{@code java -cp ... org.knowmad.bench.MinimalPage postgresql://postgres@127.0.0.1:5432/knowmad_bench 8092 [threadId]}
 */
public final class MinimalPage {

    public static void main(String[] args) {
        DatabaseTarget db = DatabaseTarget.parse(args[0]);
        int port = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        Pool pool = Pools.createForReads(vertx, db, 4);
        long threadId = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Messages messages = new Messages();
        Templates templates = new Templates(messages);
        pool.query("CREATE TABLE IF NOT EXISTS fortune (id int PRIMARY KEY, message text NOT NULL)").execute()
                .compose(v -> pool.query("INSERT INTO fortune SELECT g, 'Fortune number ' || g || ': work out loud <b>and</b> share' "
                        + "FROM generate_series(1, 12) g ON CONFLICT DO NOTHING").execute())
                .compose(v -> vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return vertx.createHttpServer().requestHandler(req -> {
                            if (req.path().startsWith("/thread-")) threadPage(req, pool, templates, messages, threadId);
                            else pool.preparedQuery("SELECT id, message FROM fortune ORDER BY id")
                                .execute()
                                .onSuccess(rows -> {
                                    List<Map<String, Object>> list = new ArrayList<>();
                                    for (Row r : rows) list.add(Map.of("id", r.getInteger(0), "message", r.getString(1)));
                                    String html = templates.render("bench/fortunes", Map.of("fortunes", list, "lang", "en"));
                                    req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
                                })
                                .onFailure(e -> req.response().setStatusCode(500).end());
                        }).listen(port);
                    }
                }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())))
                .onSuccess(id -> System.out.println("minimal page on port " + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private static final String POSTS = "SELECT p.number, coalesce(a.name, split_part(a.email, '@', 1)), p.reply_to, p.body, "
            + "p.created_at, p.edited_at IS NOT NULL FROM post p LEFT JOIN account a ON a.id = p.author_id "
            + "WHERE p.thread_id = $1 AND p.deleted_at IS NULL ORDER BY p.number LIMIT 50";
    private static final String THREAD_PATH = "/courses/knowmad/zelfstudie/threads/";

    private static io.vertx.core.Future<?> threadPage(io.vertx.core.http.HttpServerRequest req, Pool pool, Templates templates,
            Messages messages, long threadId) {
        boolean hand = req.path().equals("/thread-hand");
        return pool.preparedQuery(POSTS).execute(io.vertx.sqlclient.Tuple.of(threadId))
                .onSuccess(rows -> {
                    String html = hand ? handWritten(rows, messages, threadId) : handlebars(rows, templates, threadId);
                    req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
                })
                .onFailure(e -> req.response().setStatusCode(500).end());
    }

    private static String handlebars(io.vertx.sqlclient.RowSet<Row> rows, Templates templates, long threadId) {
        List<Map<String, Object>> posts = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> p = new java.util.HashMap<>();
            p.put("number", r.getInteger(0));
            p.put("author", r.getString(1));
            p.put("replyTo", r.getInteger(2));
            p.put("html", "<p>" + ESC.escape(r.getString(3)) + "</p>");
            p.put("createdAt", r.getOffsetDateTime(4).toInstant());
            p.put("edited", r.getBoolean(5));
            p.put("canReact", true);
            p.put("helpful", 0);
            p.put("canFlag", true);
            posts.add(p);
        }
        return templates.render("bench/thread", Map.of("posts", posts, "lang", "en", "threadPath", THREAD_PATH + threadId,
                "csrf", "bench-csrf-token", "idem", "bench-idem"));
    }

    private static final com.github.jknack.handlebars.EscapingStrategy ESC = com.github.jknack.handlebars.EscapingStrategy.HTML_ENTITY;

    /** The same markup as the post partial takes for a participant's view of others' posts, written by hand. */
    private static String handWritten(io.vertx.sqlclient.RowSet<Row> rows, Messages m, long threadId) {
        String path = THREAD_PATH + threadId;
        java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Thread</title></head>\n<body>")
                .append("<form id=\"post-actions\" method=\"post\"><input type=\"hidden\" name=\"_csrf\" value=\"bench-csrf-token\"></form>\n");
        for (Row r : rows) {
            int n = r.getInteger(0);
            Integer replyTo = r.getInteger(2);
            java.time.Instant at = r.getOffsetDateTime(4).toInstant();
            out.append("<article class=\"post\" id=\"post-").append(n).append("\" data-number=\"").append(n).append("\">\n")
                    .append("  <header><strong>").append(ESC.escape(r.getString(1))).append("</strong> · <a href=\"#post-").append(n)
                    .append("\">#").append(n).append("</a> · <time datetime=\"").append(at).append("\">")
                    .append(ESC.escape(Templates.formatTime(at, utc, "en"))).append("</time>");
            if (replyTo != null) out.append(" · <a href=\"#post-").append(replyTo).append("\">")
                    .append(ESC.escape(m.get("en", "post.inReplyTo", replyTo))).append("</a>");
            if (r.getBoolean(5)) out.append(" · <span class=\"muted\">").append(ESC.escape(m.get("en", "post.edited"))).append("</span>");
            out.append("</header>\n  <div class=\"post-body\"><p>").append(ESC.escape(r.getString(3))).append("</p></div>\n")
                    .append("  <footer class=\"post-actions\">\n    <button form=\"post-actions\" formaction=\"").append(path).append("/posts/")
                    .append(n).append("/helpful\" class=\"small outline\">").append(ESC.escape(m.get("en", "post.helpful"))).append(" · 0</button>\n")
                    .append("    <details class=\"flag\">\n      <summary class=\"small\">").append(ESC.escape(m.get("en", "flag.action")))
                    .append("</summary>\n      <form method=\"post\" action=\"").append(path).append("/posts/").append(n).append("/flag\">\n")
                    .append("        <input type=\"hidden\" name=\"_csrf\" value=\"bench-csrf-token\"><input type=\"hidden\" name=\"_idem\" value=\"bench-idem-p")
                    .append(n).append("\">\n        <input type=\"text\" name=\"reason\" required maxlength=\"500\" placeholder=\"")
                    .append(ESC.escape(m.get("en", "flag.reasonPlaceholder"))).append("\">\n        <button class=\"small secondary\">")
                    .append(ESC.escape(m.get("en", "flag.send"))).append("</button>\n      </form>\n    </details>\n  </footer>\n</article>\n");
        }
        return out.append("</body></html>").toString();
    }
}
