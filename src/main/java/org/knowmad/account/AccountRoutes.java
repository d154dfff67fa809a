package org.knowmad.account;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowmad.web.FormRetry;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.TrustedProxies;
import org.knowmad.web.Viewer;
import org.knowmad.web.WebSecurity;

/** Sign-in by email link, sign-out (here and everywhere), one's own sessions and API tokens, and the language switch. */
public final class AccountRoutes {

    private final SigninService signin;
    private final SessionService sessionService;
    private final AccountStore accounts;
    private final WebSecurity security;
    private final Pages pages;
    private final Pool pool;
    private final TrustedProxies proxies;

    public AccountRoutes(SigninService signin, SessionService sessionService, AccountStore accounts, WebSecurity security, Pages pages,
                         Pool pool, TrustedProxies proxies) {
        this.signin = signin;
        this.sessionService = sessionService;
        this.accounts = accounts;
        this.security = security;
        this.pages = pages;
        this.pool = pool;
        this.proxies = proxies;
    }

    public void mount(Router router) {
        router.get("/signin").handler(this::signinPage);
        router.post("/signin").handler(this::requestLink).failureHandler(FormRetry.on(this::signinPage));
        router.get("/signin/:token").handler(this::confirmPage);
        router.post("/signin/:token").handler(this::useLink);
        router.post("/signout").handler(this::signOut);
        router.post("/signout/everywhere").handler(this::signOutEverywhere);
        router.get("/me/access").handler(this::accessPage);
        router.post("/me/tokens/:id/revoke").handler(this::revokeTokenForm);
        router.post("/language").handler(this::chooseLanguage);

        router.get("/api/v1/me/tokens").handler(this::apiTokens);
        router.delete("/api/v1/me/tokens/:id").handler(this::apiRevokeToken);
        router.delete("/api/v1/me/sessions").handler(this::apiSignOutEverywhere);
    }

    private void signinPage(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        Map<String, Object> model = new HashMap<>();
        model.put("title", pages.text(lang, "signin.title"));
        // Shown again after a refused request, the return address is the one the form carried.
        String returnTo = SigninService.safeReturn(FormRetry.typed(ctx) != null ? ctx.request().getFormAttribute("return")
                : ctx.request().getParam("return"));
        model.put("returnTo", returnTo);
        // Switching language here keeps where signing in leads, but only the checked address.
        model.put("here", returnTo == null ? "/signin" : "/signin?return=" + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8));
        pages.render(ctx, "account/signin", lang, null, model);
    }

    private void requestLink(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        String email = ctx.request().getFormAttribute("email");
        String returnTo = ctx.request().getFormAttribute("return");
        signin.requestLink(email, proxies.clientIp(ctx.request().remoteAddress(), ctx.request().getHeader("X-Forwarded-For")),
                returnTo, lang).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Map<String, Object> model = new HashMap<>();
            model.put("title", pages.text(lang, "signin.sent.title"));
            model.put("email", email.trim());
            pages.render(ctx, "account/signin-sent", lang, null, model);
        });
    }

    /**
     * Shows a button rather than signing in on GET: mail scanners open links, and a single-use link
     * would be spent before the person clicks it.
     */
    private void confirmPage(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        Map<String, Object> model = new HashMap<>();
        model.put("title", pages.text(lang, "signin.confirm.title"));
        model.put("token", ctx.pathParam("token"));
        pages.render(ctx, "account/signin-confirm", lang, null, model);
    }

    private void useLink(RoutingContext ctx) {
        signin.signIn(ctx.pathParam("token")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            SigninService.SignedIn result = ar.result();
            security.startSession(ctx, result.sessionToken());
            // Checked again on the way out: a link stored before the check was strict must not put a control
            // character in a header (Vert.x would refuse it and the answer would never come) or leave the site.
            String back = SigninService.safeReturn(result.returnTo());
            // A language chosen before signing in becomes the account's (mails follow it), unless it has one.
            Cookie chosen = ctx.request().getCookie(Pages.LANG_COOKIE);
            Future<Void> adopted = chosen != null && Messages.LANGUAGES.contains(chosen.getValue()) && result.account().language() == null
                    ? accounts.adoptLanguage(pool, result.account().id(), chosen.getValue()) : Future.succeededFuture();
            // The person is signed in either way; should this fail, the cookie still carries the choice.
            adopted.onComplete(done -> ctx.response().setStatusCode(303).putHeader("Location", back != null ? back : "/me").end());
        });
    }

    private void signOut(RoutingContext ctx) {
        // Read before the cookie is expired: expiring it replaces the value this request reads, and the
        // session row would stay alive for anyone holding a copy of the cookie.
        Optional<String> token = security.sessionToken(ctx);
        security.endSession(ctx);
        token.map(sessionService::signOut).orElse(Future.succeededFuture())
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(303).putHeader("Location", "/").end();
                });
    }

    private void signOutEverywhere(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        security.endSession(ctx);
        sessionService.signOutEverywhere(accountId).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().setStatusCode(303).putHeader("Location", "/").end();
        });
    }

    /**
     * The "sign-ins and API tokens" section of {@code /me}: htmx loads it into that page (which belongs to the
     * cohort feature); opened directly it is a page of its own, so it works without JavaScript too.
     */
    private void accessPage(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        String lang = Pages.language(ctx, null);
        boolean fragment = "true".equals(ctx.request().getHeader("HX-Request"));
        sessionService.overview(accountId).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            SessionService.Overview o = ar.result();
            List<Map<String, Object>> tokens = new ArrayList<>();
            for (SessionStore.ApiToken t : o.tokens()) {
                Map<String, Object> m = new HashMap<>();
                m.put("id", t.id());
                m.put("label", t.label());
                m.put("createdAt", t.createdAt());
                m.put("lastUsedAt", t.lastUsedAt());
                m.put("expiresAt", t.expiresAt());
                m.put("expired", t.expired(o.now()));
                tokens.add(m);
            }
            Map<String, Object> model = new HashMap<>();
            model.put("title", pages.text(lang, "access.title"));
            model.put("tokens", tokens);
            model.put("activeSessions", o.activeSessions());
            model.put("revoked", ctx.request().getParam("revoked") != null);
            pages.render(ctx, fragment ? "account/access-section" : "account/access", lang, null, model);
        });
    }

    private void revokeTokenForm(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        sessionService.revokeToken(accountId, Http.pathLong(ctx, "id"))
                .map("/me/access?revoked=1")
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void apiTokens(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        sessionService.overview(accountId).map(o -> {
            JsonArray tokens = new JsonArray();
            for (SessionStore.ApiToken t : o.tokens()) {
                tokens.add(new JsonObject()
                        .put("id", t.id())
                        .put("label", t.label())
                        .put("createdAt", t.createdAt().toString())
                        .put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString())
                        .put("expiresAt", t.expiresAt().toString())
                        .put("expired", t.expired(o.now())));
            }
            return new JsonObject().put("tokens", tokens).put("activeSessions", o.activeSessions());
        }).onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void apiRevokeToken(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        sessionService.revokeToken(accountId, Http.pathLong(ctx, "id")).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().setStatusCode(204).end();
        });
    }

    /** Ends every session of the account (a cookie request's own too); API tokens stay until revoked. */
    private void apiSignOutEverywhere(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        if (!Viewer.of(ctx).viaApiToken()) security.endSession(ctx);
        sessionService.signOutEverywhere(accountId).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else Http.json(ctx, 200, new JsonObject().put("ended", ar.result()));
        });
    }

    /**
     * The language switcher of every page: the choice goes on the account when signed in (so mails follow it) and
     * into a cookie either way (a visitor's only place; after signing out the page stays in the chosen language),
     * then back to the page it was made on, through the same return-address check as sign-in.
     */
    private void chooseLanguage(RoutingContext ctx) {
        String lang = ctx.request().getFormAttribute("lang");
        if (lang == null || !Messages.LANGUAGES.contains(lang)) {
            ctx.fail(HttpProblem.badRequest("error.language"));
            return;
        }
        String back = SigninService.safeReturn(ctx.request().getFormAttribute("return"));
        Viewer viewer = Viewer.of(ctx);
        Future<Void> saved = viewer.signedIn() ? accounts.setLanguage(pool, viewer.accountId(), lang) : Future.succeededFuture();
        saved.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().addCookie(Cookie.cookie(Pages.LANG_COOKIE, lang).setPath("/").setMaxAge(365L * 24 * 3600)
                    .setSameSite(CookieSameSite.LAX).setHttpOnly(true));
            ctx.response().setStatusCode(303).putHeader("Location", back == null ? "/" : back).end();
        });
    }

}
