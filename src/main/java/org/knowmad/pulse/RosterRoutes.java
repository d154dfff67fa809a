package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.review.Csv;
import org.knowmad.web.Http;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/** The cohort roster for facilitators: the page (with the announcement and nudge forms and the sent log), JSON, CSV. */
public final class RosterRoutes {

    private final RosterService service;
    private final AnnouncementService announcements;
    private final CohortService cohorts;
    private final Pages pages;
    private final Pseudonyms pseudonyms;

    public RosterRoutes(RosterService service, AnnouncementService announcements, CohortService cohorts, Pages pages, Pseudonyms pseudonyms) {
        this.service = service;
        this.announcements = announcements;
        this.cohorts = cohorts;
        this.pages = pages;
        this.pseudonyms = pseudonyms;
    }

    public void mount(Router router) {
        router.get("/courses/:course/:cohort/roster").handler(this::page);
        router.get("/courses/:course/:cohort/roster.csv").handler(this::csv);
        router.get("/api/v1/courses/:course/:cohort/roster").handler(this::api);
    }

    private RosterQuery query(RoutingContext ctx) {
        var r = ctx.request();
        return RosterQuery.parse(r.getParam("filter"), r.getParam("sort"), r.getParam("dir"), r.getParam("page"), r.getParam("size"));
    }

    private Future<CohortAccess> access(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        return cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(a -> service.rules().seeRoster(a).future().map(v -> a));
    }

    private void page(RoutingContext ctx) {
        access(ctx).compose(a -> {
            RosterQuery q = query(ctx);
            Long sentId = sentParam(ctx);
            return Future.all(service.roster(a, q), announcements.sentLog(a),
                            sentId == null ? Future.succeededFuture(Optional.<AnnouncementStore.Sent>empty()) : announcements.sent(a, sentId))
                    .map(all -> {
                        RosterStore.Page page = all.resultAt(0);
                        List<AnnouncementStore.Sent> log = all.resultAt(1);
                        Optional<AnnouncementStore.Sent> sent = all.resultAt(2);
                        String lang = Pages.language(ctx, a.ref().course().definition().language());
                        Map<String, Object> model = new HashMap<>();
                        String base = a.ref().path() + "/roster";
                        model.put("title", pages.text(lang, "roster.title") + " · " + a.ref().course().definition().title() + " · " + a.ref().cohortId());
                        model.put("course", a.ref().course().definition());
                        model.put("cohortPath", a.ref().path());
                        model.put("rosterPath", base);
                        model.put("people", page.people().stream().map(RosterRoutes::row).toList());
                        model.put("total", page.total());
                        model.put("filter", q.filter().map(f -> f.slug).orElse("all"));
                        model.put("filters", filterLinks(base, q));
                        model.put("columns", columnLinks(base, q, lang));
                        long pageCount = Math.max(1, (page.total() + q.pageSize() - 1) / q.pageSize());
                        model.put("pageNumber", q.page());
                        model.put("pageCount", pageCount);
                        if (q.page() > 1) model.put("previousPage", link(base, q.filter(), q.sort(), q.descending(), q.page() - 1));
                        if (q.page() < pageCount) model.put("nextPage", link(base, q.filter(), q.sort(), q.descending(), q.page() + 1));
                        String csv = base + ".csv" + link("", q.filter(), q.sort(), q.descending(), 1).replace("&page=1", "");
                        model.put("csvPath", csv);
                        model.put("csvPseudonymPath", csv + "&pseudonymise=1");
                        model.put("sentLog", SentLog.model(log, lang, pages));
                        sent.ifPresent(s -> model.put("sentNotice", s.nudge()
                                ? pages.text(lang, "nudge.sent", s.recipients(), s.mailed(), s.skipped())
                                : pages.text(lang, "announcement.sent", s.recipients(), s.mailed())));
                        model.put("quietDays", Outreach.DEFAULT_QUIET_DAYS);
                        model.put("minQuietDays", Outreach.MIN_QUIET_DAYS);
                        model.put("maxQuietDays", Outreach.MAX_QUIET_DAYS);
                        model.put("maxSubject", Outreach.MAX_SUBJECT);
                        model.put("maxBody", Outreach.MAX_BODY);
                        model.put("canAnnounce", service.rules().announce(a).allowed());
                        pages.render(ctx, "pulse/roster", lang, a.ref().course().definition().zone(), model);
                        return null;
                    });
        }).onFailure(ctx::fail);
    }

    private static Long sentParam(RoutingContext ctx) {
        String s = ctx.request().getParam("sent");
        if (s == null || !s.matches("[0-9]{1,18}")) return null;
        return Long.parseLong(s);
    }

    private static Map<String, Object> row(RosterStore.Person p) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", org.knowmad.account.Account.shownName(p.name(), p.email()));
        m.put("email", p.email());
        m.put("joinedAt", p.joinedAt());
        m.put("lastSeen", p.lastSeen());
        m.put("daysActive", p.daysActiveThisWeek());
        m.put("posts", p.posts());
        m.put("replies", p.replies());
        m.put("helpful", p.helpfulReceived());
        m.put("submissions", p.submissions());
        m.put("reviewsDone", p.reviewsDone());
        m.put("reviewsOwed", p.reviewsOwed());
        return m;
    }

    static String link(String base, Optional<RosterFilter> filter, RosterSort sort, boolean desc, int page) {
        return base + "?filter=" + filter.map(f -> f.slug).orElse("all") + "&sort=" + sort.slug + "&dir=" + (desc ? "desc" : "asc")
                + "&page=" + page;
    }

    private static List<Map<String, Object>> filterLinks(String base, RosterQuery q) {
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(Map.of("key", "roster.filter.all", "path", link(base, Optional.empty(), q.sort(), q.descending(), 1), "current", q.filter().isEmpty()));
        for (RosterFilter f : RosterFilter.values()) {
            links.add(Map.of("key", "roster.filter." + f.slug, "path", link(base, Optional.of(f), q.sort(), q.descending(), 1),
                    "current", q.filter().equals(Optional.of(f))));
        }
        return links;
    }

    /** Column headers: each sorts by itself, and the current one flips its direction. */
    private List<Map<String, Object>> columnLinks(String base, RosterQuery q, String lang) {
        List<Map<String, Object>> cols = new ArrayList<>();
        for (RosterSort s : RosterSort.values()) {
            boolean current = s == q.sort();
            boolean desc = current ? !q.descending() : false;
            String sorted = current ? (q.descending() ? "descending" : "ascending") : "none";
            cols.add(Map.of("label", pages.text(lang, "roster.column." + s.slug), "path", link(base, q.filter(), s, desc, 1), "sorted", sorted,
                    "current", current));
        }
        return cols;
    }

    private void api(RoutingContext ctx) {
        access(ctx).compose(a -> {
            RosterQuery q = query(ctx);
            return service.roster(a, q).map(page -> {
                JsonArray people = new JsonArray();
                for (RosterStore.Person p : page.people()) {
                    people.add(new JsonObject().put("accountId", p.accountId()).put("name", org.knowmad.account.Account.shownName(p.name(), p.email())).put("email", p.email())
                            .put("joinedAt", iso(p.joinedAt())).put("lastSeen", iso(p.lastSeen()))
                            .put("daysActiveThisWeek", p.daysActiveThisWeek()).put("posts", p.posts()).put("replies", p.replies())
                            .put("helpfulReceived", p.helpfulReceived()).put("submissions", p.submissions())
                            .put("reviewsDone", p.reviewsDone()).put("reviewsOwed", p.reviewsOwed()));
                }
                return new JsonObject().put("total", page.total()).put("page", q.page()).put("pageSize", q.pageSize())
                        .put("filter", q.filter().map(f -> f.slug).orElse("all")).put("sort", q.sort().slug)
                        .put("dir", q.descending() ? "desc" : "asc").put("people", people);
            });
        }).onComplete(ar -> Http.json(ctx, 200, ar));
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** The roster as a spreadsheet: every row of the filter, formula-safe; with {@code ?pseudonymise=1} no names or addresses. */
    private void csv(RoutingContext ctx) {
        boolean pseudonymise = "1".equals(ctx.request().getParam("pseudonymise")) || "true".equals(ctx.request().getParam("pseudonymise"));
        access(ctx).compose(a -> {
            RosterQuery q = query(ctx).everyone();
            return service.roster(a, q).map(page -> {
                StringBuilder out = new StringBuilder(64 + page.people().size() * 96);
                List<String> header = pseudonymise
                        ? List.of("pseudonym", "joined_at", "last_seen", "days_active_this_week", "posts", "replies", "helpful_received",
                                "submissions", "reviews_done", "reviews_owed")
                        : List.of("name", "email", "joined_at", "last_seen", "days_active_this_week", "posts", "replies", "helpful_received",
                                "submissions", "reviews_done", "reviews_owed");
                line(out, header);
                for (RosterStore.Person p : page.people()) {
                    List<String> who = pseudonymise ? List.of(pseudonyms.of(a.ref().courseId(), a.ref().cohortId(), p.accountId()))
                            : List.of(org.knowmad.account.Account.shownName(p.name(), p.email()), p.email());
                    List<String> cells = new ArrayList<>(who);
                    cells.addAll(List.of(p.joinedAt().toString(), p.lastSeen() == null ? "" : p.lastSeen().toString(),
                            Integer.toString(p.daysActiveThisWeek()), Integer.toString(p.posts()), Integer.toString(p.replies()),
                            Integer.toString(p.helpfulReceived()), Integer.toString(p.submissions()), Integer.toString(p.reviewsDone()),
                            Integer.toString(p.reviewsOwed())));
                    line(out, cells);
                }
                String name = a.ref().courseId() + "-" + a.ref().cohortId() + "-roster" + q.filter().map(f -> "-" + f.slug).orElse("")
                        + (pseudonymise ? "-pseudonymised" : "") + ".csv";
                return new String[] {name, out.toString()};
            });
        }).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + ar.result()[0] + "\"")
                    .putHeader("Cache-Control", "no-store").end(ar.result()[1]);
        });
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) out.append(',');
            out.append(Csv.safeField(cells.get(i)));
        }
        out.append("\r\n");
    }
}
