package org.knowmad.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
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
     * The interface language of a page: the person's own choice (account, else the cookie the switcher set),
     * else the browser's {@code Accept-Language}, else the language of the course the page is about, else English.
     * Course content keeps the course's language; only the interface around it follows this.
     */
    public static String language(RoutingContext ctx, String courseLanguage) {
        return choose(accountChoice(ctx), cookieChoice(ctx), ctx.request().getHeader("Accept-Language"), courseLanguage);
    }

    /**
     * The language of an API answer (problem details): a client states what it wants per request, so the
     * request's {@code Accept-Language} comes first, then the person's choice, then the course's, then English.
     */
    public static String apiLanguage(RoutingContext ctx, String courseLanguage) {
        return chooseForApi(accountChoice(ctx), cookieChoice(ctx), ctx.request().getHeader("Accept-Language"), courseLanguage);
    }

    /** Pure form of {@link #language}: each argument may be null or anything a client sent. */
    static String choose(String account, String cookie, String acceptLanguage, String course) {
        String chosen = spoken(account) != null ? spoken(account) : spoken(cookie);
        if (chosen != null) return chosen;
        String accepted = fromAcceptLanguage(acceptLanguage);
        if (accepted != null) return accepted;
        return course == null ? "en" : Messages.supported(course);
    }

    /** Pure form of {@link #apiLanguage}. */
    static String chooseForApi(String account, String cookie, String acceptLanguage, String course) {
        String accepted = fromAcceptLanguage(acceptLanguage);
        return accepted != null ? accepted : choose(account, cookie, null, course);
    }

    private static String accountChoice(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        return viewer != null && viewer.account() != null ? viewer.account().language() : null;
    }

    private static String cookieChoice(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(LANG_COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** A language we speak exactly as stored or sent ("nl"), else null. */
    private static String spoken(String lang) {
        return lang != null && Messages.LANGUAGES.contains(lang) ? lang : null;
    }

    /**
     * The first language of an Accept-Language header we speak, or null when it names none (or is missing or
     * malformed: total, any input just means "no preference we can honour").
     */
    static String fromAcceptLanguage(String accept) {
        if (accept == null) return null;
        String best = null;
        double bestWeight = 0;
        // Best first by weight, then by the order given; a hand-written parser, because the JDK's throws on inputs like "-".
        for (String part : accept.split(",")) {
            String[] pieces = part.split(";");
            if (pieces.length == 0) continue;
            String lang = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
            int dash = lang.indexOf('-');
            if (dash >= 0) lang = lang.substring(0, dash);
            double weight = pieces.length > 1 ? weight(pieces[1]) : 1;
            if (weight > bestWeight && Messages.LANGUAGES.contains(lang)) {
                best = lang;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** The q value of a language range, 0 (not wanted) when it is not a number between 0 and 1. */
    private static double weight(String parameter) {
        String p = parameter.trim();
        int eq = p.indexOf('=');
        if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("q")) return 0;
        String value = p.substring(eq + 1).trim();
        if (!value.matches("[01](\\.[0-9]{0,3})?")) return 0;
        double q = Double.parseDouble(value);
        return q <= 1 ? q : 0;
    }

    /** Renders {@code template} and ends the response with status 200. */
    public void render(RoutingContext ctx, String template, String lang, ZoneId zone, Map<String, Object> model) {
        render(ctx, 200, template, lang, zone, model);
    }

    public void render(RoutingContext ctx, int status, String template, String lang, ZoneId zone, Map<String, Object> model) {
        render(ctx, status, template, lang, zone, model, null);
    }

    /**
     * Where a page's kept part goes: a template writes {@code {{{insert}}}} (the model's {@code insert} is this
     * marker) and the part, already UTF-8, is written there without passing through the template or being encoded
     * again. An HTML comment, so no escaped or sanitised text on a page can contain it.
     */
    public static final String INSERT = "<!--knowmad:insert-->";

    /** Renders {@code template} with {@code insert} (bytes kept by the caller) at its {@link #INSERT} marker. */
    public void render(RoutingContext ctx, String template, String lang, ZoneId zone, Map<String, Object> model,
            io.vertx.core.buffer.Buffer insert) {
        render(ctx, 200, template, lang, zone, model, insert);
    }

    private void render(RoutingContext ctx, int status, String template, String lang, ZoneId zone, Map<String, Object> model,
            io.vertx.core.buffer.Buffer insert) {
        if (insert != null) model.put("insert", new com.github.jknack.handlebars.Handlebars.SafeString(INSERT));
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
        root.putIfAbsent("idem", UUID.randomUUID().toString()); // a page whose kept parts carry one already passes it
        root.put("devMail", devMail);
        root.put("path", ctx.request().path());
        root.putIfAbsent("here", here(ctx)); // a page carrying a return address of its own passes it checked
        root.putIfAbsent("title", "Knowmad");
        String html = templates.render(template, root);
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Language", lang)
                .putHeader("Cache-Control", "no-store");
        int at = insert == null ? -1 : html.indexOf(INSERT);
        if (at < 0) {
            ctx.response().end(html);
            return;
        }
        io.vertx.core.buffer.Buffer page = io.vertx.core.buffer.Buffer.buffer(html.length() + insert.length() + 1_024);
        page.appendString(html.substring(0, at)).appendBuffer(insert).appendString(html.substring(at + INSERT.length()));
        ctx.response().end(page);
    }

    /** A fragment rendered on its own, to be kept by the caller (see {@link Templates#renderFragment}). */
    public String fragment(String template, Object model, String lang, ZoneId zone) {
        return templates.renderFragment(template, model, lang, zone);
    }

    /** A refusal's message in {@code lang}, moments in its arguments written out in {@code zone}. */
    public String problemText(String lang, ZoneId zone, HttpProblem problem) {
        Object[] args = java.util.Arrays.stream(problem.args())
                .map(a -> a instanceof java.time.Instant i ? Templates.formatTime(i, zone, lang) : a).toArray();
        return text(lang, problem.key(), args);
    }

    /**
     * Where the language switcher returns to: this page as asked for (path and query) when it was a GET; after a
     * form post (a page showing why the form was refused) the page the form was on, which a GET can show again.
     * The switcher checks it again ({@code SigninService.safeReturn}) before redirecting.
     */
    static String here(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.GET) return ctx.request().uri();
        String referer = ctx.request().getHeader("Referer");
        if (referer == null) return "/";
        try {
            java.net.URI uri = new java.net.URI(referer);
            String path = uri.getRawPath();
            if (path == null || path.isEmpty()) return "/";
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
    }

    public String text(String lang, String key, Object... args) {
        return messages.get(lang, key, args);
    }
}
