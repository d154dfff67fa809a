package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.knowmad.cohort.CohortService;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** Flags, the facilitators' moderation queue, hide/restore and silence: pages and API. */
public final class ModerationRoutes {

    private final ModerationService service;
    private final DiscussionService discussions;
    private final CohortService cohorts;
    private final Pages pages;
    private final Markdown markdown;

    public ModerationRoutes(ModerationService service, DiscussionService discussions, CohortService cohorts, Pages pages, Markdown markdown) {
        this.service = service;
        this.discussions = discussions;
        this.cohorts = cohorts;
        this.pages = pages;
        this.markdown = markdown;
    }

    public void mount(Router router) {
        String post = "/courses/:course/:cohort/threads/:thread/posts/:number";
        router.post(post + "/flag").handler(this::flagForm);
        router.post(post + "/hide").handler(ctx -> form(ctx, service::hide));
        router.post(post + "/restore").handler(ctx -> form(ctx, service::restore));
        router.get("/courses/:course/:cohort/moderation").handler(this::queuePage);
        router.post("/courses/:course/:cohort/silenced").handler(this::silenceForm);

        String apiPost = "/api/v1/threads/:thread/posts/:number";
        router.post(apiPost + "/flags").handler(this::apiFlag);
        router.put(apiPost + "/hidden").handler(ctx -> api(ctx, (t, n) -> service.hide(t, n).map(v -> new JsonObject().put("number", n).put("hidden", true))));
        router.delete(apiPost + "/hidden").handler(ctx -> api(ctx, (t, n) -> service.restore(t, n).map(v -> new JsonObject().put("number", n).put("hidden", false))));
        router.get("/api/v1/courses/:course/:cohort/moderation").handler(this::apiQueue);
        router.put("/api/v1/courses/:course/:cohort/silenced/:account").handler(ctx -> apiSilence(ctx, true));
        router.delete("/api/v1/courses/:course/:cohort/silenced/:account").handler(ctx -> apiSilence(ctx, false));
    }

    private void form(RoutingContext ctx, BiFunction<DiscussionService.ThreadAccess, Integer, Future<Void>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> action.apply(t, number).map(v -> {
                    String back = ctx.request().getFormAttribute("back");
                    return "queue".equals(back) ? t.access().ref().path() + "/moderation"
                            : t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number;
                }))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(303).putHeader("Location", ar.result()).end();
                });
    }

    private void flagForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        Idempotent.Key key = Idempotent.key(ctx);
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<ModerationStore.FlagResult> once = key.form(r -> "queue".equals(ctx.request().getFormAttribute("back"))
                            ? t.access().ref().path() + "/moderation"
                            : t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number);
                    return service.flag(t, number, ctx.request().getFormAttribute("reason"), once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiFlag(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        Idempotent<ModerationStore.FlagResult> once = Idempotent.key(ctx).api(200,
                r -> new JsonObject().put("number", number).put("flags", r.flags()).put("hidden", r.hidden()));
        discussions.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> service.flag(t, number, reason(ctx), once)).map(once::answer)
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void api(RoutingContext ctx, BiFunction<DiscussionService.ThreadAccess, Integer, Future<JsonObject>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        discussions.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> action.apply(t, number)).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
        });
    }

    private void queuePage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> Future.all(service.queue(access), discussions.openHelpRequests(access)).map(both -> {
                    List<ModerationStore.Flagged> items = both.resultAt(0);
                    List<DiscussionStore.HelpRequest> help = both.resultAt(1);
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    // Working out loud: unanswered help requests first, oldest first (facilitators know anonymous authors).
                    List<Map<String, Object>> helpRows = HelpRequestRows.of(access, help, lang, discussions, pages);
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (ModerationStore.Flagged f : items) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("threadTitle", f.threadTitle());
                        row.put("postPath", access.ref().path() + "/threads/" + f.threadId() + "/posts/" + f.number());
                        row.put("link", access.ref().path() + "/threads/" + f.threadId() + "#post-" + f.number());
                        row.put("number", f.number());
                        row.put("html", markdown.toHtml(f.body()));
                        row.put("flags", f.flags());
                        row.put("hidden", f.hiddenAt() != null);
                        row.put("reasons", f.reasons());
                        row.put("author", f.authorId() == null ? pages.text(lang, "post.facilitators")
                                : f.authorName() + " <" + f.authorEmail() + ">" + (f.anonymous() ? " (" + pages.text(lang, "post.anonymous").toLowerCase() + ")" : ""));
                        row.put("authorId", f.authorId());
                        row.put("authorSilenced", f.authorSilenced());
                        rows.add(row);
                    }
                    pages.render(ctx, "discussion/moderation", lang, access.ref().course().definition().zone(), Map.of(
                            "title", pages.text(lang, "moderation.title"),
                            "cohortPath", access.ref().path(),
                            "course", access.ref().course().definition(),
                            "items", rows,
                            "helpRequests", helpRows));
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    private void silenceForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        long account = parseLong(ctx.request().getFormAttribute("account"));
        boolean on = !"off".equals(ctx.request().getFormAttribute("silenced"));
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.silence(access, account, on).map(v -> access.ref().path() + "/moderation"))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(303).putHeader("Location", ar.result()).end();
                });
    }

    private void apiQueue(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.queue(access))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    JsonArray list = new JsonArray();
                    for (ModerationStore.Flagged f : ar.result()) {
                        list.add(new JsonObject().put("thread", f.threadId()).put("number", f.number()).put("body", f.body())
                                .put("flags", f.flags()).put("hidden", f.hiddenAt() != null).put("reasons", f.reasons())
                                .put("authorId", f.authorId()).put("author", f.authorName()).put("authorSilenced", f.authorSilenced()));
                    }
                    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("queue", list).encode());
                });
    }

    private void apiSilence(RoutingContext ctx, boolean on) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        long account = parseLong(ctx.pathParam("account"));
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.silence(access, account, on))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(204).end();
                });
    }

    private static String reason(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
            Object v = body == null ? null : body.getValue("reason");
            if (v != null && !(v instanceof String)) throw HttpProblem.badRequest("flag.reasonRequired");
            return (String) v;
        } catch (io.vertx.core.json.DecodeException e) {
            throw HttpProblem.badRequest("error.badJson");
        }
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("error.badRequest");
        }
    }

}
