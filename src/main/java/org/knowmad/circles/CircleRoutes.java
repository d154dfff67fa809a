package org.knowmad.circles;

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
import org.knowmad.web.Idempotent;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** A cohort's circles: the overview (opt in, leave, form), one circle with its conversation, and the same in the API. */
public final class CircleRoutes {

    private static final String BASE = "/courses/:course/:cohort/circles";
    private static final String API = "/api/v1" + BASE;

    private final CircleService service;
    private final CohortService cohorts;
    private final Pages pages;
    private final Markdown markdown;

    public CircleRoutes(CircleService service, CohortService cohorts, Pages pages, Markdown markdown) {
        this.service = service;
        this.cohorts = cohorts;
        this.pages = pages;
        this.markdown = markdown;
    }

    public void mount(Router router) {
        router.get(BASE).handler(this::overviewPage);
        router.post(BASE + "/participation").handler(ctx -> form(ctx, a ->
                service.optIn(a, ctx.request().getFormAttribute("background")).map(a.ref().path() + "/circles?joined=1")));
        router.post(BASE + "/participation/end").handler(ctx -> form(ctx, a -> service.leave(a).map(a.ref().path() + "/circles?left=1")));
        router.post(BASE + "/formation").handler(ctx -> form(ctx, a -> service.form(a)
                .map(f -> a.ref().path() + "/circles?made=" + f.made() + "&placed=" + f.placed())));
        router.get(BASE + "/:circle").handler(this::circlePage);
        router.post(BASE + "/:circle/posts").handler(this::postForm);

        router.get(API).handler(ctx -> api(ctx, a -> service.overview(a).map(CircleRoutes::json)));
        router.put(API + "/participation").handler(ctx -> api(ctx, a -> service.optIn(a, Http.string(Http.jsonBody(ctx), "background"))
                .compose(v -> service.overview(a)).map(CircleRoutes::json)));
        router.delete(API + "/participation").handler(ctx -> api(ctx, a -> service.leave(a).compose(v -> service.overview(a)).map(CircleRoutes::json)));
        router.post(API + "/formation").handler(ctx -> api(ctx, a -> service.form(a).map(f -> new JsonObject().put("made", f.made())
                .put("placed", f.placed()).put("circles", f.circles()).put("waiting", f.waiting()))));
        router.get(API + "/:circle").handler(ctx -> api(ctx, a -> service.circle(a, circleId(ctx)).map(this::json)));
        router.post(API + "/:circle/posts").handler(this::apiPost);
    }

    private static long circleId(RoutingContext ctx) {
        return Http.pathLong(ctx, "circle");
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

    private void postForm(RoutingContext ctx) {
        Viewer.of(ctx).require();
        long circle = circleId(ctx);
        Idempotent.Key key = Idempotent.key(ctx);
        String body = ctx.request().getFormAttribute("body");
        access(ctx).compose(a -> {
            Idempotent<Long> once = key.form(id -> a.ref().path() + "/circles/" + circle + "#post-" + id);
            return service.post(a, circle, body, once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiPost(RoutingContext ctx) {
        Viewer.of(ctx).require();
        long circle = circleId(ctx);
        Idempotent.Key key = Idempotent.key(ctx);
        JsonObject body = Http.jsonBody(ctx);
        access(ctx).compose(a -> {
            Idempotent<Long> once = key.api(201, id -> new JsonObject().put("id", id));
            return service.post(a, circle, Http.string(body, "body"), once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void overviewPage(RoutingContext ctx) {
        access(ctx).compose(a -> service.overview(a).map(o -> {
            String lang = Pages.language(ctx, a.ref().course().definition().language());
            Map<String, Object> model = new HashMap<>();
            model.put("title", pages.text(lang, "circles.title") + " · " + a.ref().course().definition().title());
            model.put("cohortPath", a.ref().path());
            model.put("course", a.ref().course().definition());
            model.put("facilitator", o.facilitator());
            model.put("canTakePart", service.rules().takePart(a, true).allowed());
            model.put("canForm", service.rules().form(a, true).allowed());
            model.put("optedIn", o.optedIn());
            model.put("background", o.background());
            model.put("myCircle", o.myCircle());
            model.put("waiting", o.waiting());
            model.put("size", o.size());
            model.put("smallest", CirclePlan.smallest(o.size()));
            model.put("largest", CirclePlan.largest(o.size()));
            List<Map<String, Object>> backgrounds = new ArrayList<>();
            for (String b : o.backgrounds()) backgrounds.add(Map.of("name", b, "chosen", b.equals(o.background())));
            model.put("backgrounds", backgrounds);
            model.put("circles", circles(o.circles(), o.size()));
            model.put("joined", ctx.request().getParam("joined") != null);
            model.put("left", ctx.request().getParam("left") != null);
            if (ctx.request().getParam("made") != null) {
                model.put("formed", true);
                model.put("made", Http.queryInt(ctx, "made", 0));
                model.put("placed", Http.queryInt(ctx, "placed", 0));
            }
            pages.render(ctx, "circles/circles", lang, a.ref().course().definition().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private void circlePage(RoutingContext ctx) {
        long id = circleId(ctx);
        access(ctx).compose(a -> service.circle(a, id).map(p -> {
            String lang = Pages.language(ctx, a.ref().course().definition().language());
            Map<String, Object> model = new HashMap<>();
            model.put("title", pages.text(lang, "circles.circleTitle", p.circle().number()) + " · " + a.ref().course().definition().title());
            model.put("cohortPath", a.ref().path());
            model.put("circlesPath", a.ref().path() + "/circles");
            model.put("course", a.ref().course().definition());
            model.put("number", p.circle().number());
            model.put("id", p.circle().id());
            model.put("member", p.member());
            model.put("members", members(p.circle()));
            model.put("mixedBy", p.circle().members().stream().anyMatch(m -> m.background() != null));
            List<Map<String, Object>> posts = new ArrayList<>();
            for (CircleStore.Post post : p.posts()) {
                posts.add(Map.of("id", post.id(), "author", Account.shownName(post.authorName(), post.authorEmail()),
                        "html", markdown.toHtml(post.body()), "createdAt", post.createdAt()));
            }
            model.put("posts", posts);
            model.put("canPost", service.rules().post(a, true, p.member()).allowed());
            model.put("canLeave", p.member() && service.rules().takePart(a, true).allowed());
            model.put("maxBody", CircleService.MAX_BODY);
            pages.render(ctx, "circles/circle", lang, a.ref().course().definition().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private static List<Map<String, Object>> circles(List<CircleStore.Circle> circles, int size) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CircleStore.Circle c : circles) {
            list.add(Map.of("id", c.id(), "number", c.number(), "count", c.members().size(), "members", members(c),
                    "small", c.members().size() < CirclePlan.smallest(size)));
        }
        return list;
    }

    private static List<Map<String, Object>> members(CircleStore.Circle c) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CircleStore.Member m : c.members()) {
            Map<String, Object> row = new HashMap<>();
            row.put("name", Account.shownName(m.name(), m.email()));
            row.put("background", m.background());
            list.add(row);
        }
        return list;
    }

    private static JsonArray membersJson(CircleStore.Circle c) {
        JsonArray members = new JsonArray();
        for (CircleStore.Member m : c.members()) {
            members.add(new JsonObject().put("name", Account.shownName(m.name(), m.email())).put("background", m.background()));
        }
        return members;
    }

    private static JsonObject json(CircleService.Overview o) {
        JsonArray circles = new JsonArray();
        for (CircleStore.Circle c : o.circles()) {
            circles.add(new JsonObject().put("id", c.id()).put("number", c.number()).put("members", membersJson(c)));
        }
        return new JsonObject().put("size", o.size()).put("backgrounds", new JsonArray(o.backgrounds())).put("optedIn", o.optedIn())
                .put("background", o.background()).put("circle", o.myCircle()).put("circles", circles)
                .put("waiting", o.facilitator() ? o.waiting() : null);
    }

    private JsonObject json(CircleService.CirclePage p) {
        JsonArray posts = new JsonArray();
        for (CircleStore.Post post : p.posts()) {
            posts.add(new JsonObject().put("id", post.id()).put("author", Account.shownName(post.authorName(), post.authorEmail()))
                    .put("body", post.body()).put("html", markdown.toHtml(post.body())).put("createdAt", post.createdAt().toString()));
        }
        return new JsonObject().put("id", p.circle().id()).put("number", p.circle().number()).put("member", p.member())
                .put("members", membersJson(p.circle())).put("posts", posts);
    }
}
