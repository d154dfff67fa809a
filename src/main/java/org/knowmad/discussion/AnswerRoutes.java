package org.knowmad.discussion;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.web.Http;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** Marking the answer that helped, and a post's edit history: pages and the same under /api/v1. */
public final class AnswerRoutes {

    private final AnswerService service;
    private final DiscussionService discussions;
    private final Pages pages;
    private final Markdown markdown;

    public AnswerRoutes(AnswerService service, DiscussionService discussions, Pages pages, Markdown markdown) {
        this.service = service;
        this.discussions = discussions;
        this.pages = pages;
        this.markdown = markdown;
    }

    public void mount(Router router) {
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/solution").handler(this::solutionForm);
        router.get("/courses/:course/:cohort/threads/:thread/posts/:number/history").handler(this::historyPage);
        router.put("/api/v1/threads/:thread/posts/:number/solution").handler(this::apiMark);
        router.delete("/api/v1/threads/:thread/solution").handler(this::apiUnmark);
        router.get("/api/v1/threads/:thread/posts/:number/history").handler(this::apiHistory);
    }

    /** Marks the post ({@code solved=off}: takes the thread's mark away), then back to the thread's top. */
    private void solutionForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        boolean on = !"off".equals(ctx.request().getFormAttribute("solved"));
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> (on ? service.markSolved(t, number) : service.unmarkSolved(t))
                        .map(v -> t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void apiMark(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        discussions.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> service.markSolved(t, number).map(v -> new JsonObject().put("thread", t.thread().id()).put("solved", number)))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void apiUnmark(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        discussions.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> service.unmarkSolved(t).map(v -> new JsonObject().put("thread", t.thread().id()).putNull("solved")))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void historyPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        int number = Http.pathInt(ctx, "number");
        discussions.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> service.history(t, number).map(h -> {
                    CohortAccess access = t.access();
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    String mentions = access.ref().path() + "/people/";
                    List<Map<String, Object>> versions = new ArrayList<>();
                    // Newest first, as Discourse shows revisions; each with what changed from the one before.
                    List<PostHistory.Version> all = h.versions();
                    for (int i = all.size() - 1; i >= 0; i--) {
                        PostHistory.Version v = all.get(i);
                        Map<String, Object> row = new HashMap<>();
                        row.put("number", v.number());
                        row.put("at", v.at());
                        row.put("current", v.current());
                        row.put("html", markdown.toHtml(v.body(), mentions));
                        if (i > 0) row.put("diff", PostHistory.diff(all.get(i - 1).body(), v.body()));
                        versions.add(row);
                    }
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", pages.text(lang, "history.title", number) + " · " + t.thread().title());
                    model.put("course", access.ref().course().definition());
                    model.put("cohortPath", access.ref().path());
                    model.put("module", t.module());
                    model.put("threadTitle", t.thread().title());
                    model.put("threadPath", access.ref().path() + "/threads/" + t.thread().id());
                    model.put("number", number);
                    model.put("deleted", h.deleted());
                    model.put("versions", versions);
                    model.put("edits", all.size() - 1);
                    pages.render(ctx, "discussion/history", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    private void apiHistory(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        int number = Http.pathInt(ctx, "number");
        discussions.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> service.history(t, number).map(h -> {
                    ZoneId zone = t.access().ref().course().definition().zone();
                    String mentions = t.access().ref().path() + "/people/";
                    JsonArray versions = new JsonArray();
                    for (PostHistory.Version v : h.versions()) {
                        versions.add(new JsonObject().put("version", v.number()).put("at", v.at().atZone(zone).toOffsetDateTime().toString())
                                .put("current", v.current()).put("body", v.body()).put("html", markdown.toHtml(v.body(), mentions)));
                    }
                    // Never who wrote or edited: the thread's own view says that, and hides it for an anonymous post.
                    return new JsonObject().put("thread", t.thread().id()).put("number", number).put("deleted", h.deleted())
                            .put("versions", versions);
                }))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }
}
