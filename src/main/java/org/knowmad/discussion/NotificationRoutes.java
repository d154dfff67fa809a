package org.knowmad.discussion;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** The notification preferences page and API. */
public final class NotificationRoutes {

    private final NotificationService service;
    private final Pages pages;

    public NotificationRoutes(NotificationService service, Pages pages) {
        this.service = service;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get("/me/notifications").handler(this::page);
        router.post("/me/notifications").handler(this::save);
        router.get("/api/v1/me/notifications").handler(this::apiGet);
        router.put("/api/v1/me/notifications").handler(this::apiPut);
    }

    private void page(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        String lang = Pages.language(ctx, null);
        service.mode(viewer.accountId()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Map<String, Object>> modes = NotificationService.MODES.stream()
                    .map(m -> Map.<String, Object>of("value", m, "label", pages.text(lang, "notify.mode." + m), "checked", m.equals(ar.result())))
                    .toList();
            pages.render(ctx, "discussion/notifications", lang, null, Map.of(
                    "title", pages.text(lang, "notify.title"), "modes", modes, "saved", "1".equals(ctx.request().getParam("saved"))));
        });
    }

    private void save(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.setMode(viewer.accountId(), ctx.request().getFormAttribute("mode")).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().setStatusCode(303).putHeader("Location", "/me/notifications?saved=1").end();
        });
    }

    private void apiGet(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.mode(viewer.accountId()).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("mode", ar.result()).encode());
        });
    }

    private void apiPut(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        Object mode;
        try {
            mode = ctx.body().asJsonObject().getValue("mode");
        } catch (RuntimeException e) {
            throw HttpProblem.badRequest("error.badJson");
        }
        if (!(mode instanceof String m)) throw HttpProblem.badRequest("notify.badMode");
        service.setMode(viewer.accountId(), m).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("mode", m).encode());
        });
    }
}
