package org.knowmad.meetup;

import io.nayuki.qrcodegen.QrCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.knowmad.discussion.NominationStore;
import org.knowmad.live.LiveEvents;
import org.knowmad.live.StreamHub;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.FormRetry;
import org.knowmad.web.Http;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Markdown;
import org.knowmad.web.Pages;
import org.knowmad.web.Viewer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The meetup page, ticket, control room, live session, harvest; and the same under /api/v1. */
public final class MeetupRoutes {

    private static final String BASE = "/courses/:course/:cohort/meetup";
    private static final String API = "/api/v1" + BASE;

    private final MeetupService service;
    private final Pages pages;
    private final Markdown markdown;
    private final StreamHub streams;
    private final String baseUrl;

    private final ActivityRecorder activity;

    public MeetupRoutes(MeetupService service, Pages pages, Markdown markdown, StreamHub streams, String baseUrl, ActivityRecorder activity) {
        this.activity = activity;
        this.service = service;
        this.pages = pages;
        this.markdown = markdown;
        this.streams = streams;
        this.baseUrl = baseUrl;
    }

    public void mount(Router router) {
        router.get(BASE).handler(this::page);
        router.post(BASE + "/registration").handler(ctx -> {
            Future<MeetupStore.Session> session = service.sessionAhead(ctx.pathParam("course"), ctx.pathParam("cohort"));
            onceForm(ctx, (m, key) -> {
                Idempotent.Answer answer = Idempotent.Answer.redirect(m.path() + "#registration");
                return service.register(m, session, key, answer).map(standing -> answer);
            });
        });
        router.post(BASE + "/cancellation").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Boolean> once = key.form(x -> m.path() + "#registration");
            return service.cancel(m, once).map(once::answer);
        }));
        router.get(BASE + "/invite.ics").handler(this::invite);
        router.get(BASE + "/ticket").handler(this::ticket);
        router.get(BASE + "/ticket.svg").handler(this::ticketQr);
        router.post(BASE + "/choice").handler(ctx -> form(ctx, m -> service.choose(m, intField(ctx, "table")).map(x -> m.path() + "#tables")));
        router.get(BASE + "/control").handler(this::control);
        router.post(BASE + "/checkins").handler(ctx -> onceForm(ctx, (m, key) -> {
            String id = ctx.request().getFormAttribute("registration");
            Idempotent<MeetupStore.Registration> once = key.form(r -> m.path() + "/control?checkedIn=" + r.id() + "#checkin");
            Future<MeetupStore.Registration> done = id != null && !id.isBlank()
                    ? service.checkInById(m, parseLong(id), once) : service.checkIn(m, ctx.request().getFormAttribute("code"), once);
            return done.map(once::answer);
        })).failureHandler(FormRetry.on(this::control));
        router.post(BASE + "/walk-ins").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<MeetupStore.Registration> once = key.form(r -> m.path() + "/control?checkedIn=" + r.id() + "#checkin");
            return service.walkIn(m, ctx.request().getFormAttribute("email"), ctx.request().getFormAttribute("name"), once).map(once::answer);
        })).failureHandler(FormRetry.on(this::control));
        router.post(BASE + "/agenda").handler(ctx -> onceForm(ctx, (m, key) -> {
            String thread = ctx.request().getFormAttribute("thread");
            Idempotent<Void> once = key.form(x -> m.path() + "/control#agenda");
            return service.addToAgenda(m, thread == null || thread.isBlank() ? null : parseLong(thread), ctx.request().getFormAttribute("title"), once)
                    .map(once::answer);
        })).failureHandler(FormRetry.on(this::control));
        router.post(BASE + "/agenda/:item").handler(ctx -> form(ctx, m -> agendaAction(ctx, m).map(x -> m.path() + "/control#agenda")));
        router.post(BASE + "/rounds").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Integer> once = key.form(r -> m.path() + "/control#rounds");
            return service.startRound(m, optionalInt(ctx.request().getFormAttribute("minutes")), once).map(once::answer);
        }));
        router.post(BASE + "/seats").handler(ctx -> form(ctx, m -> service.move(m, parseLong(ctx.request().getFormAttribute("person")),
                intField(ctx, "table")).map(x -> m.path() + "/control#rounds")));
        router.get(BASE + "/end").handler(this::endPage);
        // Ending takes an explicit confirmation (the confirm page's button): without it nothing happens and the
        // organiser is shown the confirm page. Participants are refused either way.
        router.post(BASE + "/end").handler(ctx -> form(ctx, m -> "yes".equals(ctx.request().getFormAttribute("confirm"))
                ? service.end(m).map(x -> m.path() + "#ended")
                : service.rules().organise(m).future().map(x -> m.path() + "/end")));
        router.post(BASE + "/reopening").handler(ctx -> form(ctx, m -> service.reopen(m).map(x -> m.path() + "/control#rounds")));
        router.get(BASE + "/live").handler(this::live);
        router.get(BASE + "/events").handler(this::events);
        router.post(BASE + "/notes").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Void> once = key.form(x -> m.path() + "/live#notes");
            return service.addNote(m, ctx.request().getFormAttribute("body"), once).map(once::answer);
        }));
        router.post(BASE + "/live/questions").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Long> once = key.form(x -> m.path() + "/live#qa");
            return service.ask(m, ctx.request().getFormAttribute("body"), once).map(once::answer);
        }));
        router.post(BASE + "/live/questions/:question/vote").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Integer> once = key.form(x -> m.path() + "/live#qa");
            return service.vote(m, Http.pathLong(ctx, "question"), once).map(once::answer);
        }));
        router.post(BASE + "/live/questions/:question/state").handler(ctx -> form(ctx, m -> service.mark(m, Http.pathLong(ctx, "question"),
                String.valueOf(ctx.request().getFormAttribute("state")), ctx.request().getFormAttribute("reason")).map(x -> m.path() + "/live#qa")));
        router.get(BASE + "/harvest").handler(this::harvest);
        router.get(BASE + "/harvest.md").handler(this::harvestMarkdown);
        router.post(BASE + "/harvest").handler(ctx -> form(ctx, m -> service.saveHarvest(m, ctx.request().getFormAttribute("intro"),
                insightsFrom(ctx)).map(x -> m.path() + "/harvest")));
        router.post(BASE + "/harvest/publication").handler(ctx -> onceForm(ctx, (m, key) -> {
            Idempotent<Void> once = key.form(x -> m.path() + "/harvest");
            return service.publishHarvest(m, once).map(once::answer);
        }));

        router.get(API).handler(ctx -> api(ctx, 200, this::meetupJson));
        router.post(API + "/registration").handler(ctx -> {
            Idempotent.Key key = Idempotent.key(ctx);
            // The meetup's state is read beside the viewer's access: one round trip fewer in a registration burst.
            Future<MeetupStore.Session> session = service.sessionAhead(ctx.pathParam("course"), ctx.pathParam("cohort"));
            // A repeat reads the registration again (the first answer unless it changed since): the key is claimed
            // with its answer before the registration's outcome is known (V039).
            api(ctx, 200, m -> service.register(m, session, key, REGISTERED)
                    .recover(e -> Idempotent.orRepeat(e, ref -> ref).compose(ref -> service.standingNow(m)))
                    .map(MeetupRoutes::standingJson));
        });
        router.delete(API + "/registration").handler(ctx -> {
            Idempotent<Boolean> once = Idempotent.key(ctx).api(200, was -> new JsonObject().put("cancelled", was));
            onceApi(ctx, m -> service.cancel(m, once).map(once::answer));
        });
        router.get(API + "/registrations").handler(ctx -> api(ctx, 200, m -> service.registrations(m).map(list -> {
            JsonArray rows = new JsonArray();
            list.forEach(r -> rows.add(new JsonObject().put("id", r.id()).put("email", r.email()).put("name", r.displayName())
                    .put("status", r.status()).put("checkedInAt", r.checkedInAt() == null ? null : r.checkedInAt().toString()).put("walkIn", r.walkIn())));
            return new JsonObject().put("registrations", rows);
        })));
        router.post(API + "/checkins").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Idempotent<MeetupStore.Registration> once = Idempotent.key(ctx).api(200, r -> new JsonObject().put("registration", r.id())
                    .put("name", r.displayName()).put("checkedIn", true));
            onceApi(ctx, m -> service.checkIn(m, Http.string(body, "code"), once).map(once::answer));
        });
        router.post(API + "/walk-ins").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Idempotent<MeetupStore.Registration> once = Idempotent.key(ctx).api(201,
                    r -> new JsonObject().put("registration", r.id()).put("code", r.code()));
            onceApi(ctx, m -> service.walkIn(m, Http.string(body, "email"), Http.string(body, "name"), once).map(once::answer));
        });
        router.post(API + "/agenda").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object thread = body.getValue("thread");
            if (thread != null && !(thread instanceof Number)) throw HttpProblem.badRequest("error.badRequest");
            // A repeat answers the agenda as it stands (the first answer unless it changed since).
            Idempotent<Void> once = Idempotent.key(ctx).reread(v -> null);
            api(ctx, 201, m -> service.addToAgenda(m, thread == null ? null : ((Number) thread).longValue(), Http.string(body, "title"), once)
                    .recover(e -> Idempotent.orRepeat(e, ref -> null)).compose(v -> service.agenda(m)).map(MeetupRoutes::agendaJson));
        });
        router.put(API + "/choice").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object table = body.getValue("table");
            if (!(table instanceof Integer)) throw HttpProblem.badRequest("meetup.table.unknown");
            api(ctx, 200, m -> service.choose(m, (Integer) table).map(v -> new JsonObject().put("table", table)));
        });
        router.post(API + "/rounds").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object minutes = body.getValue("minutes");
            if (minutes != null && !(minutes instanceof Integer)) throw HttpProblem.badRequest("meetup.round.badMinutes");
            Idempotent<Integer> once = Idempotent.key(ctx).api(201, r -> new JsonObject().put("round", r));
            onceApi(ctx, m -> service.startRound(m, (Integer) minutes, once).map(once::answer));
        });
        router.get(API + "/tables").handler(ctx -> api(ctx, 200, this::tablesJson));
        router.post(API + "/notes").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Idempotent<Void> once = Idempotent.key(ctx).api(201, v -> new JsonObject().put("added", true));
            onceApi(ctx, m -> service.addNote(m, Http.string(body, "body"), once).map(once::answer));
        });
        router.get(API + "/live/questions").handler(ctx -> api(ctx, 200, m -> service.questions(m).compose(questions -> service.hidden(m)
                .map(hidden -> questionsJson(questions, hidden, hiddenSummary(Pages.apiLanguage(ctx, m.course().language()), hidden))))));
        router.post(API + "/live/questions").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Idempotent<Long> once = Idempotent.key(ctx).api(201, id -> new JsonObject().put("id", id));
            onceApi(ctx, m -> service.ask(m, Http.string(body, "body"), once).map(once::answer));
        });
        router.put(API + "/live/questions/:question/vote").handler(ctx -> {
            Idempotent<Integer> once = Idempotent.key(ctx).api(200, votes -> new JsonObject().put("id", Http.pathLong(ctx, "question")).put("votes", votes));
            onceApi(ctx, m -> service.vote(m, Http.pathLong(ctx, "question"), once).map(once::answer));
        });
        router.patch(API + "/live/questions/:question").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            String reason = Http.string(body, "reason");
            api(ctx, 200, m -> service.mark(m, Http.pathLong(ctx, "question"), String.valueOf(Http.string(body, "state")), reason)
                    .map(v -> new JsonObject().put("id", Http.pathLong(ctx, "question")).put("state", body.getString("state"))
                            .put("reason", "hidden".equals(body.getString("state")) ? reason : null)));
        });
        router.post(API + "/end").handler(ctx -> api(ctx, 200, m -> service.end(m).map(v -> new JsonObject().put("ended", true))));
        router.post(API + "/reopening").handler(ctx -> api(ctx, 200, m -> service.reopen(m).map(v -> new JsonObject().put("ended", false))));
        router.put(API + "/harvest").handler(ctx -> {
            JsonObject body = Http.jsonBody(ctx);
            Object tables = body.getValue("tables");
            if (tables != null && !(tables instanceof JsonObject)) throw HttpProblem.badRequest("error.badRequest");
            Map<Long, String> insights = new HashMap<>();
            if (tables != null) {
                for (var e : ((JsonObject) tables)) {
                    if (!(e.getValue() instanceof String s)) throw HttpProblem.badRequest("error.badRequest");
                    insights.put(parseLong(e.getKey()), s);
                }
            }
            api(ctx, 200, m -> service.saveHarvest(m, Http.string(body, "intro"), insights).map(v -> new JsonObject().put("saved", true)));
        });
        router.post(API + "/harvest/publication").handler(ctx -> {
            Idempotent<Void> once = Idempotent.key(ctx).api(200, v -> new JsonObject().put("published", true));
            onceApi(ctx, m -> service.publishHarvest(m, once).map(once::answer));
        });
    }

    // ---- plumbing ----

    private Future<MeetupService.MeetupAccess> meetup(RoutingContext ctx) {
        return service.meetup(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).map(m -> {
            // Refusals name instants (from when a meetup can be ended); the error page shows them in the course's zone.
            ctx.put("zone", m.course().zone());
            return m;
        });
    }

    private void form(RoutingContext ctx, Function<MeetupService.MeetupAccess, Future<String>> action) {
        Viewer.of(ctx).require();
        meetup(ctx).compose(action).onComplete(ar -> Http.redirect(ctx, ar));
    }

    /** A form whose action runs under the page's idempotency key: a repeat is answered with the first redirect. */
    private void onceForm(RoutingContext ctx, java.util.function.BiFunction<MeetupService.MeetupAccess, Idempotent.Key, Future<Idempotent.Answer>> action) {
        Viewer.of(ctx).require();
        Idempotent.Key key = Idempotent.key(ctx);
        meetup(ctx).compose(m -> action.apply(m, key)).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    /** An API call under its {@code Idempotency-Key}: a repeat is answered with the first status and body. */
    private void onceApi(RoutingContext ctx, Function<MeetupService.MeetupAccess, Future<Idempotent.Answer>> action) {
        meetup(ctx).compose(action).onComplete(ar -> Idempotent.respond(ctx, ar));
    }

    private void api(RoutingContext ctx, int status, Function<MeetupService.MeetupAccess, Future<JsonObject>> action) {
        meetup(ctx).compose(action).onComplete(ar -> Http.json(ctx, status, ar));
    }

    private static long parseLong(String raw) {
        try {
            return Long.parseLong(raw == null ? "" : raw.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("error.badRequest");
        }
    }

    private static int intField(RoutingContext ctx, String name) {
        Integer value = optionalInt(ctx.request().getFormAttribute(name));
        if (value == null) throw HttpProblem.badRequest("meetup.table.unknown");
        return value;
    }

    private static Integer optionalInt(String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("error.badRequest");
        }
    }

    private Future<Void> agendaAction(RoutingContext ctx, MeetupService.MeetupAccess m) {
        long item = Http.pathLong(ctx, "item");
        // Who may edit the agenda is asked first: a stranger learns nothing from how the form is checked.
        var may = service.rules().organise(m);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        String action = String.valueOf(ctx.request().getFormAttribute("action"));
        return switch (action) {
            case "rename" -> service.renameItem(m, item, ctx.request().getFormAttribute("title"));
            case "up" -> service.reorder(m, item, -1, false);
            case "down" -> service.reorder(m, item, 1, false);
            case "remove" -> service.reorder(m, item, 0, true);
            default -> Future.failedFuture(HttpProblem.badRequest("error.badRequest"));
        };
    }

    private static Map<Long, String> insightsFrom(RoutingContext ctx) {
        Map<Long, String> insights = new HashMap<>();
        ctx.request().formAttributes().forEach(e -> {
            if (e.getKey().startsWith("insights-")) insights.put(parseLong(e.getKey().substring("insights-".length())), e.getValue());
        });
        return insights;
    }

    private String lang(RoutingContext ctx, MeetupService.MeetupAccess m) {
        return Pages.language(ctx, m.course().language());
    }

    private Map<String, Object> base(MeetupService.MeetupAccess m) {
        Map<String, Object> model = new HashMap<>();
        model.put("course", m.course());
        model.put("cohortPath", m.access().ref().path());
        model.put("meetupPath", m.path());
        model.put("meetup", Map.of("title", m.title(), "starts", m.starts(), "ends", m.ends(),
                "venue", m.venue() == null ? "" : m.venue(), "onlineUrl", m.onlineUrl() == null ? "" : m.onlineUrl()));
        model.put("title", m.title());
        model.put("organiser", service.rules().organise(m).allowed());
        model.put("confirmed", m.confirmed());
        return model;
    }

    // ---- pages ----

    private void page(RoutingContext ctx) {
        service.find(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort")).onComplete(ar -> {
            if (ar.failed()) ctx.fail(ar.cause());
            else if (ar.result().meetup().isPresent()) page(ctx, ar.result().meetup().get());
            else noMeetup(ctx, ar.result().access());
        });
    }

    /** A cohort without a shared meetup: say so, and what the questions page (linked from the cohort) is for. */
    private void noMeetup(RoutingContext ctx, org.knowmad.cohort.CohortAccess access) {
        var course = access.ref().course().definition();
        String lang = Pages.language(ctx, course.language());
        Map<String, Object> model = new HashMap<>();
        model.put("course", course);
        model.put("cohortPath", access.ref().path());
        model.put("selfPaced", access.ref().cohort().selfPaced());
        model.put("title", pages.text(lang, "meetup.none.title"));
        pages.render(ctx, "meetup/none", lang, course.zone(), model);
    }

    private void page(RoutingContext ctx, MeetupService.MeetupAccess m) {
        ctx.put("zone", m.course().zone());
        service.standing(m).compose(standing -> service.counts(m).compose(counts -> service.agenda(m)
                .compose(items -> service.session(m).compose(session -> service.choices(m, session.round() + 1).map(choices -> {
                    Map<String, Object> model = base(m);
                    model.put("standing", standing);
                    model.put("registered", !"none".equals(standing.status()));
                    model.put("waitlisted", "waitlisted".equals(standing.status()));
                    model.put("capacity", m.capacity());
                    model.put("confirmedCount", counts.confirmed());
                    model.put("waitlistedCount", counts.waitlisted());
                    model.put("full", m.capacity() != null && counts.confirmed() >= m.capacity());
                    Instant now = service.now();
                    model.put("open", service.rules().registrationOpen(m, now, session.endedAt()).allowed());
                    model.put("canRegister", service.rules().register(m, now, session.endedAt()).allowed());
                    model.put("ended", session.endedAt() != null);
                    model.put("endedAt", session.endedAt());
                    model.put("canReopen", session.endedAt() != null && service.rules().reopen(m, session.endedAt(), session.published(), now).allowed());
                    if (session.endedAt() != null) model.put("reopenUntil", MeetupRules.reopenableUntil(session.endedAt()));
                    Integer myChoice = m.access().viewer().signedIn() ? choices.get(m.access().viewer().accountId()) : null;
                    model.put("agenda", agendaModel(m, items, myChoice));
                    model.put("nextRound", session.round() + 1);
                    model.put("canChoose", m.confirmed() && !items.isEmpty() && session.endedAt() == null && session.round() < m.rounds());
                    model.put("started", session.round() > 0);
                    model.put("published", session.published());
                    pages.render(ctx, "meetup/meetup", lang(ctx, m), m.course().zone(), model);
                    return null;
                }))))).onFailure(ctx::fail);
    }

    private List<Map<String, Object>> agendaModel(MeetupService.MeetupAccess m, List<MeetupStore.AgendaItem> items, Integer myChoice) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MeetupStore.AgendaItem item : items) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", item.id());
            row.put("table", item.position());
            row.put("number", item.position() + 1);
            row.put("title", item.title());
            row.put("threadPath", item.threadId() == null ? null : m.access().ref().path() + "/threads/" + item.threadId());
            row.put("chosen", myChoice != null && myChoice == item.position());
            row.put("insights", item.insights());
            row.put("insightsHtml", markdown.toHtml(item.insights()));
            rows.add(row);
        }
        return rows;
    }

    /** The confirm step of ending: what ending does, and the one button that does it. */
    private void endPage(RoutingContext ctx) {
        meetup(ctx).compose(m -> service.session(m).map(session -> {
            Instant now = service.now();
            service.rules().end(m, now).require();
            Map<String, Object> model = base(m);
            model.put("title", pages.text(lang(ctx, m), "meetup.end.confirmTitle"));
            model.put("ended", session.endedAt() != null);
            model.put("endedAt", session.endedAt());
            pages.render(ctx, "meetup/end", lang(ctx, m), m.course().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    private void invite(RoutingContext ctx) {
        meetup(ctx).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            var m = ar.result();
            String email = m.confirmed() ? m.access().viewer().email() : null;
            ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"meetup.ics\"")
                    .end(service.invite(m, email, lang(ctx, m)));
        });
    }

    private Future<MeetupStore.Registration> myTicket(MeetupService.MeetupAccess m) {
        Viewer viewer = m.access().viewer();
        viewer.require();
        return m.mine().filter(MeetupStore.Registration::confirmed).map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new HttpProblem(404, "meetup.ticket.none")));
    }

    private String checkInUrl(MeetupService.MeetupAccess m, String code) {
        return baseUrl + m.path() + "/control?code=" + code;
    }

    private void ticket(RoutingContext ctx) {
        meetup(ctx).compose(m -> myTicket(m).map(r -> {
            Map<String, Object> model = base(m);
            model.put("code", r.code());
            model.put("name", r.displayName());
            model.put("checkedInAt", r.checkedInAt());
            pages.render(ctx, "meetup/ticket", lang(ctx, m), m.course().zone(), model);
            return null;
        })).onFailure(ctx::fail);
    }

    /** The ticket's QR code as SVG: it opens the organisers' check-in with the code filled in. */
    private void ticketQr(RoutingContext ctx) {
        meetup(ctx).compose(m -> myTicket(m).map(r -> {
            QrCode qr = QrCode.encodeText(checkInUrl(m, r.code()), QrCode.Ecc.MEDIUM);
            ctx.response().putHeader("Content-Type", "image/svg+xml").putHeader("Cache-Control", "private, max-age=300").end(svg(qr, 4));
            return null;
        })).onFailure(ctx::fail);
    }

    static String svg(QrCode qr, int border) {
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
            }
        }
        int size = qr.size + border * 2;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
                + "\" stroke=\"none\"><rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/><path d=\"" + path + "\" fill=\"#000000\"/></svg>\n";
    }

    private void control(RoutingContext ctx) {
        meetup(ctx).compose(m -> service.registrations(m).compose(regs -> service.agenda(m).compose(items -> service.candidates(m)
                .compose(candidates -> service.session(m).compose(session -> service.seats(m).map(seats -> {
                    Map<String, Object> model = base(m);
                    List<Map<String, Object>> people = new ArrayList<>();
                    Map<Long, Integer> current = new HashMap<>();
                    for (MeetupStore.Seat s : seats) if (s.round() == session.round()) current.put(s.accountId(), s.table());
                    for (MeetupStore.Registration r : regs) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("id", r.id());
                        row.put("accountId", r.accountId());
                        row.put("name", r.displayName());
                        row.put("email", r.email());
                        row.put("confirmed", r.confirmed());
                        row.put("waitlisted", r.waitlisted());
                        row.put("checkedInAt", r.checkedInAt());
                        row.put("walkIn", r.walkIn());
                        row.put("table", current.containsKey(r.accountId()) ? current.get(r.accountId()) + 1 : null);
                        people.add(row);
                    }
                    model.put("registrations", people);
                    model.put("agenda", agendaModel(m, items, null));
                    java.util.Set<Long> onAgenda = new java.util.HashSet<>();
                    items.forEach(i -> {
                        if (i.threadId() != null) onAgenda.add(i.threadId());
                    });
                    List<Map<String, Object>> cands = new ArrayList<>();
                    for (NominationStore.Question q : candidates) {
                        if (onAgenda.contains(q.threadId())) continue;
                        cands.add(Map.of("threadId", q.threadId(), "title", q.title(), "votes", q.votes(),
                                "threadPath", m.access().ref().path() + "/threads/" + q.threadId()));
                    }
                    model.put("candidates", cands);
                    model.put("nominated", !candidates.isEmpty());
                    model.put("agendaFull", items.size() >= m.questions());
                    model.put("questions", m.questions());
                    model.put("round", session.round());
                    model.put("rounds", m.rounds());
                    boolean ended = session.endedAt() != null;
                    Instant now = service.now();
                    // The start button shows while rounds are left; without an agenda it is disabled and says why.
                    model.put("roundsLeft", !ended && session.round() < m.rounds());
                    model.put("canStartRound", !ended && session.round() < m.rounds() && !items.isEmpty());
                    model.put("ended", ended);
                    model.put("endedAt", session.endedAt());
                    model.put("canEnd", !ended && service.rules().end(m, now).allowed());
                    model.put("canReopen", ended && service.rules().reopen(m, session.endedAt(), session.published(), now).allowed());
                    if (ended) model.put("reopenUntil", MeetupRules.reopenableUntil(session.endedAt()));
                    model.put("published", session.published());
                    model.put("canWalkIn", service.rules().admit(m, session.endedAt()).allowed());
                    model.put("code", ctx.request().getParam("code"));
                    model.put("tables", tablesModel(items, seats, session.round()));
                    pages.render(ctx, "meetup/control", lang(ctx, m), m.course().zone(), model);
                    return null;
                })))))).onFailure(ctx::fail);
    }

    private static List<Map<String, Object>> tablesModel(List<MeetupStore.AgendaItem> items, List<MeetupStore.Seat> seats, int round) {
        List<Map<String, Object>> tables = new ArrayList<>();
        for (MeetupStore.AgendaItem item : items) {
            Map<String, Object> t = new HashMap<>();
            t.put("index", item.position());
            t.put("number", item.position() + 1);
            t.put("title", item.title());
            List<Map<String, Object>> people = new ArrayList<>();
            for (MeetupStore.Seat s : seats) {
                if (s.round() == round && s.table() == item.position()) people.add(Map.of("name", s.displayName(), "accountId", s.accountId()));
            }
            t.put("people", people);
            tables.add(t);
        }
        return tables;
    }

    private void live(RoutingContext ctx) {
        meetup(ctx).compose(m -> service.questions(m).compose(questions -> service.session(m).compose(session -> service.agenda(m)
                .compose(items -> service.seats(m).compose(seats -> service.notes(m).compose(notes -> service.hidden(m).map(hidden -> {
                    Map<String, Object> model = base(m);
                    String lang = lang(ctx, m);
                    model.put("hiddenSummary", hiddenSummary(lang, hidden));
                    List<Map<String, String>> reasons = new ArrayList<>();
                    for (String r : MeetupRules.HIDE_REASONS) reasons.add(Map.of("value", r, "label", pages.text(lang, "meetup.qa.reason." + r)));
                    model.put("hideReasons", reasons);
                    long me = m.access().viewer().accountId();
                    model.put("round", session.round());
                    model.put("rounds", m.rounds());
                    model.put("ended", session.endedAt() != null);
                    model.put("canAsk", service.rules().ask(m, session.endedAt()).allowed());
                    if (session.roundStartedAt() != null && session.roundMinutes() != null) {
                        model.put("roundEnds", session.roundStartedAt().plusSeconds(session.roundMinutes() * 60L));
                    }
                    List<Map<String, Object>> tables = tablesModel(items, seats, session.round());
                    Integer myTable = null;
                    for (MeetupStore.Seat s : seats) if (s.round() == session.round() && s.accountId() == me) myTable = s.table();
                    for (Map<String, Object> t : tables) {
                        int index = (int) t.get("index");
                        t.put("mine", myTable != null && myTable == index);
                        t.put("notes", notes.stream().filter(n -> n.table() == index).map(n -> Map.of("body", n.body(), "round", n.round())).toList());
                    }
                    model.put("tables", tables);
                    model.put("myTable", myTable == null ? null : myTable + 1);
                    List<Map<String, Object>> qs = new ArrayList<>();
                    for (MeetupStore.Question q : questions) {
                        Map<String, Object> row = new HashMap<>();
                        row.put("id", q.id());
                        row.put("body", q.body());
                        row.put("votes", q.votes());
                        row.put("voted", q.voted());
                        row.put("answered", "answered".equals(q.state()));
                        row.put("hidden", "hidden".equals(q.state()));
                        row.put("open", "open".equals(q.state()));
                        if (q.hiddenReason() != null) row.put("hiddenReason", pages.text(lang, "meetup.qa.reason." + q.hiddenReason()));
                        qs.add(row);
                    }
                    model.put("questions", qs);
                    model.put("eventsPath", m.path() + "/events");
                    pages.render(ctx, "meetup/live", lang, m.course().zone(), model);
                    return null;
                }))))))).onFailure(ctx::fail);
    }

    /** Live events of this meetup, for registrants and organisers. */
    private void events(RoutingContext ctx) {
        meetup(ctx).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            var m = ar.result();
            var may = service.rules().attend(m);
            if (!may.allowed()) {
                ctx.fail(may.refusal());
                return;
            }
            streams.open(ctx, LiveEvents.cohortAddress(m.courseId(), m.cohortId()), m.access().viewer().accountId(),
                    activity.presence(m.access()), event -> "meetup".equals(event.getString("scope")));
        });
    }

    private void harvest(RoutingContext ctx) {
        meetup(ctx).compose(m -> service.harvest(m).compose(session -> service.agenda(m).compose(items -> service.harvestNotes(m).map(notes -> {
            Map<String, Object> model = base(m);
            model.put("title", pages.text(lang(ctx, m), "meetup.harvest.feedTitle", m.title()));
            model.put("introHtml", markdown.toHtml(session.harvestIntro()));
            model.put("intro", session.harvestIntro());
            model.put("published", session.published());
            model.put("publishedAt", session.harvestPublishedAt());
            model.put("ended", session.endedAt() != null);
            List<Map<String, Object>> tables = agendaModel(m, items, null);
            for (Map<String, Object> t : tables) {
                int index = (int) t.get("table");
                t.put("notes", notes.stream().filter(n -> n.table() == index).map(MeetupStore.Note::body).toList());
            }
            model.put("tables", tables);
            pages.render(ctx, "meetup/harvest", lang(ctx, m), m.course().zone(), model);
            return null;
        })))).onFailure(ctx::fail);
    }

    private void harvestMarkdown(RoutingContext ctx) {
        meetup(ctx).compose(m -> service.harvest(m).compose(session -> service.agenda(m).compose(items -> service.harvestNotes(m)
                .map(notes -> service.harvestMarkdown(m, session, items, notes))))).onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "text/markdown; charset=utf-8")
                            .putHeader("Content-Disposition", "attachment; filename=\"harvest.md\"").end(ar.result());
                });
    }

    // ---- JSON ----

    private Future<JsonObject> meetupJson(MeetupService.MeetupAccess m) {
        return service.standing(m).compose(standing -> service.counts(m).compose(counts -> service.agenda(m).compose(items -> service.session(m).map(session -> {
            JsonObject json = new JsonObject().put("title", m.title()).put("starts", m.starts().toString()).put("ends", m.ends().toString())
                    .put("timezone", m.course().zone().getId()).put("venue", m.venue()).put("onlineUrl", m.onlineUrl())
                    .put("capacity", m.capacity()).put("confirmed", counts.confirmed()).put("waitlisted", counts.waitlisted())
                    .put("registrationOpen", service.rules().registrationOpen(m, service.now(), session.endedAt()).allowed())
                    .put("ended", session.endedAt() != null).put("endedAt", session.endedAt() == null ? null : session.endedAt().toString())
                    .put("registration", standingJson(standing)).put("agenda", agendaJson(items).getJsonArray("agenda"))
                    .put("rounds", m.rounds()).put("organiser", service.rules().organise(m).allowed());
            return json;
        }))));
    }

    /** What a registration over the API stores under its key: "read the registration again". */
    private static final Idempotent.Answer REGISTERED = new Idempotent.Answer(200, "registration", null);

    static JsonObject standingJson(MeetupService.Standing s) {
        JsonObject json = new JsonObject().put("status", s.status());
        if ("waitlisted".equals(s.status())) json.put("position", s.position());
        if (s.code() != null && "confirmed".equals(s.status())) json.put("code", s.code());
        return json;
    }

    static JsonObject agendaJson(List<MeetupStore.AgendaItem> items) {
        JsonArray list = new JsonArray();
        items.forEach(i -> list.add(new JsonObject().put("id", i.id()).put("table", i.position()).put("title", i.title()).put("thread", i.threadId())));
        return new JsonObject().put("agenda", list);
    }

    private Future<JsonObject> tablesJson(MeetupService.MeetupAccess m) {
        var may = service.rules().attend(m);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return service.session(m).compose(session -> service.agenda(m).compose(items -> service.seats(m).map(seats -> {
            JsonArray tables = new JsonArray();
            for (MeetupStore.AgendaItem item : items) {
                JsonArray people = new JsonArray();
                for (MeetupStore.Seat s : seats) if (s.round() == session.round() && s.table() == item.position()) people.add(s.accountId());
                tables.add(new JsonObject().put("table", item.position()).put("title", item.title()).put("people", people));
            }
            return new JsonObject().put("round", session.round()).put("tables", tables);
        })));
    }

    /**
     * The questions the viewer may read (hidden ones, with their reason, for organisers only), and for everyone how many
     * are hidden and why: {@code hidden.count}, {@code hidden.reasons} (reason → count) and the sentence the room reads.
     */
    static JsonObject questionsJson(List<MeetupStore.Question> questions, List<MeetupStore.Hidden> hidden, String summary) {
        JsonArray list = new JsonArray();
        questions.forEach(q -> {
            JsonObject o = new JsonObject().put("id", q.id()).put("body", q.body()).put("votes", q.votes())
                    .put("state", q.state()).put("votedByMe", q.voted());
            if (q.hiddenReason() != null) o.put("hiddenReason", q.hiddenReason());
            list.add(o);
        });
        JsonObject reasons = new JsonObject();
        int count = 0;
        for (MeetupStore.Hidden h : hidden) {
            count += h.count();
            reasons.put(h.reason() == null ? "unspecified" : h.reason(), h.count());
        }
        return new JsonObject().put("questions", list).put("hidden", new JsonObject().put("count", count).put("reasons", reasons)
                .put("summary", summary));
    }

    /**
     * "1 question hidden (off-topic)", "3 questions hidden (2 off-topic, 1 duplicate)": what the room reads instead of
     * silence; null when nothing is hidden. Reasons in {@link MeetupRules#HIDE_REASONS} order, unspecified (hidden before
     * reasons were asked for) last and unnamed.
     */
    String hiddenSummary(String lang, List<MeetupStore.Hidden> hidden) {
        int count = hidden.stream().mapToInt(MeetupStore.Hidden::count).sum();
        if (count == 0) return null;
        List<MeetupStore.Hidden> named = hidden.stream().filter(h -> h.reason() != null)
                .sorted(java.util.Comparator.comparingInt(h -> MeetupRules.HIDE_REASONS.indexOf(h.reason()))).toList();
        String total = pages.text(lang, "meetup.qa.hiddenCount", count);
        if (named.isEmpty()) return total;
        List<String> parts = new ArrayList<>();
        boolean oneReason = named.size() == 1 && named.get(0).count() == count;
        for (MeetupStore.Hidden h : named) {
            String reason = pages.text(lang, "meetup.qa.reason." + h.reason());
            parts.add(oneReason ? reason : pages.text(lang, "meetup.qa.reasonCount", h.count(), reason));
        }
        if (named.stream().mapToInt(MeetupStore.Hidden::count).sum() < count) {
            int rest = count - named.stream().mapToInt(MeetupStore.Hidden::count).sum();
            parts.add(pages.text(lang, "meetup.qa.reasonCount", rest, pages.text(lang, "meetup.qa.reason.unspecified")));
        }
        return pages.text(lang, "meetup.qa.hiddenSummary", total, String.join(", ", parts));
    }
}
