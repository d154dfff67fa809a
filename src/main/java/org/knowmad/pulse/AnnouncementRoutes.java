package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortSection;
import org.knowmad.cohort.CohortService;
import org.knowmad.web.Http;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/**
 * Announcements and nudges: the roster's two forms, an announcement's own page, and the cohort home's banner
 * (the latest announcement of the last 14 days the member may read).
 */
public final class AnnouncementRoutes implements CohortSection {

    private final AnnouncementService service;
    private final CohortService cohorts;
    private final Pages pages;
    private final Markdown markdown;

    public AnnouncementRoutes(AnnouncementService service, CohortService cohorts, Pages pages, Markdown markdown) {
        this.service = service;
        this.cohorts = cohorts;
        this.pages = pages;
        this.markdown = markdown;
    }

    public void mount(Router router) {
        router.post("/courses/:course/:cohort/announcements").handler(this::announceForm);
        router.post("/courses/:course/:cohort/nudges").handler(this::nudgeForm);
        router.get("/courses/:course/:cohort/announcements/:announcement").handler(this::page);
    }

    private void announceForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Idempotent.Key key = Idempotent.key(ctx);
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).compose(access -> service.rules().announce(access).future()
                        .compose(v -> {
                            // Checked before the transaction: bad input writes nothing and answers 400 with what was wrong.
                            Outreach.Announcement a = Outreach.announcement(form.getFormAttribute("subject"), form.getFormAttribute("body"),
                                    form.getFormAttribute("audience"));
                            Idempotent<AnnouncementService.Result> once = key.form(r -> sentPath(access, r));
                            return service.announce(access, a, once).map(once::answer);
                        }))
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void nudgeForm(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        viewer.require();
        var form = ctx.request();
        Idempotent.Key key = Idempotent.key(ctx);
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort")).compose(access -> service.rules().announce(access).future()
                        .compose(v -> {
                            Outreach.Nudge n = Outreach.nudge(form.getFormAttribute("days"), form.getFormAttribute("text"));
                            Idempotent<AnnouncementService.Result> once = key.form(r -> sentPath(access, r));
                            return service.nudge(access, n, once).map(once::answer);
                        }))
                .onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private static String sentPath(CohortAccess access, AnnouncementService.Result r) {
        return access.ref().path() + "/roster?sent=" + r.id() + "#sent-log";
    }

    private void page(RoutingContext ctx) {
        Viewer viewer = Viewer.of(ctx);
        long id = Http.pathLong(ctx, "announcement");
        cohorts.access(viewer, ctx.pathParam("course"), ctx.pathParam("cohort"))
                .compose(access -> service.announcement(access, id).map(s -> {
                    String lang = Pages.language(ctx, access.ref().course().definition().language());
                    Map<String, Object> model = new HashMap<>();
                    model.put("title", s.subject() + " · " + access.ref().course().definition().title());
                    model.put("course", access.ref().course().definition());
                    model.put("cohortPath", access.ref().path());
                    model.put("subject", s.subject());
                    model.put("bodyHtml", markdown.toHtml(s.body()));
                    model.put("sender", s.sender() == null ? "" : s.sender());
                    model.put("sentAt", s.sentAt());
                    pages.render(ctx, "pulse/announcement", lang, access.ref().course().definition().zone(), model);
                    return null;
                }))
                .onFailure(ctx::fail);
    }

    /**
     * The cohort home's part: the banner (the latest announcement of the last 14 days this member may read) and,
     * for whoever may see it, the link to the roster.
     */
    @Override
    public Future<Map<String, Object>> model(CohortAccess access, String lang) {
        return service.banner(access).map(latest -> {
            Map<String, Object> model = new HashMap<>();
            latest.ifPresent(s -> model.put("announcement", Map.of("subject", s.subject(), "sentAt", s.sentAt(),
                    "sender", s.sender() == null ? "" : s.sender(), "path", access.ref().path() + "/announcements/" + s.id())));
            if (service.rules().seeRoster(access).allowed()) model.put("rosterPath", access.ref().path() + "/roster");
            return model;
        });
    }
}
