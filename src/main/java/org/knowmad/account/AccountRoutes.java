package org.knowmad.account;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;
import org.knowmad.web.WebSecurity;

/** Sign-in by email link, sign-out, and the language switch. */
public final class AccountRoutes {

    private final SigninService signin;
    private final SessionStore sessions;
    private final AccountStore accounts;
    private final WebSecurity security;
    private final Pages pages;
    private final Pool pool;

    public AccountRoutes(SigninService signin, SessionStore sessions, AccountStore accounts, WebSecurity security, Pages pages, Pool pool) {
        this.signin = signin;
        this.sessions = sessions;
        this.accounts = accounts;
        this.security = security;
        this.pages = pages;
        this.pool = pool;
    }

    public void mount(Router router) {
        router.get("/signin").handler(this::signinPage);
        router.post("/signin").handler(this::requestLink);
        router.get("/signin/:token").handler(this::confirmPage);
        router.post("/signin/:token").handler(this::useLink);
        router.post("/signout").handler(this::signOut);
        router.post("/language").handler(this::chooseLanguage);
    }

    private void signinPage(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        Map<String, Object> model = new HashMap<>();
        model.put("title", pages.text(lang, "signin.title"));
        model.put("returnTo", SigninService.safeReturn(ctx.request().getParam("return")));
        pages.render(ctx, "account/signin", lang, null, model);
    }

    private void requestLink(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        String email = ctx.request().getFormAttribute("email");
        String returnTo = ctx.request().getFormAttribute("return");
        signin.requestLink(email, clientIp(ctx), returnTo, lang).onComplete(ar -> {
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
            String next = result.returnTo() != null ? result.returnTo() : "/me";
            ctx.response().setStatusCode(303).putHeader("Location", next).end();
        });
    }

    private void signOut(RoutingContext ctx) {
        security.endSession(ctx);
        security.sessionToken(ctx)
                .map(token -> sessions.delete(pool, token))
                .orElse(io.vertx.core.Future.succeededFuture())
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(303).putHeader("Location", "/").end();
                });
    }

    private void chooseLanguage(RoutingContext ctx) {
        String lang = ctx.request().getFormAttribute("lang");
        if (lang == null || !Messages.LANGUAGES.contains(lang)) {
            ctx.fail(HttpProblem.badRequest("error.language"));
            return;
        }
        ctx.response().addCookie(Cookie.cookie(Pages.LANG_COOKIE, lang).setPath("/").setMaxAge(365L * 24 * 3600)
                .setSameSite(CookieSameSite.LAX).setHttpOnly(true));
        String back = SigninService.safeReturn(ctx.request().getFormAttribute("return"));
        Viewer viewer = Viewer.of(ctx);
        io.vertx.core.Future<?> saved = viewer.signedIn()
                ? accounts.updateProfile(pool, viewer.accountId(), viewer.account().name(), lang)
                : io.vertx.core.Future.succeededFuture();
        saved.onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().setStatusCode(303).putHeader("Location", back == null ? "/" : back).end();
        });
    }

    /**
     * The client's address. Behind a proxy on a private or loopback address (the compose load
     * balancer), the last X-Forwarded-For entry is the address that proxy saw.
     */
    static String clientIp(RoutingContext ctx) {
        String remote = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
        String forwarded = ctx.request().getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank() || !isPrivate(remote)) return remote;
        String[] hops = forwarded.split(",");
        return hops[hops.length - 1].trim();
    }

    private static boolean isPrivate(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
