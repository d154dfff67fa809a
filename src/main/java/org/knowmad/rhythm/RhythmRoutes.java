package org.knowmad.rhythm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRequests;
import org.knowmad.cohort.CohortService;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** One's own sharing rhythm in a cohort: a private page and the same in the API. There is no URL for anyone else's. */
public final class RhythmRoutes {

    private static final String BASE = "/courses/:course/:cohort/rhythm";

    private final RhythmService service;
    private final CohortService cohorts;
    private final Pages pages;

    public RhythmRoutes(RhythmService service, CohortService cohorts, Pages pages) {
        this.service = service;
        this.cohorts = cohorts;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get(BASE).handler(this::page);
        router.post(BASE).handler(this::setForm);
        router.get("/api/v1" + BASE).handler(ctx -> access(ctx).compose(service::view).map(RhythmRoutes::json)
                .onComplete(ar -> Http.json(ctx, 200, ar)));
        router.put("/api/v1" + BASE).handler(this::apiSet);
    }

    private Future<CohortAccess> access(RoutingContext ctx) {
        Viewer.of(ctx).require();
        return CohortRequests.access(cohorts, ctx);
    }

    /** {@code every}: 7, 14 or 30 days, or "off"; anything else is a 400. */
    private static Integer period(String raw) {
        if (raw == null || raw.isBlank()) throw HttpProblem.badRequest("rhythm.badPeriod");
        if ("off".equals(raw.strip())) return null;
        try {
            return Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("rhythm.badPeriod");
        }
    }

    private void setForm(RoutingContext ctx) {
        // Who is asking is settled before what they typed: a stranger's bad value is a 403, not a 400.
        access(ctx).compose(a -> service.may(a).compose(v -> service.setGoal(a, period(ctx.request().getFormAttribute("every"))))
                        .map(a.ref().path() + "/rhythm?saved=1"))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void apiSet(RoutingContext ctx) {
        JsonObject body = Http.jsonBody(ctx);
        Object every = body.getValue("every");
        access(ctx).compose(a -> service.may(a).map(a)).compose(a -> {
            if (every != null && !(every instanceof Integer)) throw HttpProblem.badRequest("rhythm.badPeriod");
            return service.setGoal(a, (Integer) every).compose(v -> service.view(a));
        }).map(RhythmRoutes::json).onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void page(RoutingContext ctx) {
        access(ctx).compose(a -> service.view(a).map(v -> {
            String lang = Pages.language(ctx, a.ref().course().definition().language());
            Map<String, Object> model = new HashMap<>();
            model.put("title", pages.text(lang, "rhythm.title") + " · " + a.ref().course().definition().title());
            model.put("course", a.ref().course().definition());
            model.put("cohortPath", a.ref().path());
            model.put("every", v.goal().map(Rhythm::periodDays).orElse(null));
            model.put("periodKey", v.goal().map(r -> "rhythm.period." + r.periodDays()).orElse(null));
            model.put("met", v.metThisPeriod());
            model.put("periodEnds", v.periodEnds());
            model.put("streak", v.streak());
            model.put("saved", ctx.request().getParam("saved") != null);
            pages.render(ctx, "rhythm/rhythm", lang, a.ref().course().definition().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private static JsonObject json(RhythmService.View v) {
        return new JsonObject()
                .put("every", v.goal().map(Rhythm::periodDays).orElse(null))
                .put("since", v.goal().map(r -> r.setAt().toString()).orElse(null))
                .put("metThisPeriod", v.metThisPeriod())
                .put("periodEnds", v.periodEnds() == null ? null : v.periodEnds().toString())
                .put("streak", v.streak());
    }
}
