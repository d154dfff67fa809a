package org.knowmad.cohort;

import com.github.jknack.handlebars.Handlebars.SafeString;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.pulse.ActivityStore;
import org.knowmad.pulse.WeekSummaries;
import org.knowmad.web.FormRetry;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** Catalogue, course and cohort pages, module pages, joining and leaving; and the same data under /api/v1. */
public final class CohortRoutes {

    private final CohortService service;
    private final CourseCatalog catalog;
    private final Pages pages;
    private final CohortListMarkup cohortList;
    private final Markdown markdown;
    private final List<ModuleSection> moduleSections;
    private final org.knowmad.live.StreamHub streams;
    private final ActivityRecorder activity;
    private final WeekSummaries weeks;
    private final List<CohortSection> homeSections;

    private final org.knowmad.guidelines.GuidelineService guidelines;

    public CohortRoutes(CohortService service, CourseCatalog catalog, Pages pages, Markdown markdown, List<ModuleSection> moduleSections,
                        org.knowmad.live.StreamHub streams, org.knowmad.guidelines.GuidelineService guidelines, ActivityRecorder activity,
                        WeekSummaries weeks, List<CohortSection> homeSections) {
        this.streams = streams;
        this.guidelines = guidelines;
        this.activity = activity;
        this.weeks = weeks;
        this.homeSections = List.copyOf(homeSections);
        this.service = service;
        this.catalog = catalog;
        this.pages = pages;
        this.cohortList = new CohortListMarkup(pages);
        this.markdown = markdown;
        this.moduleSections = List.copyOf(moduleSections);
    }

    public void mount(Router router) {
        router.get("/").handler(this::cataloguePage);
        router.get("/me").handler(this::myCoursesPage);
        router.get("/courses/:course").handler(this::coursePage);
        router.post("/courses/:course/cohorts").handler(this::startCohort).failureHandler(FormRetry.on(this::coursePage));
        router.get("/courses/:course/:cohort").handler(this::cohortPage);
        router.post("/courses/:course/:cohort/join").handler(this::joinForm).failureHandler(FormRetry.on(this::cohortPage));
        router.post("/courses/:course/:cohort/leave").handler(this::leaveForm);
        router.post("/courses/:course/:cohort/invites").handler(this::createInvite);
        router.post("/courses/:course/:cohort/organisers").handler(this::nameOrganisers).failureHandler(FormRetry.on(this::coursePage));
        router.post("/courses/:course/:cohort/invites/:code/revoke").handler(this::revokeInvite);
        router.get("/courses/:course/:cohort/modules/:module").handler(this::modulePage);
        // The new-thread form is on the module page (the discussion feature handles the post): a refused one comes back here.
        router.post("/courses/:course/:cohort/modules/:module/threads").failureHandler(FormRetry.on(this::modulePage));
        router.get("/courses/:course/:cohort/events").handler(this::events);

        router.get("/api/v1/courses").handler(this::apiCourses);
        router.get("/api/v1/me").handler(this::apiMe);
        router.post("/api/v1/courses/:course/cohorts").handler(this::apiStartCohort);
        router.get("/api/v1/courses/:course/:cohort").handler(this::apiCohort);
        router.post("/api/v1/courses/:course/:cohort/enrolment").handler(this::apiJoin);
        router.delete("/api/v1/courses/:course/:cohort/enrolment").handler(this::apiLeave);
        router.get("/api/v1/courses/:course/:cohort/modules/:module").handler(this::apiModule);
    }

    // ---- pages ----

    private void cataloguePage(RoutingContext ctx) {
        String lang = Pages.language(ctx, null);
        service.catalogue().onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Map<String, Object>> courses = new ArrayList<>();
            for (CohortService.CourseCohorts cc : ar.result()) {
                Course course = cc.course();
                Map<String, Object> c = new HashMap<>();
                c.put("id", course.id());
                c.put("title", course.definition().title());
                c.put("language", course.definition().language());
                c.put("summaryHtml", markdown.toHtml(course.definition().summary()));
                c.put("cohortList", cohortList(course, cc.cohorts(), lang, service.now()));
                courses.add(c);
            }
            pages.render(ctx, "cohort/catalogue", lang, null, Map.of(
                    "title", pages.text(lang, "catalogue.title"),
                    "courses", courses));
        });
    }

    /** The course's cohort list as the course and catalogue pages show it (rows kept by {@link CohortListMarkup}). */
    private SafeString cohortList(Course course, List<CohortDefinition> cohorts, String lang, Instant now) {
        ZoneId zone = course.definition().zone();
        List<CohortListMarkup.Row> rows = new ArrayList<>(cohorts.size());
        for (CohortDefinition cohort : cohorts) {
            Instant starts = cohort.starts() != null && !cohort.selfPaced() ? cohort.starts().atZone(zone).toInstant() : null;
            rows.add(new CohortListMarkup.Row("/courses/" + course.id() + "/" + cohort.id(), cohort.id(), cohort.selfPaced(),
                    cohort.enrolment().name().toLowerCase(), starts, starts != null && !now.isBefore(starts), lang, zone));
        }
        return cohortList.list(rows);
    }

    private void myCoursesPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        String lang = Pages.language(ctx, null);
        service.myEnrolments(viewer).compose(mine -> weeks.own(viewer, mine)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<Map<String, Object>> enrolled = new ArrayList<>();
            for (WeekSummaries.OwnWeek w : ar.result()) {
                Optional<Course> course = catalog.course(w.courseId());
                if (course.isEmpty()) continue;
                enrolled.add(Map.of("title", course.get().definition().title(), "cohort", w.cohortId(),
                        "path", "/courses/" + w.courseId() + "/" + w.cohortId(), "week", w));
            }
            List<Map<String, Object>> facilitating = new ArrayList<>();
            for (Course c : catalog.courses()) {
                if (CohortRules.facilitates(viewer, c.definition())) {
                    facilitating.add(Map.of("title", c.definition().title(), "path", "/courses/" + c.id()));
                }
            }
            pages.render(ctx, "cohort/me", lang, null, Map.of(
                    "title", pages.text(lang, "me.title"),
                    "enrolled", enrolled,
                    "facilitating", facilitating));
        });
    }

    private void coursePage(RoutingContext ctx) {
        Course course = service.course(ctx.pathParam("course"));
        Viewer viewer = Viewer.of(ctx);
        String lang = Pages.language(ctx, course.definition().language());
        boolean facilitator = CohortRules.facilitates(viewer, course.definition());
        Future.all(service.catalogue(), service.organisersOf(viewer, course)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            List<CohortService.CourseCohorts> catalogue = ar.result().resultAt(0);
            Map<String, List<String>> named = ar.result().resultAt(1);
            List<CohortDefinition> cohorts = catalogue.stream().filter(cc -> cc.course().id().equals(course.id()))
                    .findFirst().map(CohortService.CourseCohorts::cohorts).orElse(List.of());
            Map<String, Object> model = new HashMap<>();
            model.put("title", course.definition().title());
            model.put("course", course.definition());
            model.put("summaryHtml", markdown.toHtml(course.definition().summary()));
            model.put("cohortList", cohortList(course, cohorts, lang, service.now()));
            var meetup = course.definition().meetup();
            if (facilitator && meetup != null) {
                // Organisers of each fixed cohort's meetup: those of the course file (read only) and those named here.
                List<Map<String, Object>> forms = new ArrayList<>();
                for (CohortDefinition cohort : cohorts) {
                    if (cohort.selfPaced()) continue;
                    Map<String, Object> form = new HashMap<>();
                    form.put("id", cohort.id());
                    form.put("action", "/courses/" + course.id() + "/" + cohort.id() + "/organisers");
                    form.put("named", String.join(", ", named.getOrDefault(cohort.id(), List.of())));
                    forms.add(form);
                }
                model.put("organiserForms", forms);
                model.put("fileOrganisers", meetup.organisers().stream().map(p -> p.email()).toList());
                model.put("hasMeetup", true);
            }
            model.put("facilitator", facilitator);
            model.put("modules", course.definition().modules());
            if (facilitator) {
                model.put("problems", catalog.problems().stream()
                        .filter(p -> inFolder(p.file(), course.directory().getFileName().toString())).map(Object::toString).toList());
            }
            pages.render(ctx, "cohort/course", lang, course.definition().zone(), model);
        });
    }

    /** Whether a problem's file lies in the course folder of that name (its parent folder). */
    private static boolean inFolder(String file, String folder) {
        java.nio.file.Path parent = java.nio.file.Path.of(file).getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals(folder);
    }

    private void startCohort(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Idempotent<String> once = Idempotent.key(ctx).form(location -> location);
        var cohort = new CohortService.NewCohort(form.getFormAttribute("id"), form.getFormAttribute("starts"), form.getFormAttribute("pace"),
                form.getFormAttribute("enrolment"), form.getFormAttribute("capacity"), form.getFormAttribute("meetupStarts"),
                form.getFormAttribute("meetupVenue"), form.getFormAttribute("meetupCapacity"));
        service.startCohort(viewer, ctx.pathParam("course"), cohort, once)
                .map(once::answer).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    /** A facilitator names a cohort's meetup organisers (e-mail addresses) on the course page. */
    private void nameOrganisers(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.nameOrganisers(access, ctx.request().getFormAttribute("emails")))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void cohortPage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        // A live page reloading its module list (htmx) is the same visit.
        boolean visit = ctx.request().getHeader("HX-Request") == null;
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).onSuccess(access -> {
                    if (visit) activity.record(access, "", ActivityRecorder.Kind.VISITS);
                }).compose(access ->
                Future.all(service.invites(access), service.enrolledCount(access), guidelines.standing(access.ref()), weeks.cohort(access),
                        homeSectionsModel(access, ctx)).map(both -> {
                    List<String> invites = both.resultAt(0);
                    Long enrolledCount = both.resultAt(1);
                    org.knowmad.guidelines.GuidelineService.Standing standing = both.resultAt(2);
                    ActivityStore.CohortWeek week = both.resultAt(3);
                    CohortRef ref = access.ref();
                    String lang = Pages.language(ctx, ref.course().definition().language());
                    Instant now = service.now();
                    Instant previewAt = previewMoment(ctx, access);
                    CohortAccess shown = previewAt == null ? access
                            : new CohortAccess(viewer, ref, false, Optional.of(new Enrolled(ref.courseId(), ref.cohortId(), 0,
                                    ref.cohort().selfPaced() ? previewJoin(ctx, ref, now) : now, false)));
                    Instant at = previewAt == null ? now : previewAt;
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", ref.course().definition().title() + " · " + ref.cohortId());
                    model.put("course", ref.course().definition());
                    model.put("cohort", ref.cohort());
                    model.put("cohortPath", ref.path());
                    String previewQuery = previewQuery(ctx, previewAt);
                    model.put("modules", CohortService.modules(shown, at).stream()
                            .map(m -> new ModuleView(m.id(), m.title(), m.open(), m.opensAt(), m.hasAssignment(), m.path() + previewQuery)).toList());
                    model.put("enrolled", access.enrolled());
                    model.put("enrolledCount", enrolledCount);
                    model.put("showCount", enrolledCount != null);
                    // The cohort's week as a whole, never who: shown once someone took part.
                    if (week != null && (week.readers() > 0 || week.posters() > 0)) model.put("cohortWeek", week);
                    if (enrolledCount != null && ref.cohort().capacity() != null) {
                        model.put("placesLeft", Math.max(0, ref.cohort().capacity() - enrolledCount));
                    }
                    model.put("facilitator", access.facilitator());
                    // The page subscribes to module openings only where the events route would answer: a visitor's
                    // page opens no stream (it would be refused on every visit). The same rule decides both.
                    model.put("live", service.rules().readModules(access).allowed());
                    model.put("joinedAt", access.joinedAt());
                    model.put("guidelines", standing.texts());
                    if (ref.course().definition().cohortGuidelines() != null && guidelines.rules().see(access).allowed()) {
                        model.put("guidelinesPath", ref.path() + "/guidelines");
                        model.put("askToAcceptGuidelines", guidelines.rules().askToAccept(access, standing.adoptedAt()));
                    }
                    // The circles page's own rule (CircleRules.seeCircles): members, where the course has circles.
                    if (new org.knowmad.circles.CircleRules(service.rules()).seeCircles(access, ref.course().definition().circles() != null).allowed()) {
                        model.put("circlesPath", ref.path() + "/circles");
                    }
                    model.put("invite", ctx.request().getParam("invite"));
                    model.put("inviteOnly", ref.cohort().enrolment() == org.knowmad.course.Enrolment.INVITE);
                    model.put("closed", ref.cohort().enrolment() == org.knowmad.course.Enrolment.CLOSED);
                    model.put("previewAt", previewAt);
                    model.put("previewValue", previewValue(ctx, "as"));
                    model.put("previewJoined", previewValue(ctx, "joined"));
                    model.put("invites", invites.stream().map(code -> Map.of("code", code,
                            "url", ref.path() + "?invite=" + code)).toList());
                    if (ref.cohort().starts() != null && !ref.cohort().selfPaced()) {
                        model.put("starts", ref.cohort().starts().atZone(ref.course().definition().zone()).toInstant());
                    }
                    var meetup = ref.course().definition().meetup();
                    if (meetup != null && !ref.cohort().selfPaced()) {
                        CohortService.timeline(access, now).meetupStarts().ifPresent(starts -> {
                            String venue = ref.cohort().meetup() != null && ref.cohort().meetup().venue() != null
                                    ? ref.cohort().meetup().venue() : meetup.venue();
                            model.put("meetup", Map.of("title", meetup.title() == null ? "" : meetup.title(), "starts", starts,
                                    "venue", venue == null ? "" : venue, "path", ref.path() + "/meetup"));
                        });
                    }
                    model.putAll(both.<Map<String, Object>>resultAt(4));
                    pages.render(ctx, "cohort/home", lang, ref.course().definition().zone(), model);
                    return null;
                })).onFailure(ctx::fail);
    }

    /** The values the other features' sections of the cohort home add to its model. */
    private Future<Map<String, Object>> homeSectionsModel(CohortAccess access, RoutingContext ctx) {
        String lang = Pages.language(ctx, access.ref().course().definition().language());
        List<Future<Map<String, Object>>> parts = homeSections.stream().map(s -> s.model(access, lang)).toList();
        return Future.all(parts).map(all -> {
            Map<String, Object> model = new HashMap<>();
            parts.forEach(part -> model.putAll(part.result()));
            return model;
        });
    }

    /** A facilitator's "as a participant at date X" preview: {@code ?as=2017-01-23T10:00} (local time). */
    private Instant previewMoment(RoutingContext ctx, CohortAccess access) {
        String as = ctx.request().getParam("as");
        if (as == null || as.isBlank()) return null;
        service.rules().manage(access).require();
        try {
            return LocalDateTime.parse(as.trim()).atZone(access.ref().course().definition().zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpProblem.badRequest("preview.badDate");
        }
    }

    /**
     * The query that keeps a facilitator inside the preview when following a link from a previewed page
     * ({@code ?as=…&joined=…}); empty outside a preview.
     */
    private static String previewQuery(RoutingContext ctx, Instant previewAt) {
        if (previewAt == null) return "";
        StringBuilder q = new StringBuilder("?as=").append(java.net.URLEncoder.encode(previewValue(ctx, "as"), java.nio.charset.StandardCharsets.UTF_8));
        String joined = previewValue(ctx, "joined");
        if (!joined.isEmpty()) q.append("&joined=").append(java.net.URLEncoder.encode(joined, java.nio.charset.StandardCharsets.UTF_8));
        return q.toString();
    }

    /** A preview parameter as the date-time input shows it again ({@code 2030-03-20T10:00}), empty when absent or unreadable. */
    private static String previewValue(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isBlank()) return "";
        try {
            return LocalDateTime.parse(raw.trim()).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    /** In a self-paced preview the imagined participant joined at {@code ?joined=} (default: the cohort start or now). */
    private static Instant previewJoin(RoutingContext ctx, CohortRef ref, Instant now) {
        String joined = ctx.request().getParam("joined");
        ZoneId zone = ref.course().definition().zone();
        try {
            if (joined != null && !joined.isBlank()) return LocalDateTime.parse(joined.trim()).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw HttpProblem.badRequest("preview.badDate");
        }
        return ref.cohort().starts() != null ? ref.cohort().starts().atZone(zone).toInstant() : now;
    }

    private void joinForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        boolean accepted = "on".equals(form.getFormAttribute("acceptGuidelines")) || "true".equals(form.getFormAttribute("acceptGuidelines"));
        Idempotent<String> once = Idempotent.key(ctx).form(location -> location);
        service.join(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), accepted, form.getFormAttribute("invite"), once)
                .map(once::answer).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void leaveForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.leave(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .map(left -> "/courses/" + ctx.pathParam("course") + "/" + ctx.pathParam("cohort"))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void createInvite(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        Idempotent.Key key = Idempotent.key(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).compose(access -> {
                    Idempotent<String> once = key.form(code -> access.ref().path() + "#invites");
                    return service.createInvite(access, once).map(once::answer);
                })
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void revokeInvite(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.revokeInvite(access, ctx.pathParam("code")).map(v -> access.ref().path() + "#invites"))
                .onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void modulePage(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).compose(access -> {
            CohortRef ref = access.ref();
            String lang = Pages.language(ctx, ref.course().definition().language());
            ctx.put("zone", ref.course().definition().zone());
            ctx.put(Pages.LANG_KEY, lang);
            Instant now = service.now();
            Instant previewAt = previewMoment(ctx, access);
            CohortAccess shown = previewAt == null ? access
                    : new CohortAccess(viewer, ref, false, Optional.of(new Enrolled(ref.courseId(), ref.cohortId(), 0,
                            ref.cohort().selfPaced() ? previewJoin(ctx, ref, now) : now, false)));
            ModuleView module = service.readableModule(shown, ctx.pathParam("module"), previewAt == null ? now : previewAt);
            if (previewAt == null) activity.record(access, module.id(), ActivityRecorder.Kind.READS);
            var definition = ref.course().definition().module(module.id()).orElseThrow();
            Map<String, Object> model = new HashMap<>();
            model.put("title", module.title() + " · " + ref.course().definition().title());
            model.put("course", ref.course().definition());
            model.put("cohortPath", ref.path());
            model.put("module", module);
            model.put("contentHtml", markdown.toHtml(ref.course().content(module.id()).orElse("")));
            model.put("prompts", definition.prompts());
            model.put("assignment", definition.assignment());
            model.put("assignmentHtml", definition.assignment() == null ? "" : markdown.toHtml(definition.assignment().instructions()));
            model.put("facilitator", access.facilitator());
            model.put("previewAt", previewAt);
            model.put("previewQuery", previewQuery(ctx, previewAt));
            List<Future<Map<String, Object>>> parts = moduleSections.stream().map(s -> s.model(access, module, lang, ctx.queryParams())).toList();
            return Future.all(parts).map(all -> {
                parts.forEach(part -> model.putAll(part.result()));
                pages.render(ctx, "cohort/module", lang, ref.course().definition().zone(), model);
                return null;
            });
        }).onFailure(ctx::fail);
    }

    /** Live events of the cohort for its participants and facilitators (module openings for now). */
    private void events(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CohortAccess access = ar.result();
            Decision may = service.rules().readModules(access);
            if (!may.allowed()) {
                ctx.fail(may.refusal());
                return;
            }
            long me = viewer.accountId();
            streams.open(ctx, org.knowmad.live.LiveEvents.cohortAddress(access.ref().courseId(), access.ref().cohortId()), me,
                    activity.presence(access), event -> "module-opened".equals(event.getString("type"))
                            && (event.getValue("participant") == null || event.getLong("participant") == me));
        });
    }

    // ---- JSON API ----

    private void apiCourses(RoutingContext ctx) {
        service.catalogue().onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray courses = new JsonArray();
            for (CohortService.CourseCohorts cc : ar.result()) {
                var d = cc.course().definition();
                JsonArray cohorts = new JsonArray();
                for (CohortDefinition c : cc.cohorts()) cohorts.add(cohortJson(cc.course(), c));
                courses.add(new JsonObject().put("id", d.id()).put("title", d.title()).put("language", d.language())
                        .put("timezone", d.timezone()).put("summary", d.summary()).put("cohorts", cohorts));
            }
            Http.json(ctx, 200, new JsonObject().put("courses", courses));
        });
    }

    private static JsonObject cohortJson(Course course, CohortDefinition c) {
        JsonObject o = new JsonObject().put("id", c.id()).put("pace", c.selfPaced() ? "self" : "fixed")
                .put("enrolment", c.enrolment().name().toLowerCase()).put("capacity", c.capacity());
        if (c.starts() != null) o.put("startsAt", c.starts().atZone(course.definition().zone()).toOffsetDateTime().toString());
        return o;
    }

    private void apiCohort(RoutingContext ctx) {
        service.access(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CohortAccess access = ar.result();
            activity.record(access, "", ActivityRecorder.Kind.VISITS);
            ZoneId zone = access.ref().course().definition().zone();
            JsonArray modules = new JsonArray();
            for (ModuleView m : CohortService.modules(access, service.now())) {
                modules.add(new JsonObject().put("id", m.id()).put("title", m.title()).put("state", m.open() ? "open" : "locked")
                        .put("opensAt", m.opensAt().atZone(zone).toOffsetDateTime().toString())
                        .put("assignment", m.hasAssignment()));
            }
            JsonObject body = cohortJson(access.ref().course(), access.ref().cohort())
                    .put("course", access.ref().courseId())
                    .put("title", access.ref().course().definition().title())
                    .put("enrolled", access.enrolled())
                    .put("facilitator", access.facilitator())
                    .put("guidelines", new JsonArray(access.ref().course().definition().guidelines()))
                    .put("modules", modules);
            if (access.joinedAt() != null) body.put("joinedAt", access.joinedAt().atZone(zone).toOffsetDateTime().toString());
            Http.json(ctx, 200, body);
        });
    }

    private void apiJoin(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        JsonObject body = Http.jsonBody(ctx);
        Object accept = body.getValue("acceptGuidelines");
        if (accept != null && !(accept instanceof Boolean)) throw HttpProblem.badRequest("cohort.acceptGuidelines");
        String invite = body.getValue("invite") instanceof String s ? s : null;
        // Joining twice is harmless and the answer is the enrolment as it stands, so a repeated key answers it too.
        Idempotent<String> once = Idempotent.key(ctx).form(location -> location);
        service.join(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"), Boolean.TRUE.equals(accept), invite, once)
                .recover(e -> e instanceof Idempotent.Repeat ? Future.succeededFuture() : Future.failedFuture(e))
                .compose(location -> service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    ZoneId zone = ar.result().ref().course().definition().zone();
                    Http.json(ctx, 200, new JsonObject().put("enrolled", true)
                            .put("joinedAt", ar.result().joinedAt().atZone(zone).toOffsetDateTime().toString()));
                });
    }

    /**
     * A facilitator starts a cohort: {@code {"starts": "2027-03-01T09:00", "id": "...", "pace": "fixed", "enrolment": "open",
     * "capacity": 100, "meetup": {"starts": "2027-04-10T13:00", "venue": "...", "capacity": 40}}} (all but starts or id optional).
     */
    private void apiStartCohort(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        JsonObject body = Http.jsonBody(ctx);
        Object capacity = body.getValue("capacity");
        if (capacity != null && !(capacity instanceof Number)) throw HttpProblem.badRequest("cohort.new.badCapacity");
        JsonObject meetup = body.getValue("meetup") instanceof JsonObject m ? m : new JsonObject();
        if (body.getValue("meetup") != null && !(body.getValue("meetup") instanceof JsonObject)) throw HttpProblem.badRequest("error.badRequest");
        Object meetupCapacity = meetup.getValue("capacity");
        if (meetupCapacity != null && !(meetupCapacity instanceof Number)) throw HttpProblem.invalid("meetup.capacity", "cohort.new.badCapacity");
        Idempotent<String> once = Idempotent.key(ctx).answer(path -> Idempotent.Answer.json(201,
                new JsonObject().put("id", path.substring(path.lastIndexOf('/') + 1)).put("path", path)).at(path));
        var cohort = new CohortService.NewCohort(Http.string(body, "id"), Http.string(body, "starts"), Http.string(body, "pace"),
                Http.string(body, "enrolment"), capacity == null ? null : capacity.toString(), Http.string(meetup, "starts"),
                Http.string(meetup, "venue"), meetupCapacity == null ? null : meetupCapacity.toString());
        service.startCohort(viewer, ctx.pathParam("course"), cohort, once)
                .map(once::answer).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void apiLeave(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.leave(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else if (!ar.result()) ctx.fail(new HttpProblem(404, "cohort.notEnrolled"));
            else ctx.response().setStatusCode(204).end();
        });
    }

    private void apiModule(RoutingContext ctx) {
        service.access(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CohortAccess access = ar.result();
            ctx.put("zone", access.ref().course().definition().zone());
            ModuleView m;
            try {
                m = service.readableModule(access, ctx.pathParam("module"), service.now());
            } catch (HttpProblem p) {
                ctx.fail(p);
                return;
            }
            activity.record(access, m.id(), ActivityRecorder.Kind.READS);
            ZoneId zone = access.ref().course().definition().zone();
            String content = access.ref().course().content(m.id()).orElse("");
            Http.json(ctx, 200, new JsonObject().put("id", m.id()).put("title", m.title()).put("state", m.open() ? "open" : "locked")
                    .put("opensAt", m.opensAt().atZone(zone).toOffsetDateTime().toString())
                    .put("content", content).put("html", markdown.toHtml(content)));
        });
    }

    private void apiMe(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        service.myEnrolments(viewer).compose(mine -> weeks.own(viewer, mine).map(own -> Map.entry(mine, own))).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            JsonArray cohorts = new JsonArray();
            for (Enrolled e : ar.result().getKey()) {
                JsonObject cohort = new JsonObject().put("course", e.courseId()).put("cohort", e.cohortId()).put("joinedAt", e.joinedAt().toString());
                // One's own week there, from Monday in the course's time zone: nothing about anyone else.
                ar.result().getValue().stream().filter(w -> w.courseId().equals(e.courseId()) && w.cohortId().equals(e.cohortId())).findFirst()
                        .ifPresent(w -> cohort.put("week", new JsonObject().put("since", w.since().toString()).put("daysActive", w.days())
                                .put("reads", w.reads()).put("posts", w.posts()).put("reactions", w.reactions()).put("reviews", w.reviews())));
                cohorts.add(cohort);
            }
            JsonArray facilitating = new JsonArray();
            catalog.courses().stream().filter(c -> CohortRules.facilitates(viewer, c.definition())).forEach(c -> facilitating.add(c.id()));
            Http.json(ctx, 200, new JsonObject().put("id", viewer.accountId()).put("email", viewer.email())
                    .put("name", viewer.account().displayName()).put("cohorts", cohorts).put("facilitating", facilitating));
        });
    }

}
