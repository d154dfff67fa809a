package org.knowmad.pulse;

import io.vertx.core.Future;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowmad.course.CourseDefinition;
import org.knowmad.discussion.DiscussionService;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Pages;
import org.knowmad.web.Templates;
import org.knowmad.web.Viewer;

/** The facilitators' pulse page of a cohort, and the same numbers under /api/v1. */
public final class PulseRoutes {

    private final PulseService service;
    private final DiscussionService discussions;
    private final Pages pages;
    private final AnnouncementService announcements;

    public PulseRoutes(PulseService service, DiscussionService discussions, Pages pages, AnnouncementService announcements) {
        this.announcements = announcements;
        this.service = service;
        this.discussions = discussions;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get("/courses/:course/:cohort/pulse").handler(this::page);
        router.get("/api/v1/courses/:course/:cohort/pulse").handler(this::api);
    }

    /** {@code ?week=N}: absent for the default week; anything but a whole number is refused. */
    private static Integer week(RoutingContext ctx) {
        String raw = ctx.request().getParam("week");
        if (raw == null || raw.isBlank()) return null;
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("pulse.badWeek.format");
        }
    }

    private void page(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                // The announcements and nudges sent to the cohort, under the pulse they answer.
                // Unanswered help requests come first: a person asking for help should not wait for Monday.
                // All four reads go out together (each asks the rules itself).
                .compose(access -> Future.all(announcements.sentLog(access), discussions.openHelpRequests(access), service.principles(access),
                                service.pulse(access, week(ctx), PulseService.PAGE_WAIT))
                        .map(both -> {
                    PulseService.Pulse p = both.resultAt(3);
                    CourseDefinition course = p.access().ref().course().definition();
                    String lang = Pages.language(ctx, course.language());
                    Map<String, Object> model = model(p, lang);
                    model.put("sentLog", SentLog.model(both.resultAt(0), lang, pages));
                    model.put("helpRequests", org.knowmad.discussion.HelpRequestRows.of(p.access(), both.resultAt(1), lang, discussions, pages));
                    model.put("principles", principles(both.resultAt(2), p.access()));
                    if (p.counting()) {
                        // The page asks for itself again until the counts are there (htmx takes only #participation).
                        Integer asked = week(ctx);
                        model.put("counting", true);
                        model.put("pollPath", p.access().ref().path() + "/pulse" + (asked == null ? "" : "?week=" + asked));
                    }
                    pages.render(ctx, "pulse/pulse", lang, course.zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    /** The principles section: what each switch is doing in this cohort; a line only for what the course uses. */
    private static Map<String, Object> principles(PulseStore.Principles x, org.knowmad.cohort.CohortAccess access) {
        var course = access.ref().course().definition();
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("guidelines", course.cohortGuidelines() != null);
        m.put("proposals", x.proposals());
        m.put("voters", x.voters());
        m.put("version", x.guidelinesVersion());
        m.put("accepted", x.acceptedVersion());
        m.put("enrolled", x.enrolled());
        m.put("rhythmGoals", x.rhythmGoals());
        m.put("circles", course.circles() != null);
        m.put("inCircles", x.inCircles());
        m.put("wip", x.workInProgress());
        m.put("help", x.helpRequests());
        m.put("guidelinesPath", access.ref().path() + "/guidelines");
        m.put("circlesPath", access.ref().path() + "/circles");
        return m;
    }

    private JsonObject principlesJson(PulseStore.Principles x) {
        return new JsonObject().put("guidelineProposals", x.proposals()).put("guidelineVoters", x.voters())
                .put("guidelinesVersion", x.guidelinesVersion()).put("acceptedCurrentVersion", x.acceptedVersion())
                .put("sharingGoals", x.rhythmGoals()).put("inCircles", x.inCircles())
                .put("workInProgressPosts", x.workInProgress()).put("helpRequestPosts", x.helpRequests());
    }

    private Map<String, Object> model(PulseService.Pulse p, String lang) {
        PulseCharts.Text text = (key, args) -> pages.text(lang, key, args);
        CourseDefinition course = p.access().ref().course().definition();
        ZoneId zone = course.zone();
        String path = p.access().ref().path();
        Map<String, Object> m = new HashMap<>();
        m.put("title", pages.text(lang, "pulse.title") + " · " + course.title() + " · " + p.access().ref().cohortId());
        m.put("course", course);
        m.put("cohortId", p.access().ref().cohortId());
        m.put("cohortPath", path);
        m.put("selfPaced", p.weeks().selfPaced());

        List<Map<String, Object>> options = new ArrayList<>();
        for (PulseWeeks.Week w : p.weeks().weeks()) {
            options.add(Map.of("number", w.number(), "label", weekLabel(w, lang), "selected", w.number() == p.week()));
        }
        m.put("weeks", options);
        PulseWeeks.Week shownWeek = p.weeks().week(p.week());
        String shownLabel = weekLabel(shownWeek, lang);
        m.put("weekLabel", shownLabel);
        if (!p.weeks().selfPaced()) {
            m.put("weekFrom", date(shownWeek.from(p.weeks().start()), lang));
            m.put("weekTo", date(shownWeek.until(p.weeks().start()).minusDays(1), lang));
        }

        PulseStore.PeriodRow shown = p.shown();
        m.put("funnel", funnelRows(shown.funnel(), text));
        m.put("funnelSvg", PulseCharts.funnel(shown.funnel(), pages.text(lang, "pulse.funnel.chart", shownLabel), text));
        m.put("overallFunnel", funnelRows(p.overall().funnel(), text));
        m.put("overallFunnelSvg", PulseCharts.funnel(p.overall().funnel(), pages.text(lang, "pulse.funnel.chartOverall"), text));

        List<PulseCharts.ShapeRow> shapeRows = new ArrayList<>();
        List<Map<String, Object>> shapeTable = new ArrayList<>();
        Integer previous = null;
        for (PulseWeeks.Week w : p.weeks().weeks()) {
            if (!p.byWeek().containsKey(w.number())) continue;
            ParticipationShape s = p.period(w.number()).shape();
            String label = pages.text(lang, "pulse.week", w.number());
            shapeRows.add(new PulseCharts.ShapeRow(label, s));
            Map<String, Object> row = shapeRow(label, s);
            int contributors = s.occasionalPercent() + s.frequentPercent();
            if (previous != null && s.active() > 0) row.put("change", signed(contributors - previous));
            if (s.active() > 0) previous = contributors;
            shapeTable.add(row);
        }
        ParticipationShape overall = p.overall().shape();
        String overallLabel = pages.text(lang, "pulse.overall");
        shapeRows.add(new PulseCharts.ShapeRow(overallLabel, overall));
        int[] norm = ParticipationShape.NINETY_NINE_ONE;
        shapeRows.add(new PulseCharts.ShapeRow("90-9-1", new ParticipationShape(norm[0], norm[1], norm[2])));
        m.put("shapeSvg", PulseCharts.shape(shapeRows, pages.text(lang, "pulse.shape.chart"), text));
        m.put("shapeWeeks", shapeTable);
        m.put("shapeOverall", shapeRow(overallLabel, overall));
        m.put("shapeAgainstNorm", pages.text(lang, "pulse.shape.againstNorm", overall.occasionalPercent() + overall.frequentPercent(),
                signed(overall.contributorsAgainstNorm())));
        m.put("shapeActive", overall.active() > 0);
        m.put("thresholds", pages.text(lang, "pulse.shape.thresholds", ParticipationShape.FREQUENT_FROM - 1, ParticipationShape.FREQUENT_FROM));

        DateTimeFormatter dayFormat = DateTimeFormatter.ofPattern("EEE d MMM", Locale.forLanguageTag(lang));
        List<PulseCharts.Bar> bars = new ArrayList<>();
        List<Map<String, Object>> peakRows = new ArrayList<>();
        for (PulseStore.DayPeak d : p.peaks()) {
            bars.add(new PulseCharts.Bar(dayFormat.format(d.day()), d.online()));
            peakRows.add(Map.of("day", date(d.day(), lang), "online", d.online(), "at", d.at(),
                    "clock", DateTimeFormatter.ofPattern("HH:mm").withZone(zone).format(d.at())));
        }
        m.put("peaks", peakRows);
        m.put("peaksSvg", PulseCharts.bars(bars, pages.text(lang, "pulse.peak.chart"), text));
        if (p.peak() != null) m.put("peak", Map.of("online", p.peak().online(), "at", p.peak().at()));

        m.put("threads", p.replies().threads());
        m.put("unanswered", p.replies().unanswered());
        p.medianReplySeconds().ifPresent(s -> m.put("medianReply", duration((long) s, text)));
        m.put("waiting", p.waiting().stream().map(w -> Map.of("title", w.title(), "since", w.since(),
                "path", path + "/threads/" + w.threadId())).toList());
        String anonymous = pages.text(lang, "post.anonymous");
        String courseLabel = pages.text(lang, "post.facilitators");
        m.put("helpful", p.helpful().stream().map(h -> Map.of("title", h.threadTitle(), "excerpt", h.excerpt(), "helpful", h.helpful(),
                "author", discussions.shownAuthor(p.access(), h.authorId(), h.authorName(), h.anonymous(), anonymous, courseLabel),
                "path", path + "/threads/" + h.threadId() + "#post-" + h.number())).toList());
        m.put("nominated", p.nominated().stream().map(n -> Map.of("title", n.title(), "votes", n.votes(),
                "path", path + "/threads/" + n.threadId())).toList());
        m.put("nominatedTotal", p.nominatedTotal());
        m.put("questionsPath", path + "/meetup/questions");

        m.put("reviews", p.reviews().stream().map(r -> Map.of("title", r.title(), "submitted", r.submitted(), "late", r.late(),
                "owed", r.owed(), "stuck", r.stuck(), "path", path + "/modules/" + r.moduleId() + "/assignment/submissions")).toList());
        m.put("hasReviews", !p.reviews().isEmpty());

        m.put("drifted", p.drifted());
        m.put("unseenDays", PulseService.UNSEEN.toDays());
        m.put("rosterPath", path + "/roster?filter=unseen");
        m.put("today", date(p.today(), lang));
        m.put("zoneId", zone.getId());
        if (p.countedAt().isBefore(p.now())) m.put("countedAt", p.countedAt());
        return m;
    }

    private List<Map<String, Object>> funnelRows(Funnel f, PulseCharts.Text text) {
        long[] c = f.counts();
        int[] pct = f.percents();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            rows.add(Map.of("stage", text.t("pulse.stage." + Funnel.STAGES.get(i)), "count", c[i], "percent", pct[i]));
        }
        return rows;
    }

    private static Map<String, Object> shapeRow(String label, ParticipationShape s) {
        int[] pct = s.percents();
        Map<String, Object> row = new HashMap<>();
        row.put("label", label);
        row.put("active", s.active());
        row.put("lurkers", s.lurkers());
        row.put("occasional", s.occasional());
        row.put("frequent", s.frequent());
        row.put("lurkersPct", pct[0]);
        row.put("occasionalPct", pct[1]);
        row.put("frequentPct", pct[2]);
        return row;
    }

    private String weekLabel(PulseWeeks.Week w, String lang) {
        String titles = String.join(", ", w.titles());
        return titles.isEmpty() ? pages.text(lang, "pulse.week", w.number()) : pages.text(lang, "pulse.weekOf", w.number(), titles);
    }

    private static String date(LocalDate day, String lang) {
        return day == null ? "" : DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.forLanguageTag(lang)).format(day);
    }

    private static String signed(int points) {
        return points > 0 ? "+" + points : Integer.toString(points);
    }

    /** A wait as people say it: minutes below an hour, hours and minutes below two days, else days and hours. */
    static String duration(long seconds, PulseCharts.Text text) {
        long minutes = Math.max(0, seconds) / 60;
        if (minutes < 60) return text.t("pulse.duration.minutes", minutes);
        if (minutes < 48 * 60) return text.t("pulse.duration.hours", minutes / 60, minutes % 60);
        return text.t("pulse.duration.days", minutes / (24 * 60), minutes / 60 % 24);
    }

    // ---- API ----

    private void api(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        service.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> Future.all(service.pulse(access, week(ctx), null), service.principles(access))
                        .map(both -> json(both.resultAt(0)).put("principles", principlesJson(both.resultAt(1)))))
                .onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private JsonObject json(PulseService.Pulse p) {
        PulseWeeks weeks = p.weeks();
        JsonArray weekArray = new JsonArray();
        for (PulseWeeks.Week w : weeks.weeks()) {
            JsonObject o = new JsonObject().put("week", w.number()).put("modules", new JsonArray(w.moduleIds()))
                    .put("fromDay", w.fromDay()).put("toDay", w.toDay()).put("begun", p.byWeek().containsKey(w.number()));
            if (!weeks.selfPaced()) {
                o.put("from", w.from(weeks.start()).toString()).put("until", w.until(weeks.start()).toString());
            }
            PulseStore.PeriodRow r = p.period(w.number());
            weekArray.add(o.put("funnel", funnel(r.funnel())).put("shape", shape(r.shape())));
        }
        JsonArray peaks = new JsonArray();
        for (PulseStore.DayPeak d : p.peaks()) {
            peaks.add(new JsonObject().put("day", d.day().toString()).put("online", d.online()).put("at", d.at().toString()));
        }
        JsonObject discussion = new JsonObject().put("threads", p.replies().threads()).put("unanswered", p.replies().unanswered())
                .put("medianFirstReplySeconds", p.medianReplySeconds().isPresent() ? p.medianReplySeconds().getAsDouble() : null)
                .put("oldestUnanswered", new JsonArray(p.waiting().stream().map(w -> new JsonObject().put("thread", w.threadId())
                        .put("title", w.title()).put("since", w.since().toString())).toList()))
                .put("mostHelpful", new JsonArray(p.helpful().stream().map(h -> {
                    JsonObject o = new JsonObject().put("thread", h.threadId()).put("post", h.number()).put("title", h.threadTitle())
                            .put("helpful", h.helpful()).put("excerpt", h.excerpt()).put("anonymous", h.anonymous());
                    // The same rule as the thread page: an anonymous author is named only to who may know them.
                    if (h.authorId() != null && discussions.rules().knowAuthor(p.access(), h.authorId(), h.anonymous())) {
                        o.put("author", h.authorName());
                    }
                    return o;
                }).toList()))
                .put("nominated", p.nominatedTotal())
                .put("nominations", new JsonArray(p.nominated().stream().map(n -> new JsonObject().put("thread", n.threadId())
                        .put("title", n.title()).put("votes", n.votes())).toList()));
        JsonArray reviews = new JsonArray(p.reviews().stream().map(r -> new JsonObject().put("module", r.moduleId())
                .put("submitted", r.submitted()).put("late", r.late()).put("reviewsOwed", r.owed()).put("stuck", r.stuck())).toList());
        JsonObject peak = p.peak() == null ? null
                : new JsonObject().put("online", p.peak().online()).put("at", p.peak().at().toString());
        return new JsonObject()
                .put("course", p.access().ref().courseId()).put("cohort", p.access().ref().cohortId())
                .put("timezone", p.access().ref().course().definition().zone().getId())
                .put("today", p.today().toString()).put("countedAt", p.countedAt().toString()).put("selfPaced", weeks.selfPaced()).put("week", p.week())
                .put("thresholds", new JsonObject().put("occasionalFrom", ParticipationShape.OCCASIONAL_FROM)
                        .put("frequentFrom", ParticipationShape.FREQUENT_FROM).put("unseenDays", PulseService.UNSEEN.toDays()))
                .put("weeks", weekArray)
                .put("overall", new JsonObject().put("funnel", funnel(p.overall().funnel())).put("shape", shape(p.overall().shape())))
                .put("peak", peak).put("peaks", peaks)
                .put("discussion", discussion)
                .put("reviews", reviews)
                .put("drifted", p.drifted())
                .put("roster", p.access().ref().path() + "/roster?filter=unseen");
    }

    private static JsonObject funnel(Funnel f) {
        JsonObject o = new JsonObject();
        long[] c = f.counts();
        int[] pct = f.percents();
        for (int i = 0; i < c.length; i++) {
            o.put(Funnel.STAGES.get(i), new JsonObject().put("count", c[i]).put("percent", pct[i]));
        }
        return o;
    }

    private static JsonObject shape(ParticipationShape s) {
        int[] pct = s.percents();
        return new JsonObject().put("active", s.active())
                .put("lurkers", new JsonObject().put("count", s.lurkers()).put("percent", pct[0]))
                .put("occasional", new JsonObject().put("count", s.occasional()).put("percent", pct[1]))
                .put("frequent", new JsonObject().put("count", s.frequent()).put("percent", pct[2]));
    }
}
