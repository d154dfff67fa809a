package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.ModuleSection;
import org.knowmad.cohort.ModuleView;
import org.knowmad.live.StreamHub;
import org.knowmad.live.LiveEvents;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.FormRetry;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** Thread lists on module pages, thread pages, replies, live updates; and the same under /api/v1. */
public final class DiscussionRoutes implements ModuleSection {

    private final DiscussionService service;
    private final Pages pages;
    private final Markdown markdown;
    private final NominationService nominations;
    private final AnswerService answers;

    private final StreamHub streams;

    private final org.knowmad.guidelines.GuidelineService guidelines;
    private final ActivityRecorder activity;

    private final PostMarkup markup;

    public DiscussionRoutes(DiscussionService service, NominationService nominations, AnswerService answers, Pages pages, Markdown markdown,
                            StreamHub streams, org.knowmad.guidelines.GuidelineService guidelines, ActivityRecorder activity) {
        this.answers = answers;
        this.activity = activity;
        this.streams = streams;
        this.guidelines = guidelines;
        this.service = service;
        this.nominations = nominations;
        this.pages = pages;
        this.markdown = markdown;
        this.markup = new PostMarkup(pages);
    }

    public void mount(Router router) {
        router.post("/courses/:course/:cohort/modules/:module/threads").handler(this::startThreadForm);
        router.get("/courses/:course/:cohort/threads/:thread").handler(this::threadPage);
        router.get("/courses/:course/:cohort/threads/:thread/posts").handler(this::postsFragment);
        router.post("/courses/:course/:cohort/threads/:thread/posts").handler(this::replyForm).failureHandler(FormRetry.on(this::threadPage));
        router.get("/courses/:course/:cohort/threads/:thread/events").handler(this::events);
        router.get("/courses/:course/:cohort/threads/:thread/posts/:number/edit").handler(this::editPage);
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/edit").handler(ctx -> postAction(ctx,
                (t, n) -> service.edit(t, n, ctx.request().getFormAttribute("body")))).failureHandler(FormRetry.on(this::editPage));
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/delete").handler(ctx -> postAction(ctx, service::delete));
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/helpful").handler(this::helpfulForm);
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/reactions/:kind").handler(this::reactionForm);
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/mark").handler(ctx -> postAction(ctx,
                (t, n) -> service.mark(t, n, ctx.request().getFormAttribute("mark"))));
        router.post("/courses/:course/:cohort/threads/:thread/posts/:number/endorse").handler(ctx -> postAction(ctx,
                (t, n) -> service.endorse(t, n, !"off".equals(ctx.request().getFormAttribute("endorse")))));
        router.post("/courses/:course/:cohort/threads/:thread/settings").handler(this::settingsForm);
        router.post("/courses/:course/:cohort/threads/:thread/follow").handler(this::followForm);

        router.get("/courses/:course/:cohort/search").handler(this::searchPage);
        router.get("/courses/:course/:cohort/people/:handle").handler(this::personPage);
        router.get("/api/v1/courses/:course/:cohort/search").handler(this::apiSearch);
        router.get("/api/v1/courses/:course/:cohort/modules/:module/threads").handler(this::apiThreads);
        router.post("/api/v1/courses/:course/:cohort/modules/:module/threads").handler(this::apiStartThread);
        router.get("/api/v1/threads/:thread").handler(this::apiThread);
        router.post("/api/v1/threads/:thread/posts").handler(this::apiReply);
        router.patch("/api/v1/threads/:thread").handler(this::apiSettings);
        router.put("/api/v1/threads/:thread/follow").handler(ctx -> apiFollow(ctx, true));
        router.delete("/api/v1/threads/:thread/follow").handler(ctx -> apiFollow(ctx, false));
        router.put("/api/v1/threads/:thread/posts/:number").handler(ctx -> apiPostAction(ctx,
                (t, n) -> service.edit(t, n, Http.string(Http.jsonBody(ctx), "body")).map(v -> new JsonObject().put("number", n))));
        router.delete("/api/v1/threads/:thread/posts/:number").handler(ctx -> apiPostAction(ctx,
                (t, n) -> service.delete(t, n).map(v -> new JsonObject().put("number", n).put("deleted", true))));
        router.put("/api/v1/threads/:thread/posts/:number/helpful").handler(ctx -> apiHelpful(ctx, true));
        router.delete("/api/v1/threads/:thread/posts/:number/helpful").handler(ctx -> apiHelpful(ctx, false));
        router.put("/api/v1/threads/:thread/posts/:number/reactions/:kind").handler(ctx -> apiReaction(ctx, true));
        router.delete("/api/v1/threads/:thread/posts/:number/reactions/:kind").handler(ctx -> apiReaction(ctx, false));
        router.put("/api/v1/threads/:thread/posts/:number/mark").handler(ctx -> apiPostAction(ctx, (t, n) -> {
            Object mark = Http.jsonBody(ctx).getValue("mark");
            if (mark != null && !(mark instanceof String)) throw HttpProblem.badRequest("mark.bad");
            return service.mark(t, n, (String) mark).map(v -> new JsonObject().put("number", n).put("mark", mark));
        }));
        router.delete("/api/v1/threads/:thread/posts/:number/mark").handler(ctx -> apiPostAction(ctx,
                (t, n) -> service.mark(t, n, null).map(v -> new JsonObject().put("number", n).putNull("mark"))));
        router.put("/api/v1/threads/:thread/posts/:number/endorsement").handler(ctx -> apiPostAction(ctx,
                (t, n) -> service.endorse(t, n, true).map(v -> new JsonObject().put("number", n).put("endorsed", true))));
        router.delete("/api/v1/threads/:thread/posts/:number/endorsement").handler(ctx -> apiPostAction(ctx,
                (t, n) -> service.endorse(t, n, false).map(v -> new JsonObject().put("number", n).put("endorsed", false))));
    }

    // ---- module page section ----

    @Override
    public Future<Map<String, Object>> model(CohortAccess access, ModuleView module, String lang, MultiMap query) {
        var m = new DiscussionService.ModuleAccess(access, module);
        ThreadList list = listOf(query);
        return service.threads(m, list).map(threads -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ThreadRow t : threads) rows.add(threadRow(access, t, lang));
            Map<String, Object> model = new HashMap<>();
            model.put("threads", rows);
            model.put("canStartThread", service.rules().startThread(access, module).allowed());
            model.put("threadsPath", access.ref().path() + "/modules/" + module.id() + "/threads");
            model.put("guidelines", access.ref().course().definition().guidelines());
            model.put("listOrders", listLinks(module, list, access.viewer().signedIn(), kept(query)));
            model.put("listFiltered", list.filter() != ThreadList.Filter.ALL || list.order() == ThreadList.Order.UNANSWERED || list.mark() != null);
            model.put("markLinks", markLinks(module, list, query));
            if (threads.size() == list.limit()) {
                model.put("threadsMore", module.path() + with(listQuery(list.order(), list.filter(), list.next(threads.get(threads.size() - 1))),
                        kept(query)) + "#discussions");
            }
            return model;
        });
    }

    /** The list's parameters from a query string; 400 for a value that is not one of the allowed ones. */
    static ThreadList listOf(MultiMap query) {
        return ThreadList.parse(query.get("order"), query.get("filter"), query.get("after"), query.get("limit"), query.get("mark"));
    }

    /** The links above the list: every order, then the filters (for people signed in), the current ones marked. */
    private static List<Map<String, Object>> listLinks(ModuleView module, ThreadList list, boolean signedIn, String kept) {
        List<Map<String, Object>> links = new ArrayList<>();
        for (ThreadList.Order o : ThreadList.Order.values()) {
            links.add(Map.of("label", "threads.order." + o.param(), "path", module.path() + with(ThreadList.query(o, list.filter()), kept) + "#discussions",
                    "current", o == list.order(), "filter", false));
        }
        if (signedIn) {
            for (ThreadList.Filter f : ThreadList.Filter.values()) {
                links.add(Map.of("label", "threads.filter." + f.param(), "path", module.path() + with(ThreadList.query(list.order(), f), kept) + "#discussions",
                        "current", f == list.filter(), "filter", true));
            }
        }
        return links;
    }

    /** Working out loud: the list's links to threads with a post marked "wip" or "help", each a toggle, the current one marked. */
    private static List<Map<String, Object>> markLinks(ModuleView module, ThreadList list, MultiMap query) {
        String kept = kept(query).replaceAll("(^|&)mark=[^&]*", "").replaceFirst("^&", "");
        List<Map<String, Object>> links = new ArrayList<>();
        for (String mark : ThreadRules.MARKS) {
            boolean current = mark.equals(list.mark());
            String keep = current ? kept : (kept.isEmpty() ? "" : kept + "&") + "mark=" + mark;
            links.add(Map.of("label", "mark." + mark, "path", module.path() + with(ThreadList.query(list.order(), list.filter()), keep) + "#discussions",
                    "current", current));
        }
        return links;
    }

    private static final java.util.Set<String> LIST_PARAMS = java.util.Set.of("order", "filter", "after", "limit");

    /** The page's other parameters (a facilitator's preview date), kept when the list's order or filter changes. */
    private static String kept(MultiMap query) {
        StringBuilder q = new StringBuilder();
        for (var e : query.entries()) {
            if (LIST_PARAMS.contains(e.getKey())) continue;
            q.append(q.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private static String with(String listQuery, String kept) {
        if (kept.isEmpty()) return listQuery;
        return listQuery.isEmpty() ? "?" + kept : listQuery + "&" + kept;
    }

    private static String listQuery(ThreadList.Order order, ThreadList.Filter filter, String after) {
        String q = ThreadList.query(order, filter);
        return q + (q.isEmpty() ? "?" : "&") + "after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8);
    }

    private Map<String, Object> threadRow(CohortAccess access, ThreadRow t, String lang) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", t.id());
        row.put("title", t.title());
        row.put("path", access.ref().path() + "/threads/" + t.id());
        row.put("author", author(access, t.authorId(), t.authorName(), t.anonymous(), lang));
        row.put("replies", Math.max(0, t.postCount() - 1));
        row.put("lastPostedAt", t.lastPostedAt());
        row.put("pinned", t.pinned());
        row.put("prompt", t.authorId() == null);
        row.put("wip", t.marks().contains("wip"));
        row.put("help", t.marks().contains("help"));
        boolean member = access.viewer().signedIn();
        row.put("unread", member ? t.unread() : 0);
        row.put("following", t.following());
        row.put("solved", t.solved());
        // "Jump to the first unread post": the page that starts right after the read mark.
        row.put("unreadPath", t.lastRead() > 0 && t.unread() > 0
                ? row.get("path") + "?after=" + t.lastRead() + "#post-" + (t.lastRead() + 1) : row.get("path"));
        return row;
    }

    private String author(CohortAccess access, Long authorId, String name, boolean anonymous, String lang) {
        return service.shownAuthor(access, authorId, name, anonymous, pages.text(lang, "post.anonymous"),
                pages.text(lang, "post.facilitators"));
    }

    // ---- pages ----

    private void startThreadForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Idempotent.Key key = Idempotent.key(ctx);
        service.module(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), ctx.pathParam("module"))
                .compose(m -> {
                    Idempotent<ThreadRow> once = key.form(thread -> m.access().ref().path() + "/threads/" + thread.id());
                    return service.startThread(m, form.getFormAttribute("title"), form.getFormAttribute("body"),
                            "on".equals(form.getFormAttribute("anonymous")), once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void threadPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        int after = Http.queryInt(ctx, "after", 0);
        long threadId = Http.pathLong(ctx, "thread");
        // The posts and the nomination are read beside the thread and the viewer's standing (one round trip, not two);
        // they are shown only once the thread has let the viewer in, and the posts only as far as the rules allow.
        Future<List<PostRow>> ahead = service.postsAhead(viewer, threadId, after);
        Future<NominationStore.Nomination> nominationAhead = nominations.stateAhead(viewer, threadId);
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), threadId)
                .onSuccess(this::read)
                .compose(t -> {
                    // What depends on the thread (the read mark, the answer that helped) in one more round, if anything.
                    Future<List<PostRow>> page = service.posts(t, after, ahead);
                    return Future.all(page, service.markPageRead(t, after, page), nominationAhead, guidelines.standing(t.access().ref()),
                                    answers.answer(t))
                        .map(all -> {
                            List<PostRow> posts = page.result();
                            NominationStore.Nomination nomination = all.resultAt(2);
                            org.knowmad.guidelines.GuidelineService.Standing standing = all.resultAt(3);
                            PostRow answer = all.resultAt(4);
                            CohortAccess access = t.access();
                            String lang = Pages.language(ctx, access.ref().course().definition().language());
                            ZoneId zone = access.ref().course().definition().zone();
                            Map<String, Object> model = new HashMap<>();
                            model.put("following", t.thread().following());
                            model.put("title", t.thread().title() + " · " + access.ref().course().definition().title());
                            model.put("course", access.ref().course().definition());
                            model.put("cohortPath", access.ref().path());
                            model.put("module", t.module());
                            model.put("thread", threadRow(access, t.thread(), lang));
                            ThreadRules rules = service.rules();
                            model.put("closed", t.thread().closed());
                            model.put("facilitator", rules.moderate(access).allowed());
                            model.put("nomination", nomination);
                            model.put("canNominate", rules.nominate(access, t.module(), t.thread()).allowed());
                            model.put("canVote", rules.vote(access).allowed());
                            model.put("canFollow", rules.follow(access, t.module()).allowed());
                            io.vertx.core.buffer.Buffer shown = postsMarkup(t, posts, lang, model);
                            if (answer != null) {
                                // The answer that helped, at the top, as Discourse shows a solved topic.
                                model.put("answer", Map.of("number", answer.number(),
                                        "author", author(access, answer.authorId(), answer.authorName(), answer.anonymous(), lang),
                                        "html", markdown.toHtml(answer.body(), access.ref().path() + "/people/"),
                                        "path", access.ref().path() + "/threads/" + t.thread().id()
                                                + (answer.number() > 1 ? "?after=" + (answer.number() - 1) : "") + "#post-" + answer.number()));
                            }
                            model.put("solved", t.thread().solved());
                            model.put("solvedNumber", t.thread().solvedNumber());
                            model.put("canUnmarkSolved", t.thread().solved() && rules.unmarkSolved(access, t.module(), t.thread()).allowed());
                            model.put("threadPath", access.ref().path() + "/threads/" + t.thread().id());
                            // Reply first: until they have answered, a participant sees the prompt, their own posts and how many answered.
                            boolean seesOthers = service.seesOthers(t);
                            model.put("answerFirst", !seesOthers);
                            model.put("answersSoFar", Math.max(0, t.thread().postCount() - 1));
                            model.put("mistakes", service.mistakes(t));
                            model.put("anonymousByDefault", ThreadRules.anonymousByDefault(service.mistakes(t)));
                            model.put("lastNumber", posts.isEmpty() ? after : posts.get(posts.size() - 1).number());
                            model.put("hasMore", posts.size() == DiscussionService.PAGE_SIZE);
                            model.put("hasPrevious", after > 0);
                            Decision reply = rules.reply(access, t.module(), t.thread());
                            model.put("canReply", reply.allowed());
                            // Why there is no reply form (closed, silenced), said kindly instead of a form that answers 403.
                            if (!reply.allowed() && viewer.signedIn()) model.put("noReplyReason", reply.reason());
                            model.put("guidelines", standing.texts());
                            if (access.ref().course().definition().cohortGuidelines() != null) {
                                model.put("guidelinesPath", access.ref().path() + "/guidelines");
                            }
                            pages.render(ctx, "discussion/thread", lang, zone, model, shown);
                            return null;
                        });
                })
                .onFailure(ctx::fail);
    }

    /**
     * Opening a thread (its page, or its posts through the API) counts as a read of its module: a count in memory,
     * no query. The live page's fetches of new posts are not new reads.
     */
    private void read(DiscussionService.ThreadAccess t) {
        activity.record(t.access(), t.thread().moduleId(), ActivityRecorder.Kind.READS);
    }

    /** New posts after a number, as HTML to append: what a live page fetches when told a post arrived. */
    private void postsFragment(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        int after = Http.queryInt(ctx, "after", 0);
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> service.posts(t, after, Http.queryInt(ctx, "limit", DiscussionService.PAGE_SIZE)).map(posts -> {
                    String lang = Pages.language(ctx, t.access().ref().course().definition().language());
                    Map<String, Object> model = new HashMap<>();
                    io.vertx.core.buffer.Buffer shown = postsMarkup(t, posts, lang, model);
                    model.put("threadPath", t.access().ref().path() + "/threads/" + t.thread().id());
                    pages.render(ctx, "discussion/posts", lang, t.access().ref().course().definition().zone(), model, shown);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    /**
     * The page's posts as markup: for each, what the viewer may see of it and the buttons they may use, as
     * {@link ThreadRules} decides on this view; the rendering of both is kept per version ({@link PostMarkup}).
     */
    private io.vertx.core.buffer.Buffer postsMarkup(DiscussionService.ThreadAccess t, List<PostRow> posts, String lang,
            Map<String, Object> model) {
        // The page's form key, shared with the page's own forms (the flag forms add the post's number to it).
        String idem = java.util.UUID.randomUUID().toString();
        model.put("idem", idem);
        // Both are base64url and a UUID: nothing in them needs escaping in an attribute.
        byte[] csrf = (t.access().viewer().csrfToken() == null ? "" : t.access().viewer().csrfToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] idemBytes = idem.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CohortAccess access = t.access();
        ThreadRules rules = service.rules();
        boolean moderate = rules.moderate(access).allowed();
        boolean mistakes = service.mistakes(t);
        ZoneId zone = access.ref().course().definition().zone();
        String threadPath = access.ref().path() + "/threads/" + t.thread().id();
        String mentions = access.ref().path() + "/people/";
        io.vertx.core.buffer.Buffer html = io.vertx.core.buffer.Buffer.buffer(posts.size() * 1_500);
        for (PostRow p : posts) {
            // A hidden post is a marker for peers; its author and facilitators still see it, marked.
            boolean hiddenFromMe = p.hidden() && !rules.seeHidden(access, p.authorId());
            if (p.deleted() || hiddenFromMe) {
                markup.append(html, new PostMarkup.Face(p.number(), null, p.deleted(), !p.deleted(), false, null, null,
                        null, false, null, false, false, false, false, lang, zone), null, csrf, idemBytes);
                continue;
            }
            boolean answer = Integer.valueOf(p.number()).equals(t.thread().solvedNumber());
            boolean wip = "wip".equals(p.mark());
            boolean help = "help".equals(p.mark());
            boolean endorsed = p.endorsedAt() != null;
            String historyPath = p.editedAt() != null && rules.seeHistory(access, t.module(), p.authorId(), p.deleted(), p.hidden()).allowed()
                    ? threadPath + "/posts/" + p.number() + "/history" : null;
            PostMarkup.Face face = new PostMarkup.Face(p.number(), p.createdAt(), false, false, p.hidden(),
                    author(access, p.authorId(), p.authorName(), p.anonymous(), lang),
                    markdown.toHtml(p.body(), mentions), p.replyTo(), p.editedAt() != null, historyPath,
                    answer, endorsed, wip, help, lang, zone);
            PostMarkup.Actions buttons = new PostMarkup.Actions(p.number(), threadPath, lang, p.helpfulCount(), p.reacted(),
                    rules.react(access, t.module(), p.authorId(), p.deleted()).allowed(),
                    mistakes, mistakes && rules.reactWith(access, t.module(), p.authorId(), p.deleted(), "me-too", true).allowed(),
                    p.meTooByMe(), p.meTooCount(),
                    rules.mark(access, t.module(), p.authorId(), p.deleted()).allowed(), wip, help,
                    rules.edit(access, t.module(), t.thread(), p.authorId(), p.deleted()).allowed(),
                    rules.delete(access, t.module(), p.authorId(), p.deleted()).allowed(),
                    rules.flag(access, t.module(), p.authorId(), p.deleted()).allowed() && !p.flagged() && !p.hidden(),
                    p.flagged(), moderate, p.hidden(), p.flagCount(),
                    !answer && rules.markSolved(access, t.module(), t.thread(), p.number(), p.deleted(), p.hidden()).allowed(),
                    moderate, endorsed);
            markup.append(html, face, buttons, csrf, idemBytes);
        }
        return html;
    }

    /** Runs an action on one post from a form, then returns to the post. */
    private void postAction(RoutingContext ctx, java.util.function.BiFunction<DiscussionService.ThreadAccess, Integer, Future<Void>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> action.apply(t, number).map(v -> t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void helpfulForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        boolean on = !"off".equals(ctx.request().getFormAttribute("helpful"));
        Idempotent.Key key = Idempotent.key(ctx);
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.form(count -> t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number);
                    return service.helpful(t, number, on, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void reactionForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        boolean on = !"off".equals(ctx.request().getFormAttribute("on"));
        Idempotent.Key key = Idempotent.key(ctx);
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.form(count -> t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number);
                    return service.react(t, number, ctx.pathParam("kind"), on, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiReaction(RoutingContext ctx, boolean on) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        String kind = ctx.pathParam("kind");
        Idempotent<Integer> once = Idempotent.key(ctx).api(200, count -> new JsonObject().put("number", number).put("kind", kind).put("count", count));
        service.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> service.react(t, number, kind, on, once)).map(once::answer)
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiHelpful(RoutingContext ctx, boolean on) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        Idempotent<Integer> once = Idempotent.key(ctx).api(200, count -> new JsonObject().put("number", number).put("helpful", count));
        service.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> service.helpful(t, number, on, once)).map(once::answer)
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiPostAction(RoutingContext ctx, java.util.function.BiFunction<DiscussionService.ThreadAccess, Integer, Future<JsonObject>> action) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        service.thread(viewer, Http.pathLong(ctx, "thread")).compose(t -> action.apply(t, number)).onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void editPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        int number = Http.pathInt(ctx, "number");
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> service.posts(t, number - 1, 1).map(posts -> {
                    PostRow post = posts.stream().filter(p -> p.number() == number && !p.deleted()).findFirst().orElseThrow(HttpProblem::notFound);
                    service.rules().edit(t.access(), t.module(), t.thread(), post.authorId(), post.deleted()).require();
                    CohortAccess access = t.access();
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", pages.text(lang, "post.editTitle"));
                    model.put("threadPath", access.ref().path() + "/threads/" + t.thread().id());
                    model.put("thread", threadRow(access, t.thread(), lang));
                    model.put("number", number);
                    model.put("body", post.body());
                    pages.render(ctx, "discussion/edit", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    private void settingsForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Boolean pinned = form.getFormAttribute("pinned") == null ? null : "on".equals(form.getFormAttribute("pinned"));
        Boolean closed = form.getFormAttribute("closed") == null ? null : "on".equals(form.getFormAttribute("closed"));
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> service.settings(t, pinned, closed).map(v -> t.access().ref().path() + "/threads/" + t.thread().id()))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void searchPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        String q = ctx.request().getParam("q");
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.search(access, q).map(hits -> {
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (DiscussionStore.Hit h : hits) {
                        rows.add(Map.of("title", h.title(), "snippetHtml", highlight(h.snippet()),
                                "path", access.ref().path() + "/threads/" + h.threadId() + (h.number() > 1 ? "?after=" + (h.number() - 1) : "") + "#post-" + h.number(),
                                "module", access.ref().course().definition().module(h.moduleId()).map(m -> m.title()).orElse(h.moduleId())));
                    }
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", pages.text(lang, "search.title"));
                    model.put("course", access.ref().course().definition());
                    model.put("cohortPath", access.ref().path());
                    model.put("q", q == null ? "" : q);
                    model.put("searched", q != null && !q.isBlank());
                    model.put("hits", rows);
                    pages.render(ctx, "discussion/search", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    /** Where an @mention leads: the person's name and their recent posts in this cohort (never anonymous ones). */
    private void personPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.person(access, ctx.pathParam("handle")).map(person -> {
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    List<Map<String, Object>> posts = new ArrayList<>();
                    for (DiscussionStore.PersonPost p : person.posts()) {
                        posts.add(Map.of("title", p.threadTitle(), "createdAt", p.createdAt(),
                                "path", access.ref().path() + "/threads/" + p.threadId() + (p.number() > 1 ? "?after=" + (p.number() - 1) : "") + "#post-" + p.number()));
                    }
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", person.name());
                    model.put("name", person.name());
                    model.put("facilitator", person.facilitator());
                    model.put("course", access.ref().course().definition());
                    model.put("cohortPath", access.ref().path());
                    model.put("posts", posts);
                    pages.render(ctx, "discussion/person", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    private void apiSearch(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.search(access, ctx.request().getParam("q")).map(hits -> {
                    JsonArray list = new JsonArray();
                    for (DiscussionStore.Hit h : hits) {
                        list.add(new JsonObject().put("thread", h.threadId()).put("title", h.title()).put("module", h.moduleId())
                                .put("number", h.number()).put("snippetHtml", highlight(h.snippet())));
                    }
                    return new JsonObject().put("hits", list);
                }))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    /** Escapes the snippet, then turns the match markers PostgreSQL put around matches into {@code <mark>}. */
    static String highlight(String snippet) {
        if (snippet == null) return "";
        StringBuilder out = new StringBuilder(snippet.length() + 32);
        for (char c : snippet.toCharArray()) {
            switch (c) {
                case '\u0001' -> out.append("<mark>");
                case '\u0002' -> out.append("</mark>");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#x27;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private void followForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        boolean on = !"off".equals(ctx.request().getFormAttribute("follow"));
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> service.follow(t, on).map(v -> t.access().ref().path() + "/threads/" + t.thread().id()))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void apiFollow(RoutingContext ctx, boolean on) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> service.follow(t, on).map(v -> new JsonObject().put("thread", t.thread().id()).put("following", on)))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void apiSettings(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        JsonObject body = Http.jsonBody(ctx);
        Boolean pinned = Http.optionalBool(body, "pinned");
        Boolean closed = Http.optionalBool(body, "closed");
        service.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> service.settings(t, pinned, closed).compose(v -> service.thread(viewer, t.thread().id())))
                .map(t -> threadJson(t.access(), t.thread()))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void replyForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Integer replyTo = optionalInt(form.getFormAttribute("replyTo"));
        Idempotent.Key key = Idempotent.key(ctx);
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.form(number -> t.access().ref().path() + "/threads/" + t.thread().id() + "#post-" + number);
                    return service.reply(t, form.getFormAttribute("body"), replyTo, "on".equals(form.getFormAttribute("anonymous")), once)
                            .map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void events(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        long threadId = Http.pathLong(ctx, "thread");
        service.thread(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), threadId).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            var ref = ar.result().access().ref();
            // Reply first: who has not answered yet is not even told that others posted (their own post reloads the page,
            // and with it this stream).
            boolean seesOthers = service.seesOthers(ar.result());
            streams.open(ctx, LiveEvents.cohortAddress(ref.courseId(), ref.cohortId()), viewer.signedIn() ? viewer.accountId() : 0,
                    activity.presence(ar.result().access()), event -> event.getLong("thread", -1L) == threadId
                            && (seesOthers || !event.getString("type", "").startsWith("post-")));
        });
    }

    // ---- JSON API ----

    private void apiThreads(RoutingContext ctx) {
        ThreadList list = listOf(ctx.queryParams());
        service.module(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort"), ctx.pathParam("module"))
                .compose(m -> service.threads(m, list).map(threads -> {
                    JsonArray found = new JsonArray();
                    for (ThreadRow t : threads) found.add(threadJson(m.access(), t));
                    JsonObject o = new JsonObject().put("threads", found).put("order", list.order().param()).put("filter", list.filter().param())
                            .put("mark", list.mark());
                    if (threads.size() == list.limit()) {
                        String after = list.next(threads.get(threads.size() - 1));
                        o.put("after", after).put("next", "/api/v1/courses/" + m.access().ref().courseId() + "/" + m.access().ref().cohortId()
                                + "/modules/" + m.module().id() + "/threads" + listQuery(list.order(), list.filter(), after) + "&limit=" + list.limit()
                                + (list.mark() == null ? "" : "&mark=" + list.mark()));
                    }
                    return o;
                }))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void apiStartThread(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        JsonObject body = Http.jsonBody(ctx);
        Idempotent.Key key = Idempotent.key(ctx);
        service.module(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), ctx.pathParam("module"))
                .compose(m -> {
                    Idempotent<ThreadRow> once = key.api(201, thread -> threadJson(m.access(), thread));
                    return service.startThread(m, Http.string(body, "title"), Http.string(body, "body"), Http.bool(body, "anonymous"), once)
                            .map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiThread(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        int after = Http.queryInt(ctx, "after", 0);
        service.thread(viewer, Http.pathLong(ctx, "thread"))
                .onSuccess(this::read)
                .compose(t -> service.posts(t, after).map(posts -> {
                    JsonArray list = new JsonArray();
                    for (PostRow p : posts) list.add(postJson(t, p));
                    ThreadRules rules = service.rules();
                    // What this viewer may do here, from the same rules the thread page and the server use.
                    JsonObject o = threadJson(t.access(), t.thread()).put("posts", list)
                            .put("canReply", rules.reply(t.access(), t.module(), t.thread()).allowed())
                            .put("canModerate", rules.moderate(t.access()).allowed())
                            .put("replyFirst", service.replyFirst(t)).put("othersHidden", !service.seesOthers(t))
                            .put("mistakes", service.mistakes(t)).put("reactions", new JsonArray(ThreadRules.reactions(service.mistakes(t))));
                    if (posts.size() == DiscussionService.PAGE_SIZE) {
                        o.put("next", "/api/v1/threads/" + t.thread().id() + "?after=" + posts.get(posts.size() - 1).number());
                    }
                    return o;
                }))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private void apiReply(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        JsonObject body = Http.jsonBody(ctx);
        Object replyTo = body.getValue("replyTo");
        if (replyTo != null && !(replyTo instanceof Integer)) throw HttpProblem.badRequest("post.badReplyTo");
        Idempotent.Key key = Idempotent.key(ctx);
        service.thread(viewer, Http.pathLong(ctx, "thread"))
                .compose(t -> {
                    Idempotent<Integer> once = key.api(201, number -> new JsonObject().put("thread", t.thread().id()).put("number", number));
                    // Where mistakes are shared, anonymous unless the author says otherwise.
                    Boolean anonymous = Http.optionalBool(body, "anonymous");
                    boolean anon = anonymous == null ? ThreadRules.anonymousByDefault(service.mistakes(t)) : anonymous;
                    return service.reply(t, Http.string(body, "body"), (Integer) replyTo, anon, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private JsonObject threadJson(CohortAccess access, ThreadRow t) {
        ZoneId zone = access.ref().course().definition().zone();
        JsonObject o = new JsonObject().put("id", t.id()).put("course", t.courseId()).put("cohort", t.cohortId())
                .put("module", t.moduleId()).put("title", t.title()).put("anonymous", t.anonymous()).put("pinned", t.pinned())
                .put("closed", t.closed()).put("postCount", t.postCount()).put("prompt", t.authorId() == null)
                .put("createdAt", time(t.createdAt(), zone)).put("lastPostedAt", time(t.lastPostedAt(), zone))
                .put("helpful", t.helpfulCount()).put("solved", t.solvedNumber()).put("marks", new JsonArray(t.marks()));
        if (access.viewer().signedIn()) o.put("unread", t.unread()).put("following", t.following());
        if (t.authorId() != null && service.rules().knowAuthor(access, t.authorId(), t.anonymous())) {
            o.put("author", t.authorName());
        }
        return o;
    }

    private JsonObject postJson(DiscussionService.ThreadAccess t, PostRow p) {
        CohortAccess access = t.access();
        ThreadRules rules = service.rules();
        ZoneId zone = access.ref().course().definition().zone();
        JsonObject o = new JsonObject().put("number", p.number()).put("createdAt", time(p.createdAt(), zone)).put("deleted", p.deleted());
        if (p.deleted()) return o; // a removed post keeps its place, nothing else
        o.put("hidden", p.hidden());
        if (p.hidden() && !rules.seeHidden(access, p.authorId())) return o;
        if (rules.moderate(access).allowed()) o.put("flags", p.flagCount());
        o.put("canEdit", rules.edit(access, t.module(), t.thread(), p.authorId(), false).allowed())
                .put("canDelete", rules.delete(access, t.module(), p.authorId(), false).allowed())
                .put("canReact", rules.react(access, t.module(), p.authorId(), false).allowed());
        o.put("body", p.body()).put("anonymous", p.anonymous()).put("replyTo", p.replyTo()).put("edited", p.editedAt() != null)
                .put("helpful", p.helpfulCount()).put("reactedByMe", p.reacted()).put("endorsed", p.endorsedAt() != null)
                .put("answer", Integer.valueOf(p.number()).equals(t.thread().solvedNumber()))
                .put("meToo", p.meTooCount()).put("meTooByMe", p.meTooByMe()).put("mark", p.mark())
                .put("canMark", rules.mark(access, t.module(), p.authorId(), false).allowed())
                .put("canMarkSolved", rules.markSolved(access, t.module(), t.thread(), p.number(), false, p.hidden()).allowed());
        if (p.editedAt() != null) o.put("history", "/api/v1/threads/" + t.thread().id() + "/posts/" + p.number() + "/history");
        // Anonymous authors never reach peers, not even as an id.
        if (p.authorId() != null && rules.knowAuthor(access, p.authorId(), p.anonymous())) {
            o.put("author", p.authorName());
        }
        return o;
    }

    private static String time(Instant i, ZoneId zone) {
        return i == null ? null : i.atZone(zone).toOffsetDateTime().toString();
    }

    private static Integer optionalInt(String v) {
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("post.badReplyTo");
        }
    }
}
