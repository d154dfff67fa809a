package org.knowmad.web;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.knowmad.db.Outages;
import org.knowmad.health.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into answers people can act on: an HTML page, or RFC 9457 problem JSON for the API.
 * Anything unexpected is logged and answered 500 without internals.
 */
public final class ErrorHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);
    private final Pages pages;

    public ErrorHandler(Pages pages) {
        this.pages = pages;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().ended()) return;
        HttpProblem problem = toProblem(ctx);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        String lang = ctx.get(Pages.LANG_KEY) instanceof String l ? l : Pages.language(ctx, null);
        java.time.ZoneId zone = ctx.get("zone") instanceof java.time.ZoneId z ? z : java.time.ZoneId.of("UTC");
        String message = pages.problemText(lang, zone, problem);
        if (problem.status() == 503) ctx.response().putHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
        if (wantsJson(ctx)) {
            JsonObject body = new JsonObject()
                    .put("type", "about:blank")
                    .put("title", pages.text("en", "status." + problem.status()))
                    .put("status", problem.status())
                    .put("detail", message)
                    .put("code", problem.key());
            if (problem.field() != null) body.put("field", problem.field());
            problem.extra().forEach((k, v) -> body.put(k, v instanceof java.time.Instant i ? i.atZone(zone).toOffsetDateTime().toString() : v));
            ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", "application/problem+json")
                    .end(body.encode());
            return;
        }
        if (problem.status() == 401 && "GET".equals(ctx.request().method().name())) {
            ctx.response().setStatusCode(303)
                    .putHeader("Location", "/signin?return=" + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8))
                    .end();
            return;
        }
        Map<String, Object> model = new java.util.HashMap<>(problem.extra());
        model.put("status", problem.status());
        model.put("message", message);
        model.put("title", pages.text(lang, "status." + problem.status()));
        pages.render(ctx, problem.status(), "error", lang, ctx.get("zone"), model);
    }

    private static HttpProblem toProblem(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof HttpProblem p) return p;
        if (failure instanceof HttpException h) return byStatus(h.getStatusCode());
        // Vert.x's form decoder reports an oversized form field this way, before any route runs.
        if (failure instanceof java.io.IOException && String.valueOf(failure.getMessage()).contains("Size exceed")) {
            return new HttpProblem(413, "error.tooLarge");
        }
        if (InputGuard.undecodable(failure)) return new HttpProblem(400, "error.badRequest");
        // Netty's decoders say "Invalid ..." or "invalid hex byte ..." for a form or query that is not URL-encoded.
        if (failure instanceof IllegalArgumentException && failure.getMessage() != null
                && (failure.getMessage().startsWith("Invalid") || failure.getMessage().contains("hex byte")
                || failure.getMessage().contains("escape sequence"))) {
            return new HttpProblem(400, "error.badRequest");
        }
        int status = ctx.statusCode();
        if (failure == null && status >= 400) return byStatus(status);
        // The database is restarting or out of reach: not a bug, and retrying shortly will work.
        if (Outages.isDatabaseUnavailable(failure)) {
            LOG.debug("Database unavailable on {} {}: {}", ctx.request().method(), shownPath(ctx.request().path()), failure.toString());
            return new HttpProblem(503, "error.unavailable");
        }
        LOG.error("Unexpected failure on {} {}", ctx.request().method(), shownPath(ctx.request().path()), failure);
        return new HttpProblem(500, "error.internal");
    }

    /**
     * The path as it may be written to a log: never the query (search words, return addresses), and never a
     * secret in the path itself (a sign-in link's token, a calendar or invite secret).
     */
    static String shownPath(String path) {
        if (path == null) return "";
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        return SECRET_SEGMENT.matcher(p).replaceAll("$1…");
    }

    private static final java.util.regex.Pattern SECRET_SEGMENT = java.util.regex.Pattern.compile("(/signin/|/invite/|/invites/)[^/]+");

    private static HttpProblem byStatus(int status) {
        return switch (status) {
            case 400 -> new HttpProblem(400, "error.badRequest");
            case 401 -> HttpProblem.signInRequired();
            case 403 -> HttpProblem.forbidden();
            case 404 -> HttpProblem.notFound();
            case 405 -> new HttpProblem(405, "error.methodNotAllowed");
            case 413 -> new HttpProblem(413, "error.tooLarge");
            case 415 -> new HttpProblem(415, "error.unsupportedMediaType");
            case 503 -> new HttpProblem(503, "error.unavailable");
            default -> status >= 500 ? new HttpProblem(500, "error.internal") : new HttpProblem(status, "error.badRequest");
        };
    }

    static boolean wantsJson(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/api/")) return true;
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("json") && !accept.contains("text/html");
    }
}
