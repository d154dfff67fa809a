package org.knowmad.guidelines;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowmad.account.Account;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRequests;
import org.knowmad.cohort.CohortService;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** The guidelines a cohort writes itself: the page with proposals and votes, adoption, and the same in the API. */
public final class GuidelineRoutes {

    private static final String BASE = "/courses/:course/:cohort/guidelines";
    private static final String API = "/api/v1" + BASE;

    private final GuidelineService service;
    private final CohortService cohorts;
    private final Pages pages;

    public GuidelineRoutes(GuidelineService service, CohortService cohorts, Pages pages) {
        this.service = service;
        this.cohorts = cohorts;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get(BASE).handler(this::page);
        router.post(BASE + "/proposals").handler(this::proposeForm);
        router.post(BASE + "/proposals/:proposal/vote").handler(ctx -> form(ctx, a ->
                service.vote(a, proposal(ctx), !"off".equals(ctx.request().getFormAttribute("vote")))
                        .map(a.ref().path() + "/guidelines#proposal-" + proposal(ctx))));
        router.post(BASE + "/proposals/:proposal/withdraw").handler(ctx -> form(ctx, a ->
                service.withdraw(a, proposal(ctx)).map(a.ref().path() + "/guidelines")));
        router.post(BASE + "/versions").handler(this::adoptForm);
        router.post(BASE + "/window").handler(ctx -> form(ctx, a ->
                service.setWindow(a, days(ctx.request().getFormAttribute("days"))).map(a.ref().path() + "/guidelines")));
        router.post(BASE + "/acceptance").handler(ctx -> form(ctx, a -> service.accept(a).map(a.ref().path() + "/guidelines?accepted=1")));

        router.get(API).handler(this::apiPage);
        router.post(API + "/proposals").handler(this::apiPropose);
        router.put(API + "/proposals/:proposal/vote").handler(ctx -> api(ctx, a -> service.vote(a, proposal(ctx), true)
                .map(v -> new JsonObject().put("proposal", proposal(ctx)).put("voted", true))));
        router.delete(API + "/proposals/:proposal/vote").handler(ctx -> api(ctx, a -> service.vote(a, proposal(ctx), false)
                .map(v -> new JsonObject().put("proposal", proposal(ctx)).put("voted", false))));
        router.delete(API + "/proposals/:proposal").handler(ctx -> api(ctx, a -> service.withdraw(a, proposal(ctx))
                .map(v -> new JsonObject().put("proposal", proposal(ctx)).put("withdrawn", true))));
        router.post(API + "/versions").handler(this::apiAdopt);
        router.put(API + "/window").handler(ctx -> api(ctx, a -> {
            Object days = Http.jsonBody(ctx).getValue("days");
            return service.setWindow(a, days instanceof Integer d ? d : null).compose(v -> service.window(a.ref()))
                    .map(w -> new JsonObject().put("open", w.open()).put("until", w.until() == null ? null : w.until().toString()));
        }));
        router.put(API + "/acceptance").handler(ctx -> api(ctx, a -> service.accept(a).map(v -> new JsonObject().put("accepted", true))));
    }

    private static long proposal(RoutingContext ctx) {
        return Http.pathLong(ctx, "proposal");
    }

    private static Integer days(String raw) {
        try {
            return raw == null ? null : Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Future<CohortAccess> access(RoutingContext ctx) {
        return CohortRequests.access(cohorts, ctx);
    }

    private void form(RoutingContext ctx, Function<CohortAccess, Future<String>> action) {
        CohortRequests.form(cohorts, ctx, action);
    }

    private void api(RoutingContext ctx, Function<CohortAccess, Future<JsonObject>> action) {
        CohortRequests.api(cohorts, ctx, action);
    }

    private void proposeForm(RoutingContext ctx) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        var form = ctx.request();
        access(ctx).compose(a -> {
            Idempotent<Long> once = key.form(id -> a.ref().path() + "/guidelines#proposal-" + id);
            return service.propose(a, form.getFormAttribute("body"), "on".equals(form.getFormAttribute("anonymous")), once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiPropose(RoutingContext ctx) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        JsonObject body = Http.jsonBody(ctx);
        access(ctx).compose(a -> {
            Idempotent<Long> once = key.api(201, id -> new JsonObject().put("id", id));
            return service.propose(a, Http.string(body, "body"), Http.bool(body, "anonymous"), once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void adoptForm(RoutingContext ctx) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        List<Integer> course = new ArrayList<>();
        List<Long> proposals = new ArrayList<>();
        try {
            for (String s : ctx.request().formAttributes().getAll("course")) course.add(Integer.valueOf(s));
            for (String s : ctx.request().formAttributes().getAll("proposal")) proposals.add(Long.valueOf(s));
        } catch (NumberFormatException e) {
            ctx.fail(HttpProblem.badRequest("guidelines.nothingChosen"));
            return;
        }
        access(ctx).compose(a -> {
            Idempotent<Integer> once = key.form(v -> a.ref().path() + "/guidelines?adopted=" + v);
            return service.adopt(a, course, proposals, once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiAdopt(RoutingContext ctx) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        JsonObject body = Http.jsonBody(ctx);
        List<Integer> course = new ArrayList<>();
        List<Long> proposals = new ArrayList<>();
        try {
            JsonArray c = body.getJsonArray("course", new JsonArray());
            JsonArray p = body.getJsonArray("proposals", new JsonArray());
            for (int i = 0; i < c.size(); i++) course.add(c.getInteger(i));
            for (int i = 0; i < p.size(); i++) proposals.add(p.getLong(i));
        } catch (ClassCastException e) {
            ctx.fail(HttpProblem.badRequest("guidelines.nothingChosen"));
            return;
        }
        access(ctx).compose(a -> {
            Idempotent<Integer> once = key.api(201, v -> new JsonObject().put("version", v));
            return service.adopt(a, course, proposals, once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void page(RoutingContext ctx) {
        access(ctx).compose(a -> service.page(a).map(p -> {
            String lang = Pages.language(ctx, a.ref().course().definition().language());
            @SuppressWarnings("unchecked")
            Map<String, Object> model = (Map<String, Object>) plain(json(a, p));
            model.put("title", pages.text(lang, "guidelines.title") + " · " + a.ref().course().definition().title());
            model.put("cohortPath", a.ref().path());
            model.put("course", a.ref().course().definition());
            model.put("standingItems", ((Map<?, ?>) model.get("standing")).get("items"));
            model.put("untilAt", p.window().until());
            model.put("adoptedAt", p.standing().adoptedAt());
            model.put("version", p.standing().version());
            model.put("courseGuidelines", courseGuidelines(a));
            model.put("adopted", ctx.request().getParam("adopted"));
            model.put("accepted", ctx.request().getParam("accepted") != null);
            pages.render(ctx, "guidelines/guidelines", lang, a.ref().course().definition().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private void apiPage(RoutingContext ctx) {
        access(ctx).compose(a -> service.page(a).map(p -> json(a, p))).onComplete(ar -> Http.json(ctx, 200, ar));
    }

    /** JSON as plain maps and lists, which is what the templates read. */
    private static Object plain(Object o) {
        if (o instanceof JsonObject j) {
            Map<String, Object> m = new HashMap<>();
            j.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (o instanceof JsonArray a) {
            List<Object> l = new ArrayList<>();
            a.forEach(x -> l.add(plain(x)));
            return l;
        }
        return o;
    }

    private static List<Map<String, Object>> courseGuidelines(CohortAccess a) {
        List<Map<String, Object>> list = new ArrayList<>();
        List<String> texts = a.ref().course().definition().guidelines();
        for (int i = 0; i < texts.size(); i++) list.add(Map.of("position", i, "body", texts.get(i)));
        return list;
    }

    /** The page's facts as the viewer may see them: proposers' names only where the rules say so. */
    private JsonObject json(CohortAccess a, GuidelineService.Page p) {
        GuidelineRules rules = service.rules();
        long me = a.viewer().signedIn() ? a.viewer().accountId() : 0;
        JsonArray proposals = new JsonArray();
        for (GuidelineStore.Proposal x : p.proposals()) {
            boolean own = x.authorId() == me;
            proposals.add(new JsonObject().put("id", x.id()).put("body", x.body()).put("votes", x.votes()).put("voted", x.votedByMe())
                    .put("own", own).put("anonymous", x.anonymous())
                    .put("proposer", rules.knowProposer(a, x.anonymous(), x.authorId()) ? Account.shownName(x.authorName(), x.authorEmail()) : null)
                    .put("createdAt", x.createdAt().toString())
                    .put("canVote", rules.vote(a, p.window().switchedOn(), p.window().open(), own).allowed())
                    .put("canWithdraw", rules.withdraw(a, p.window().switchedOn(), p.window().open(), own).allowed()));
        }
        JsonArray items = new JsonArray();
        for (GuidelineStore.Item i : p.standing().items()) {
            boolean fromCourse = i.proposalId() == null && i.authorId() == null;
            boolean known = i.authorId() != null && rules.knowProposer(a, i.anonymous(), i.authorId());
            items.add(new JsonObject().put("body", i.body()).put("fromCourse", fromCourse)
                    .put("proposer", known ? Account.shownName(i.authorName(), i.authorEmail()) : null)
                    .put("anonymous", !fromCourse && !known));
        }
        JsonArray versions = new JsonArray();
        for (GuidelineStore.VersionRow v : p.versions()) {
            versions.add(new JsonObject().put("version", v.version()).put("adoptedAt", v.adoptedAt().toString()).put("items", v.items()));
        }
        return new JsonObject()
                .put("open", p.window().open())
                .put("until", p.window().until() == null ? null : p.window().until().toString())
                .put("standing", new JsonObject().put("version", p.standing().version())
                        .put("adoptedAt", p.standing().adoptedAt() == null ? null : p.standing().adoptedAt().toString()).put("items", items))
                .put("askToAccept", rules.askToAccept(a, p.standing().adoptedAt()))
                .put("canPropose", rules.propose(a, p.window().switchedOn(), p.window().open()).allowed())
                .put("canAdopt", rules.adopt(a, p.window().switchedOn()).allowed())
                .put("proposals", proposals)
                .put("versions", versions);
    }
}
