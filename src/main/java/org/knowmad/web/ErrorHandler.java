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
    /** The language and time zone of a course, for answers about it that fail before its page knows them. */
    public record CourseSetting(String language, java.time.ZoneId zone) {
    }

    private final Pages pages;
    private final java.util.function.Function<String, java.util.Optional<CourseSetting>> courses;

    /** {@code courses}: the setting of a course by id (empty for an unknown one). */
    public ErrorHandler(Pages pages, java.util.function.Function<String, java.util.Optional<CourseSetting>> courses) {
        this.pages = pages;
        this.courses = courses;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().ended()) return;
        HttpProblem problem = toProblem(ctx);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        // A failure on a course's path (a locked module, a refusal, an unknown thread) reads like that course's
        // pages: the same language rule with the course as fallback, dates in the course's zone.
        java.util.Optional<CourseSetting> course = courseId(ctx.request().path()).flatMap(courses);
        boolean json = wantsJson(ctx);
        String courseLanguage = course.map(CourseSetting::language).orElse(null);
        String lang = json ? Pages.apiLanguage(ctx, courseLanguage)
                : ctx.get(Pages.LANG_KEY) instanceof String l ? l : Pages.language(ctx, courseLanguage);
        java.time.ZoneId zone = ctx.get("zone") instanceof java.time.ZoneId z ? z
                : course.map(CourseSetting::zone).orElse(java.time.ZoneId.of("UTC"));
        String message = pages.problemText(lang, zone, problem);
        if (problem.status() == 503) ctx.response().putHeader("Retry-After", Health.RETRY_AFTER_SECONDS);
        if (json) {
            JsonObject body = new JsonObject()
                    .put("type", "about:blank")
                    .put("title", pages.text(lang, "status." + problem.status()))
                    .put("status", problem.status())
                    .put("detail", message)
                    .put("code", problem.key());
            if (problem.field() != null) body.put("field", problem.field());
            problem.extra().forEach((k, v) -> body.put(k, v instanceof java.time.Instant i ? i.atZone(zone).toOffsetDateTime().toString() : v));
            ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", "application/problem+json")
                    .putHeader("Content-Language", lang)
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
        if (problem.extra().get("opensAt") != null) {
            // Not a prohibition but "not yet": a page of its own that says when, once, and leads back to the cohort.
            model.put("notYet", true);
            model.put("title", pages.text(lang, "module.locked.title"));
            cohortPath(ctx.request().path()).ifPresent(p -> model.put("cohortPath", p));
        } else {
            model.put("title", pages.text(lang, "status." + problem.status()));
        }
        pages.render(ctx, problem.status(), "error", lang, zone, model);
    }

    /** The course a path is about: {@code /courses/{id}...} or {@code /api/v1/courses/{id}...}. */
    static java.util.Optional<String> courseId(String path) {
        String p = path == null ? "" : path.startsWith("/api/v1/courses/") ? path.substring("/api/v1".length()) : path;
        if (!p.startsWith("/courses/")) return java.util.Optional.empty();
        String rest = p.substring("/courses/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(id);
    }

    /** The cohort page a page under {@code /courses/{course}/{cohort}/...} belongs to. */
    static java.util.Optional<String> cohortPath(String path) {
        String[] parts = path == null ? new String[0] : path.split("/", 5);
        if (parts.length < 5 || !parts[0].isEmpty() || !"courses".equals(parts[1]) || parts[2].isEmpty() || parts[3].isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("/courses/" + parts[2] + "/" + parts[3]);
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

    private static final java.util.regex.Pattern SECRET_SEGMENT = java.util.regex.Pattern.compile("(/signin/|/invite/|/invites/|/calendar/)[^/]+");

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
