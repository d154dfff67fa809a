package org.knowmad.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.knowmad.course.Criterion;
import org.knowmad.web.FormRetry;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The assignment page, the review form, the facilitators' overview and CSV, and the same under /api/v1. */
public final class ReviewRoutes {

    private static final String BASE = "/courses/:course/:cohort/modules/:module/assignment";
    private static final String API = "/api/v1" + BASE;

    private final ReviewService service;
    private final Pages pages;
    private final Markdown markdown;

    public ReviewRoutes(ReviewService service, Pages pages, Markdown markdown) {
        this.service = service;
        this.pages = pages;
        this.markdown = markdown;
    }

    public void mount(Router router) {
        router.get(BASE).handler(this::page);
        router.post(BASE + "/draft").handler(ctx -> onceForm(ctx, (a, key) -> {
            Idempotent<Void> once = key.form(v -> a.path() + "?saved=draft#submission");
            return service.saveDraft(a, ctx.request().getFormAttribute("text"), once).map(once::answer);
        }));
        router.post(BASE + "/submission").handler(ctx -> onceForm(ctx, (a, key) -> {
            boolean draft = "draft".equals(ctx.request().getFormAttribute("action"));
            Idempotent<Void> once = key.form(v -> a.path() + "?saved=" + (draft ? "draft" : "submitted") + "#submission");
            return (draft ? service.saveDraft(a, ctx.request().getFormAttribute("text"), once)
                    : service.submit(a, ctx.request().getFormAttribute("text"), once)).map(once::answer);
        })).failureHandler(FormRetry.on(this::page));
        router.post(BASE + "/self").handler(ctx -> form(ctx, a -> service.saveSelfAssessment(a, rubricForm(ctx, a),
                ctx.request().getFormAttribute("comment")).map(v -> a.path() + "?saved=self#self"))).failureHandler(FormRetry.on(this::page));
        router.post(BASE + "/next-review").handler(ctx -> onceForm(ctx, (a, key) -> {
            Idempotent<ReviewService.Claim> once = key.form(c -> a.path() + "/reviews/" + c.reviewId());
            return service.next(a, once).map(once::answer);
        }));
        router.get(BASE + "/reviews/:review").handler(this::reviewPage);
        router.post(BASE + "/reviews/:review").handler(this::saveReviewForm).failureHandler(FormRetry.on(this::reviewPage));
        router.post(BASE + "/feedback/:review/rating").handler(ctx -> authorForm(ctx,
                ra -> service.rate(ra, parseRating(ctx.request().getFormAttribute("helpful")))));
        router.post(BASE + "/feedback/:review/flag").handler(this::flagForm);
        router.get(BASE + "/submissions").handler(this::submissionsPage);
        router.get(BASE + "/grades.csv").handler(this::gradesCsv);
        router.post(BASE + "/submissions/:submission/grade").handler(ctx -> form(ctx, a -> service.overrideGrade(a,
                        Http.pathLong(ctx, "submission"), ctx.request().getFormAttribute("points"), ctx.request().getFormAttribute("note"))
                .map(v -> a.path() + "/submissions#submission-" + ctx.pathParam("submission")))).failureHandler(FormRetry.on(this::submissionsPage));
        router.post(BASE + "/reviews/:review/decision").handler(ctx -> form(ctx, a -> service.decideFlag(a, Http.pathLong(ctx, "review"),
                        decision(ctx.request().getFormAttribute("decision")))
                .map(v -> a.path() + "/submissions")));

        router.get(API).handler(ctx -> api(ctx, 200, a -> service.overview(a).map(o -> overviewJson(o))));
        router.put(API + "/submission").handler(this::apiSubmit);
        router.put(API + "/self-assessment").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object scores = body.getValue("scores");
            if (scores != null && !(scores instanceof JsonObject)) throw HttpProblem.badRequest("review.scoresObject");
            Map<String, Object> raw = scores == null ? Map.of() : ((JsonObject) scores).getMap();
            String comment = Http.string(body, "comment");
            api(ctx, 200, a -> service.saveSelfAssessment(a, raw, comment).compose(v -> service.overview(a)).map(this::overviewJson));
        });
        router.post(API + "/next-review").handler(ctx -> {
            // A repeat answers the review claimed the first time, as it stands now.
            Idempotent<ReviewService.Claim> once = Idempotent.key(ctx).reread(c -> String.valueOf(c.reviewId()));
            api(ctx, 200, a -> service.next(a, once).map(ReviewService.Claim::reviewId).recover(e -> Idempotent.orRepeat(e, Long::parseLong))
                    .compose(id -> service.reviewForReviewer(a, id)).map(this::reviewJson));
        });
        router.get(API + "/submissions").handler(ctx -> api(ctx, 200, a -> service.submissions(a).map(list -> {
            JsonArray rows = new JsonArray();
            list.forEach(s -> rows.add(statusJson(s)));
            return new JsonObject().put("submissions", rows);
        })));
        router.put(API + "/submissions/:submission/grade").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object points = body.getValue("points");
            if (points != null && !(points instanceof Number)) throw HttpProblem.badRequest("grade.badPoints", "?");
            api(ctx, 200, a -> service.overrideGrade(a, Http.pathLong(ctx, "submission"), points == null ? null : points.toString(),
                    Http.string(body, "note")).map(v -> new JsonObject().put("submission", Http.pathLong(ctx, "submission"))));
        });
        router.get("/api/v1/reviews/:review").handler(ctx -> service.reviewForReviewer(Viewer.of(ctx), Http.pathLong(ctx, "review"))
                .map(this::reviewJson).onComplete(ar -> Http.json(ctx, 200, ar)));
        router.put("/api/v1/reviews/:review").handler(this::apiSaveReview);
        router.put("/api/v1/reviews/:review/rating").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object helpful = body.getValue("helpful");
            Integer rating = helpful instanceof Integer i ? i : null;
            service.reviewForAuthor(Viewer.of(ctx), Http.pathLong(ctx, "review")).compose(ra -> service.rate(ra, rating))
                    .map(v -> new JsonObject().put("review", Http.pathLong(ctx, "review")).put("helpful", rating))
                    .onComplete(ar -> Http.json(ctx, 200, ar));
        });
        router.post("/api/v1/reviews/:review/flag").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Idempotent<Void> once = Idempotent.key(ctx).api(200, v -> new JsonObject().put("review", Http.pathLong(ctx, "review")).put("flagged", true));
            service.reviewForAuthor(Viewer.of(ctx), Http.pathLong(ctx, "review")).compose(ra -> service.flag(ra, Http.string(body, "reason"), once))
                    .map(once::answer)
                    .onComplete(ar -> Idempotent.respond(ctx, ar));
        });
    }

    private Future<ReviewService.AssignmentAccess> assignment(RoutingContext ctx) {
        return service.assignment(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort"), ctx.pathParam("module"));
    }

    private void form(RoutingContext ctx, java.util.function.Function<ReviewService.AssignmentAccess, Future<String>> action) {
        Viewer.of(ctx).require();
        assignment(ctx).compose(action).onComplete(ar -> Http.redirect(ctx, ar));
    }

    /** A form whose action runs under the page's idempotency key: a repeat is answered with the first redirect. */
    private void onceForm(RoutingContext ctx,
                          java.util.function.BiFunction<ReviewService.AssignmentAccess, Idempotent.Key, Future<Idempotent.Answer>> action) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        assignment(ctx).compose(a -> action.apply(a, key)).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void flagForm(RoutingContext ctx) {
        Idempotent.Key key = Idempotent.key(ctx);
        service.reviewForAuthor(Viewer.of(ctx), Http.pathLong(ctx, "review"))
                .compose(ra -> {
                    if (!matchesPath(ctx, ra)) return Future.<Idempotent.Answer>failedFuture(HttpProblem.notFound());
                    Idempotent<Void> once = key.form(v -> ra.a().path() + "#feedback");
                    return service.flag(ra, ctx.request().getFormAttribute("reason"), once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void api(RoutingContext ctx, int status, java.util.function.Function<ReviewService.AssignmentAccess, Future<JsonObject>> action) {
        assignment(ctx).compose(action).onComplete(ar -> Http.json(ctx, status, ar));
    }

    /** The author's actions on a review they received; the review must belong to this page's assignment. */
    private void authorForm(RoutingContext ctx, java.util.function.Function<ReviewService.ReviewAccess, Future<Void>> action) {
        service.reviewForAuthor(Viewer.of(ctx), Http.pathLong(ctx, "review"))
                .compose(ra -> matchesPath(ctx, ra) ? action.apply(ra).map(v -> ra.a().path() + "#feedback")
                        : Future.failedFuture(HttpProblem.notFound()))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private static boolean matchesPath(RoutingContext ctx, ReviewService.ReviewAccess ra) {
        return ra.a().courseId().equals(ctx.pathParam("course")) && ra.a().cohortId().equals(ctx.pathParam("cohort"))
                && ra.a().moduleId().equals(ctx.pathParam("module"));
    }

    /** Only an explicit choice decides a flag. */
    private static boolean decision(String raw) {
        if ("keep".equals(raw)) return true;
        if ("remove".equals(raw)) return false;
        throw HttpProblem.badRequest("review.flag.decisionRequired");
    }

    private static Integer parseRating(String raw) {
        try {
            return raw == null ? null : Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- pages ----

    private void page(RoutingContext ctx) {
        assignment(ctx).compose(service::overview).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ReviewService.Overview o = ar.result();
            var a = o.a();
            var course = a.access().ref().course().definition();
            String lang = Pages.language(ctx, course.language());
            Instant now = service.now();
            Map<String, Object> model = base(a, lang);
            model.put("title", a.assignment().title());
            model.put("instructionsHtml", markdown.toHtml(a.assignment().instructions()));
            model.put("submitting", o.phase() == ReviewService.Phase.SUBMITTING);
            model.put("reviewing", o.phase() == ReviewService.Phase.REVIEWING);
            model.put("closed", o.phase() == ReviewService.Phase.CLOSED);
            model.put("participant", service.rules().takePart(a).allowed());
            String saved = ctx.request().getParam("saved");
            if (saved != null && List.of("draft", "submitted", "review", "self").contains(saved)) model.put("saved", saved);
            model.put("maxText", ReviewService.MAX_TEXT);
            model.put("quota", a.quota());
            model.put("done", o.done());
            model.put("k", a.assignment().reviewsPerSubmission());
            o.mine().ifPresent(s -> {
                model.put("draft", s.draft());
                model.put("submitted", s.submitted());
                model.put("submittedAt", s.submittedAt());
                model.put("late", s.late());
                model.put("changedSinceSubmit", s.submitted() && !s.draft().equals(s.body()));
                if (s.submitted()) model.put("bodyHtml", markdown.toHtml(s.body()));
            });
            boolean submitted = o.mine().map(ReviewStore.SubmissionRow::submitted).orElse(false);
            model.put("canEdit", service.rules().offerEdit(a, submitted, now));
            model.put("canReview", service.rules().offerReview(a, submitted, now));
            o.openClaim(now).ifPresent(c -> model.put("openClaimPath", a.path() + "/reviews/" + c.id()));
            List<Map<String, Object>> mine = new ArrayList<>();
            int n = 0;
            for (ReviewStore.ReviewRow r : o.myReviews()) {
                if (!r.completed() && !r.leaseUntil().isAfter(now)) continue;
                Map<String, Object> row = new HashMap<>();
                row.put("number", ++n);
                row.put("path", a.path() + "/reviews/" + r.id());
                row.put("completed", r.completed());
                row.put("extra", r.extra());
                row.put("leaseUntil", r.leaseUntil());
                row.put("helpful", r.helpful());
                mine.add(row);
            }
            model.put("myReviews", mine);
            model.put("feedback", feedbackRows(a, o.received()));
            o.grade().ifPresent(g -> model.put("grade", gradeModel(a, g)));
            model.put("gradePending", o.phase() == ReviewService.Phase.CLOSED && submitted && o.grade().isEmpty());
            model.put("rubric", rubricModel(a, null));
            model.put("selfAsked", a.assignment().selfAssessment() && submitted);
            model.put("selfOpen", a.assignment().selfAssessment() && submitted && o.phase() != ReviewService.Phase.CLOSED);
            model.put("selfRubric", rubricModel(a, o.self().map(ReviewStore.SelfAssessment::scores).orElse(null)));
            o.self().ifPresent(self -> {
                model.put("selfTotal", points(total(self.scores())));
                model.put("selfComment", self.comment());
            });
            pages.render(ctx, "review/assignment", lang, course.zone(), model);
        });
    }

    private Map<String, Object> base(ReviewService.AssignmentAccess a, String lang) {
        Map<String, Object> model = new HashMap<>();
        model.put("course", a.access().ref().course().definition());
        model.put("cohortPath", a.access().ref().path());
        model.put("module", a.module());
        model.put("assignment", a.assignment());
        model.put("assignmentPath", a.path());
        model.put("submitBy", a.submitBy());
        model.put("reviewBy", a.reviewBy());
        model.put("facilitator", service.rules().oversee(a).allowed());
        return model;
    }

    private List<Map<String, Object>> feedbackRows(ReviewService.AssignmentAccess a, List<ReviewStore.ReviewRow> received) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 0;
        for (ReviewStore.ReviewRow r : received) {
            Map<String, Object> row = new HashMap<>();
            row.put("number", ++n);
            row.put("scores", rubricModel(a, r.scores()));
            row.put("commentHtml", markdown.toHtml(r.comment() == null ? "" : r.comment()));
            row.put("helpful", r.helpful());
            row.put("ratePath", a.path() + "/feedback/" + r.id() + "/rating");
            row.put("flagPath", a.path() + "/feedback/" + r.id() + "/flag");
            row.put("kept", "kept".equals(r.flagState()));
            rows.add(row);
        }
        return rows;
    }

    /** The rubric, each level marked when {@code scores} chose it. */
    private static List<Map<String, Object>> rubricModel(ReviewService.AssignmentAccess a, JsonObject scores) {
        List<Map<String, Object>> criteria = new ArrayList<>();
        for (Criterion c : a.assignment().rubric()) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", c.id());
            row.put("title", c.title());
            Integer chosen = scores == null ? null : scores.getInteger(c.id());
            List<Map<String, Object>> levels = new ArrayList<>();
            for (Criterion.Level l : c.levels()) {
                Map<String, Object> level = new HashMap<>();
                level.put("points", l.points());
                level.put("label", l.label());
                level.put("chosen", chosen != null && chosen == l.points());
                if (chosen != null && chosen == l.points()) row.put("chosenLabel", l.label());
                levels.add(level);
            }
            row.put("chosen", chosen);
            row.put("levels", levels);
            criteria.add(row);
        }
        return criteria;
    }

    private static Map<String, Object> gradeModel(ReviewService.AssignmentAccess a, ReviewStore.GradeRow g) {
        Map<String, Object> model = new HashMap<>();
        model.put("published", points(g.published()));
        model.put("max", points(g.maxPoints()));
        model.put("median", points(g.median()));
        model.put("corrected", points(g.corrected()));
        model.put("low", points(g.low()));
        model.put("high", points(g.high()));
        model.put("trusted", g.trusted());
        model.put("reason", g.reason());
        model.put("reviews", g.reviews());
        model.put("overridden", g.overridePoints() != null);
        model.put("overrideNote", g.overrideNote());
        List<Map<String, Object>> criteria = new ArrayList<>();
        for (Criterion c : a.assignment().rubric()) {
            Double median = g.criteria().getDouble(c.id());
            if (median != null) criteria.add(Map.of("title", c.title(), "median", points(median)));
        }
        model.put("criteria", criteria);
        return model;
    }

    static double total(JsonObject scores) {
        double sum = 0;
        for (String key : scores.fieldNames()) if (scores.getValue(key) instanceof Number n) sum += n.doubleValue();
        return sum;
    }

    /** The rubric's levels chosen in a form (score-{criterion} fields). */
    private static Map<String, Object> rubricForm(RoutingContext ctx, ReviewService.AssignmentAccess a) {
        Map<String, Object> scores = new HashMap<>();
        for (Criterion c : a.assignment().rubric()) {
            String v = ctx.request().getFormAttribute("score-" + c.id());
            if (v != null) scores.put(c.id(), v);
        }
        return scores;
    }

    static String points(Double value) {
        if (value == null) return null;
        return value == Math.rint(value) ? Long.toString(Math.round(value)) : String.format(Locale.ROOT, "%.1f", value);
    }

    private void reviewPage(RoutingContext ctx) {
        service.reviewForReviewer(Viewer.of(ctx), Http.pathLong(ctx, "review")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            var ra = ar.result();
            if (!matchesPath(ctx, ra)) {
                ctx.fail(HttpProblem.notFound());
                return;
            }
            var a = ra.a();
            var course = a.access().ref().course().definition();
            String lang = Pages.language(ctx, course.language());
            ReviewStore.ReviewRow r = ra.review().review();
            Map<String, Object> model = base(a, lang);
            model.put("title", pages.text(lang, "review.title", a.assignment().title()));
            model.put("submissionHtml", markdown.toHtml(ra.review().submission().body()));
            model.put("rubric", rubricModel(a, r.scores()));
            model.put("comment", r.comment());
            model.put("minComment", ReviewService.MIN_COMMENT);
            model.put("completed", r.completed());
            model.put("extra", r.extra());
            model.put("late", ra.review().submission().late());
            model.put("leaseUntil", r.leaseUntil());
            boolean expired = !r.completed() && !r.leaseUntil().isAfter(service.now());
            Instant authorDeadline = ra.review().submission().gradeDue();
            model.put("expired", expired);
            model.put("editable", !expired && service.now().isBefore(a.reviewBy()) && (authorDeadline == null || service.now().isBefore(authorDeadline)));
            // The author wrote this text: an image from elsewhere would tell them who opened it, and when.
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
            model.put("action", a.path() + "/reviews/" + r.id());
            pages.render(ctx, "review/review", lang, course.zone(), model);
        });
    }

    private void saveReviewForm(RoutingContext ctx) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        service.reviewForReviewer(Viewer.of(ctx), Http.pathLong(ctx, "review")).compose(ra -> {
            if (!matchesPath(ctx, ra)) return Future.<Idempotent.Answer>failedFuture(HttpProblem.notFound());
            Idempotent<Void> once = key.form(v -> ra.a().path() + "?saved=review#reviews");
            return service.saveReview(ra, rubricForm(ctx, ra.a()), ctx.request().getFormAttribute("comment"), once).map(once::answer);
        }).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void submissionsPage(RoutingContext ctx) {
        assignment(ctx).compose(a -> service.submissions(a).map(list -> {
            var course = a.access().ref().course().definition();
            String lang = Pages.language(ctx, course.language());
            Map<String, Object> model = base(a, lang);
            model.put("title", pages.text(lang, "review.facilitator.title", a.assignment().title()));
            List<Map<String, Object>> rows = new ArrayList<>();
            List<Map<String, Object>> queue = new ArrayList<>();
            for (ReviewService.SubmissionStatus s : list) {
                Map<String, Object> row = statusModel(a, s, lang);
                rows.add(row);
                if (s.queueReason() != null) queue.add(row);
            }
            queue.sort((x, y) -> Integer.compare((int) y.get("shortfall"), (int) x.get("shortfall")));
            model.put("submissions", rows);
            model.put("queue", queue);
            model.put("maxPoints", points(a.maxPoints()));
            pages.render(ctx, "review/submissions", lang, course.zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private Map<String, Object> statusModel(ReviewService.AssignmentAccess a, ReviewService.SubmissionStatus s, String lang) {
        Map<String, Object> row = new HashMap<>();
        var sub = s.submission().submission();
        row.put("id", sub.id());
        row.put("author", org.knowmad.account.Account.shownName(s.submission().authorName(), s.submission().authorEmail()));
        row.put("email", s.submission().authorEmail());
        row.put("submittedAt", sub.submittedAt());
        row.put("late", sub.late());
        row.put("bodyHtml", markdown.toHtml(sub.body()));
        row.put("completed", s.completed());
        row.put("openClaims", s.openClaims());
        row.put("shortfall", s.shortfall());
        row.put("pendingFlags", s.pendingFlags());
        row.put("queueReason", s.queueReason() == null ? null : pages.text(lang, "review.queue." + s.queueReason()));
        row.put("gradePath", a.path() + "/submissions/" + sub.id() + "/grade");
        s.self().ifPresent(self -> row.put("selfTotal", points(total(self.scores()))));
        s.grade().ifPresent(g -> row.put("grade", gradeModel(a, g)));
        List<Map<String, Object>> reviews = new ArrayList<>();
        int n = 0;
        for (ReviewStore.ReviewRow r : s.reviews()) {
            Map<String, Object> review = new HashMap<>();
            review.put("number", ++n);
            review.put("completed", r.completed());
            review.put("leaseUntil", r.leaseUntil());
            review.put("scores", rubricModel(a, r.scores()));
            review.put("commentHtml", r.comment() == null ? "" : markdown.toHtml(r.comment()));
            review.put("helpful", r.helpful());
            review.put("flagPending", "pending".equals(r.flagState()));
            review.put("flagState", r.flagState());
            review.put("flagReason", r.flagReason());
            review.put("decisionPath", a.path() + "/reviews/" + r.id() + "/decision");
            reviews.add(review);
        }
        row.put("reviews", reviews);
        return row;
    }

    private void gradesCsv(RoutingContext ctx) {
        assignment(ctx).compose(service::submissions).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            StringBuilder csv = new StringBuilder("submission,author_email,author_name,submitted_at,late,reviews,median,corrected,low,high,trusted,reason,override,override_note,published\r\n");
            for (ReviewService.SubmissionStatus s : ar.result()) {
                var sub = s.submission().submission();
                Optional<ReviewStore.GradeRow> g = s.grade();
                List<String> cells = List.of(Long.toString(sub.id()), s.submission().authorEmail(), nz(s.submission().authorName()),
                        sub.submittedAt().toString(), Boolean.toString(sub.late()), Integer.toString(s.completed()),
                        nz(g.map(x -> points(x.median())).orElse(null)), nz(g.map(x -> points(x.corrected())).orElse(null)),
                        nz(g.map(x -> points(x.low())).orElse(null)), nz(g.map(x -> points(x.high())).orElse(null)),
                        g.map(x -> Boolean.toString(x.trusted())).orElse(""), nz(g.map(ReviewStore.GradeRow::reason).orElse(null)),
                        nz(g.map(x -> points(x.overridePoints())).orElse(null)), nz(g.map(ReviewStore.GradeRow::overrideNote).orElse(null)),
                        nz(g.map(x -> points(x.published())).orElse(null)));
                csv.append(String.join(",", cells.stream().map(Csv::safeField).toList())).append("\r\n");
            }
            String name = ctx.pathParam("course") + "-" + ctx.pathParam("cohort") + "-" + ctx.pathParam("module") + "-grades.csv";
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                    .putHeader("Cache-Control", "no-store").end(csv.toString());
        });
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ---- API ----

    private void apiSubmit(RoutingContext ctx) {
        JsonObject body = Http.jsonBody(ctx);
        String text = Http.string(body, "text");
        boolean draft = Http.bool(body, "draft");
        // A repeat answers the submission as it stands, which is the first answer unless it changed since.
        Idempotent<Void> once = Idempotent.key(ctx).reread(v -> null);
        api(ctx, 200, a -> (draft ? service.saveDraft(a, text, once) : service.submit(a, text, once))
                .recover(e -> Idempotent.orRepeat(e, ref -> null)).compose(v -> service.overview(a))
                .map(o -> overviewJson(o)));
    }

    private void apiSaveReview(RoutingContext ctx) {
        JsonObject body = Http.jsonBody(ctx);
        Object scores = body.getValue("scores");
        if (scores != null && !(scores instanceof JsonObject)) throw HttpProblem.badRequest("review.scoresObject");
        Map<String, Object> raw = scores == null ? Map.of() : ((JsonObject) scores).getMap();
        String comment = Http.string(body, "comment");
        Idempotent<Void> once = Idempotent.key(ctx).reread(v -> null);
        service.reviewForReviewer(Viewer.of(ctx), Http.pathLong(ctx, "review"))
                .compose(ra -> service.saveReview(ra, raw, comment, once).recover(e -> Idempotent.orRepeat(e, ref -> null))
                        .compose(v -> service.reviewForReviewer(Viewer.of(ctx), ra.review().review().id())))
                .map(this::reviewJson)
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private JsonObject overviewJson(ReviewService.Overview o) {
        var a = o.a();
        Instant now = service.now();
        JsonObject json = new JsonObject()
                .put("title", a.assignment().title())
                .put("instructions", a.assignment().instructions())
                .put("submitBy", a.submitBy().toString())
                .put("reviewBy", a.reviewBy().toString())
                .put("phase", o.phase().name().toLowerCase(Locale.ROOT))
                .put("reviewsPerSubmission", a.assignment().reviewsPerSubmission())
                .put("reviewsAsked", a.quota())
                .put("reviewsDone", o.done())
                .put("rubric", rubricJson(a));
        o.mine().ifPresent(s -> json.put("submission", new JsonObject().put("draft", s.draft()).put("text", s.body())
                .put("submittedAt", s.submittedAt() == null ? null : s.submittedAt().toString()).put("late", s.late())));
        JsonArray mine = new JsonArray();
        for (ReviewStore.ReviewRow r : o.myReviews()) {
            if (!r.completed() && !r.leaseUntil().isAfter(now)) continue;
            mine.add(new JsonObject().put("id", r.id()).put("completed", r.completed()).put("extra", r.extra())
                    .put("leaseUntil", r.leaseUntil().toString()).put("helpful", r.helpful()));
        }
        json.put("myReviews", mine);
        json.put("selfAssessmentAsked", a.assignment().selfAssessment());
        o.self().ifPresent(self -> json.put("selfAssessment", new JsonObject().put("scores", self.scores()).put("comment", self.comment())
                .put("total", total(self.scores()))));
        if (o.phase() == ReviewService.Phase.CLOSED) {
            JsonArray feedback = new JsonArray();
            int n = 0;
            for (ReviewStore.ReviewRow r : o.received()) {
                feedback.add(new JsonObject().put("id", r.id()).put("reviewer", "Reviewer " + (++n)).put("scores", r.scores())
                        .put("comment", r.comment()).put("helpful", r.helpful()));
            }
            json.put("feedback", feedback);
            o.grade().ifPresent(g -> json.put("grade", new JsonObject().put("published", g.published()).put("max", g.maxPoints())
                    .put("median", g.median()).put("corrected", g.trusted() ? g.corrected() : null)
                    .put("interval", g.trusted() && g.low() != null ? new JsonArray().add(g.low()).add(g.high()) : null)
                    .put("trusted", g.trusted()).put("reviews", g.reviews()).put("criteria", g.criteria())
                    .put("overridden", g.overridePoints() != null).put("note", g.overrideNote())));
        }
        return json;
    }

    private static JsonArray rubricJson(ReviewService.AssignmentAccess a) {
        JsonArray rubric = new JsonArray();
        for (Criterion c : a.assignment().rubric()) {
            JsonArray levels = new JsonArray();
            c.levels().forEach(l -> levels.add(new JsonObject().put("points", l.points()).put("label", l.label())));
            rubric.add(new JsonObject().put("id", c.id()).put("title", c.title()).put("levels", levels));
        }
        return rubric;
    }

    private JsonObject reviewJson(ReviewService.ReviewAccess ra) {
        ReviewStore.ReviewRow r = ra.review().review();
        return new JsonObject().put("id", r.id()).put("extra", r.extra()).put("leaseUntil", r.leaseUntil().toString())
                .put("completed", r.completed()).put("scores", r.scores()).put("comment", r.comment()).put("helpful", r.helpful())
                .put("submission", new JsonObject().put("text", ra.review().submission().body()).put("late", ra.review().submission().late()))
                .put("rubric", rubricJson(ra.a()));
    }

    private static JsonObject statusJson(ReviewService.SubmissionStatus s) {
        var sub = s.submission().submission();
        JsonArray reviews = new JsonArray();
        for (ReviewStore.ReviewRow r : s.reviews()) {
            reviews.add(new JsonObject().put("id", r.id()).put("reviewer", r.reviewerId()).put("completed", r.completed())
                    .put("leaseUntil", r.leaseUntil().toString()).put("scores", r.scores()).put("comment", r.comment())
                    .put("helpful", r.helpful()).put("flag", r.flagState()));
        }
        JsonObject json = new JsonObject().put("id", sub.id()).put("author", s.submission().authorEmail())
                .put("submittedAt", sub.submittedAt().toString()).put("late", sub.late()).put("completed", s.completed())
                .put("openClaims", s.openClaims()).put("shortfall", s.shortfall()).put("pendingFlags", s.pendingFlags())
                .put("queue", s.queueReason()).put("reviews", reviews);
        s.self().ifPresent(self -> json.put("selfAssessment", new JsonObject().put("scores", self.scores()).put("total", total(self.scores()))));
        s.grade().ifPresent(g -> json.put("grade", new JsonObject().put("published", g.published()).put("median", g.median())
                .put("corrected", g.corrected()).put("low", g.low()).put("high", g.high()).put("trusted", g.trusted())
                .put("reason", g.reason()).put("override", g.overridePoints()).put("note", g.overrideNote())));
        return json;
    }
}
