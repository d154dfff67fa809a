package org.knowmad.notify;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowmad.account.Account;
import org.knowmad.account.AccountStore;
import org.knowmad.account.Tokens;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Event;
import org.knowmad.schedule.Timetable;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

/**
 * Calendars: a cohort's iCalendar feed (module openings, assignment deadlines and the meetup; participants of a
 * self-paced cohort who are signed in get their own dates, everyone else the dates all share), and a person's own
 * feed of every cohort they are in, at a secret address a calendar app can subscribe to without signing in.
 */
public final class CalendarRoutes {

    /** {@code /calendar/<43 URL-safe characters>.ics}: anything else is not an address we hand out. */
    private static final Pattern FEED = Pattern.compile("([A-Za-z0-9_-]{43})\\.ics");

    private final CohortService cohorts;
    private final Messages messages;
    private final String baseUrl;
    private final Pool pool;
    private final Clock clock;
    private final CalendarFeedStore feeds;
    private final AccountStore accounts;
    private final Pages pages;

    public CalendarRoutes(CohortService cohorts, Messages messages, String baseUrl, Pool pool, Clock clock, AccountStore accounts, Pages pages) {
        this.cohorts = cohorts;
        this.messages = messages;
        this.baseUrl = baseUrl;
        this.pool = pool;
        this.clock = clock;
        this.feeds = new CalendarFeedStore();
        this.accounts = accounts;
        this.pages = pages;
    }

    public void mount(Router router) {
        router.get("/courses/:course/:cohort/calendar.ics").handler(this::calendar);
        router.get("/calendar/:feed").handler(this::personal);
        router.get("/me/calendar").handler(this::linkPage);
        router.post("/me/calendar").handler(this::makeLink);
        router.post("/me/calendar/off").handler(this::turnOff);
        router.post("/api/v1/me/calendar").handler(this::apiMakeLink);
        router.delete("/api/v1/me/calendar").handler(this::apiTurnOff);
    }

    // ---- a person's own calendar address ----

    /** The feed behind a secret address: every cohort its owner is in now, with their own dates. Unknown: 404. */
    private void personal(RoutingContext ctx) {
        Matcher m = FEED.matcher(ctx.pathParam("feed"));
        if (!m.matches()) {
            ctx.fail(HttpProblem.notFound());
            return;
        }
        feeds.owner(pool, Tokens.hash(m.group(1)), clock.instant())
                .compose(owner -> owner.isEmpty() ? Future.<Optional<Account>>failedFuture(HttpProblem.notFound())
                        : accounts.findById(pool, owner.get()))
                .compose(account -> {
                    Account a = account.orElseThrow(HttpProblem::notFound);
                    // The address stands in for signing in, read-only: it never carries a CSRF token.
                    return cohorts.myAccesses(new Viewer(a, null, true)).map(list -> {
                        ICalendar ical = new ICalendar();
                        ical.setProductId("-//Knowmad//Knowmad//EN");
                        for (CohortAccess access : list) {
                            String lang = Messages.forRecipient(a.language(), access.ref().course().definition().language());
                            addEvents(ical, access, lang);
                        }
                        return ical;
                    });
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8")
                            .putHeader("Cache-Control", "private, max-age=300")
                            .putHeader("Content-Disposition", "inline; filename=\"knowmad.ics\"")
                            .end(Biweekly.write(ar.result()).go());
                });
    }

    private void linkPage(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        feeds.state(pool, accountId).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            renderLinkPage(ctx, ar.result().orElse(null), null, ctx.request().getParam("off") != null);
        });
    }

    /** Makes a new address (the old one, if any, stops working) and shows it this once: only its hash is kept. */
    private void makeLink(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        String secret = Tokens.random();
        Instant now = clock.instant();
        feeds.put(pool, accountId, Tokens.hash(secret), now).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            renderLinkPage(ctx, new CalendarFeedStore.State(now, null), feedUrl(secret), false);
        });
    }

    private void turnOff(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        feeds.delete(pool, accountId).map("/me/calendar?off=1").onComplete(ar -> Http.redirect(ctx, ar));
    }

    private void apiMakeLink(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        String secret = Tokens.random();
        feeds.put(pool, accountId, Tokens.hash(secret), clock.instant())
                .map(v -> new JsonObject().put("url", feedUrl(secret)))
                .onComplete(ar -> Http.json(ctx, 201, ar));
    }

    private void apiTurnOff(RoutingContext ctx) {
        long accountId = Viewer.of(ctx).accountId();
        feeds.delete(pool, accountId).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else ctx.response().setStatusCode(204).end();
        });
    }

    private String feedUrl(String secret) {
        return baseUrl + "/calendar/" + secret + ".ics";
    }

    private void renderLinkPage(RoutingContext ctx, CalendarFeedStore.State state, String newUrl, boolean turnedOff) {
        String lang = Pages.language(ctx, null);
        Map<String, Object> model = new HashMap<>();
        model.put("title", pages.text(lang, "calendarLink.title"));
        model.put("active", state != null);
        if (state != null) {
            model.put("createdAt", state.createdAt());
            model.put("lastUsedAt", state.lastUsedAt());
        }
        model.put("newUrl", newUrl);
        model.put("webcalUrl", newUrl == null ? null : newUrl.replaceFirst("^https?://", "webcal://"));
        model.put("turnedOff", turnedOff);
        pages.render(ctx, "notify/calendar-link", lang, null, model);
    }

    // ---- a cohort's calendar ----

    private void calendar(RoutingContext ctx) {
        cohorts.access(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            CohortAccess access = ar.result();
            String lang = Pages.language(ctx, access.ref().course().definition().language());
            ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8")
                    .putHeader("Content-Disposition", "inline; filename=\"" + access.ref().courseId() + "-" + access.ref().cohortId() + ".ics\"")
                    .end(Biweekly.write(calendar(access, lang)).go());
        });
    }

    ICalendar calendar(CohortAccess access, String lang) {
        ICalendar ical = new ICalendar();
        ical.setProductId("-//Knowmad//Knowmad//EN");
        addEvents(ical, access, lang);
        return ical;
    }

    /** The cohort's dates as this viewer lives them, added to {@code ical}. */
    private void addEvents(ICalendar ical, CohortAccess access, String lang) {
        CourseDefinition course = access.ref().course().definition();
        CohortSchedule schedule = CohortSchedule.of(course, access.ref().cohort());
        Timetable timetable = access.joinedAt() != null || !access.ref().cohort().selfPaced()
                ? schedule.forParticipant(access.joinedAt())
                : schedule.shared();
        List<Event> events = timetable.events();
        String cohortUrl = baseUrl + access.ref().path();
        for (Event e : events) {
            if (e.kind() == Event.Kind.MEETUP_ENDS) continue; // the meetup is one event from start to end
            VEvent v = new VEvent();
            v.setUid(access.ref().courseId() + "/" + access.ref().cohortId() + "/" + e.kind().name().toLowerCase()
                    + (e.moduleId() == null ? "" : "/" + e.moduleId()) + "@knowmad");
            v.setDateStart(Date.from(e.at()));
            String title = e.moduleId() == null ? null : course.module(e.moduleId()).map(m -> m.title()).orElse(e.moduleId());
            switch (e.kind()) {
                case MODULE_OPENS -> {
                    v.setSummary(messages.get(lang, "calendar.opens", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case SUBMIT_BY -> {
                    v.setSummary(messages.get(lang, "calendar.submitBy", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case REVIEW_BY -> {
                    v.setSummary(messages.get(lang, "calendar.reviewBy", title));
                    v.setUrl(cohortUrl + "/modules/" + e.moduleId());
                }
                case MEETUP_STARTS -> {
                    MeetupDefinition meetup = course.meetup();
                    v.setSummary(meetup != null && meetup.title() != null ? meetup.title() : messages.get(lang, "calendar.meetup"));
                    timetable.meetupEnds().filter(end -> end.isAfter(e.at())).ifPresent(end -> v.setDateEnd(Date.from(end)));
                    String venue = access.ref().cohort().meetup() != null && access.ref().cohort().meetup().venue() != null
                            ? access.ref().cohort().meetup().venue() : meetup == null ? null : meetup.venue();
                    if (venue != null) v.setLocation(venue);
                    // The call's link is for members, like the meetup page that shows it; the public calendar gets the cohort page.
                    String online = meetup == null || !cohorts.rules().seeMeetupLink(access) ? null : meetup.onlineUrl();
                    v.setUrl(online != null ? online : cohortUrl);
                }
                default -> {
                }
            }
            ical.addEvent(v);
        }
    }

}
