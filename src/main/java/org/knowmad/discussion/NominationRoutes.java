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
import java.util.function.Function;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** Nominating threads as meetup questions, voting, and the ranked list: pages and API. */
public final class NominationRoutes {

    private final NominationService service;
    private final DiscussionService discussions;
    private final Pages pages;

    public NominationRoutes(NominationService service, DiscussionService discussions, Pages pages) {
        this.service = service;
        this.discussions = discussions;
        this.pages = pages;
    }

    public void mount(Router router) {
        String thread = "/courses/:course/:cohort/threads/:thread";
        router.post(thread + "/nomination").handler(ctx -> form(ctx, t -> service.nominate(t, !"off".equals(ctx.request().getFormAttribute("nominated")))));
        router.post(thread + "/vote").handler(this::voteForm);
        router.get("/courses/:course/:cohort/meetup/questions").handler(this::rankedPage);

        router.put("/api/v1/threads/:thread/nomination").handler(ctx -> api(ctx, t -> service.nominate(t, true).map(v -> new JsonObject().put("nominated", true))));
        router.delete("/api/v1/threads/:thread/nomination").handler(ctx -> api(ctx, t -> service.nominate(t, false).map(v -> new JsonObject().put("nominated", false))));
        router.put("/api/v1/threads/:thread/vote").handler(ctx -> apiVote(ctx, true));
        router.delete("/api/v1/threads/:thread/vote").handler(ctx -> apiVote(ctx, false));
        router.get("/api/v1/courses/:course/:cohort/meetup/questions").handler(this::apiRanked);
    }

    private void form(RoutingContext ctx, Function<DiscussionService.ThreadAccess, Future<Void>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> action.apply(t).map(v -> "questions".equals(ctx.request().getFormAttribute("back"))
                        ? t.access().ref().path() + "/meetup/questions"
                        : t.access().ref().path() + "/threads/" + t.thread().id()))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().setStatusCode(303).putHeader("Location", ar.result()).end();
                });
    }

    private void voteForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        boolean on = !"off".equals(ctx.request().getFormAttribute("vote"));
        Idempotent.Key key = Idempotent.key(ctx);
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.form(votes -> "questions".equals(ctx.request().getFormAttribute("back"))
                            ? t.access().ref().path() + "/meetup/questions"
                            : t.access().ref().path() + "/threads/" + t.thread().id());
                    return service.vote(t, on, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiVote(RoutingContext ctx, boolean on) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        Idempotent.Key key = Idempotent.key(ctx);
        discussions.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.api(200, n -> new JsonObject().put("votes", n).put("voted", on).put("thread", t.thread().id()));
                    return service.vote(t, on, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void api(RoutingContext ctx, Function<DiscussionService.ThreadAccess, Future<JsonObject>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        discussions.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> action.apply(t).map(o -> o.put("thread", t.thread().id())))
                .onComplete(ar -> {
                    if (ar.failed()) ctx.fail(ar.cause());
                    else ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
                });
    }

    private void rankedPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        discussions.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.ranked(access).map(questions -> {
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (NominationStore.Question q : questions) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("title", q.title());
                        row.put("votes", q.votes());
                        row.put("voted", q.voted());
                        row.put("threadPath", access.ref().path() + "/threads/" + q.threadId());
                        row.put("module", access.ref().course().definition().module(q.moduleId()).map(m -> m.title()).orElse(q.moduleId()));
                        rows.add(row);
                    }
                    Map<String, Object> model = new HashMap<>();

                    model.put("course", access.ref().course().definition());
                    model.put("cohortPath", access.ref().path());
                    model.put("questions", rows);
                    model.put("canVote", discussions.rules().vote(access).allowed());
                    // Without a shared meetup (self-paced, or a course without one) the page must not promise one.
                    boolean noMeetup = access.ref().cohort().selfPaced() || access.ref().course().definition().meetup() == null;
                    model.put("noMeetup", noMeetup);
                    model.put("title", pages.text(lang, noMeetup ? "nomination.titleNoMeetup" : "nomination.title"));
                    pages.render(ctx, "discussion/questions", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    private void apiRanked(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        discussions.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(service::ranked)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    JsonArray list = new JsonArray();
                    ar.result().forEach(q -> list.add(new JsonObject().put("thread", q.threadId()).put("title", q.title())
                            .put("module", q.moduleId()).put("votes", q.votes()).put("votedByMe", q.voted())));
                    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("questions", list).encode());
                });
    }

}
