package org.knowmad.web;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Renders a page template with what every page needs: viewer, language, zone, CSRF and idempotency keys. */
public final class Pages {

    public static final String LANG_COOKIE = "knowmad_lang";
    public static final String LANG_KEY = "lang";

    private final Templates templates;
    private final Messages messages;
    private final boolean devMail;

    public Pages(Templates templates, Messages messages, boolean devMail) {
        this.templates = templates;
        this.messages = messages;
        this.devMail = devMail;
    }

    /**
     * The UI language: the person's own choice (account, else cookie), else the course's language,
     * else the browser's preference.
     */
    public static String language(RoutingContext ctx, String courseLanguage) {
        Viewer viewer = Viewer.of(ctx);
        if (viewer != null && viewer.account() != null && viewer.account().language() != null) {
            return Messages.supported(viewer.account().language());
        }
        Cookie cookie = ctx.request().getCookie(LANG_COOKIE);
        if (cookie != null && Messages.LANGUAGES.contains(cookie.getValue())) return cookie.getValue();
        if (courseLanguage != null) return Messages.supported(courseLanguage);
        return fromAcceptLanguage(ctx.request().getHeader("Accept-Language"));
    }

    /** The first language of an Accept-Language header we speak; total: any malformed value just means English. */
    static String fromAcceptLanguage(String accept) {
        if (accept == null) return "en";
        // Browsers list languages best first; a hand-written parser, because the JDK's throws on inputs like "-".
        for (String part : accept.split(",")) {
            String[] pieces = part.split(";");
            if (pieces.length == 0) continue;
            String lang = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
            int dash = lang.indexOf('-');
            if (dash >= 0) lang = lang.substring(0, dash);
            boolean refused = pieces.length > 1 && pieces[1].trim().matches("q\\s*=\\s*0(\\.0*)?");
            if (!refused && Messages.LANGUAGES.contains(lang)) return lang;
        }
        return "en";
    }

    /** Renders {@code template} and ends the response with status 200. */
    public void render(RoutingContext ctx, String template, String lang, ZoneId zone, Map<String, Object> model) {
        render(ctx, 200, template, lang, zone, model);
    }

    public void render(RoutingContext ctx, int status, String template, String lang, ZoneId zone, Map<String, Object> model) {
        ctx.put(LANG_KEY, lang);
        Map<String, Object> root = new HashMap<>(model);
        FormRetry.Typed typed = FormRetry.typed(ctx);
        if (typed != null && status == 200) {
            // The page is shown again for a refused form: its status, what was typed, and why.
            status = typed.problem().status();
            String message = problemText(lang, zone == null ? ZoneId.of("UTC") : zone, typed.problem());
            root.put("form", new FormRetry.Shown(typed.action(), typed.values(), typed.problem().field(), message));
            if (typed.problem().field() == null) root.put("formProblem", message);
        }
        Viewer viewer = Viewer.of(ctx);
        root.put("viewer", viewer);
        root.put("lang", lang);
        root.put("zone", zone == null ? ZoneId.of("UTC") : zone);
        root.put("csrf", viewer == null ? "" : viewer.csrfToken());
        root.put("idem", UUID.randomUUID().toString());
        root.put("devMail", devMail);
        root.put("path", ctx.request().path());
        root.putIfAbsent("title", "Knowmad");
        String html = templates.render(template, root);
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(html);
    }

    /** A refusal's message in {@code lang}, moments in its arguments written out in {@code zone}. */
    public String problemText(String lang, ZoneId zone, HttpProblem problem) {
        Object[] args = java.util.Arrays.stream(problem.args())
                .map(a -> a instanceof java.time.Instant i ? Templates.formatTime(i, zone, lang) : a).toArray();
        return text(lang, problem.key(), args);
    }

    public String text(String lang, String key, Object... args) {
        return messages.get(lang, key, args);
    }
}
