package org.knowmad;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.knowmad.account.AccountRoutes;
import org.knowmad.account.AccountStore;
import org.knowmad.account.SessionStore;
import org.knowmad.account.SigninService;
import org.knowmad.cohort.CohortRoutes;
import org.knowmad.cohort.CohortService;
import org.knowmad.cohort.CohortStore;
import org.knowmad.course.CourseCatalog;
import org.knowmad.cohort.CourseReloadGuard;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.discussion.DiscussionRoutes;
import org.knowmad.discussion.DiscussionService;
import org.knowmad.discussion.DiscussionStore;
import org.knowmad.discussion.ModerationRoutes;
import org.knowmad.discussion.ModerationService;
import org.knowmad.discussion.ModerationStore;
import org.knowmad.discussion.NominationRoutes;
import org.knowmad.discussion.NominationService;
import org.knowmad.discussion.NominationStore;
import org.knowmad.discussion.NotificationRoutes;
import org.knowmad.discussion.NotificationService;
import org.knowmad.discussion.NotificationStore;
import org.knowmad.db.Pools;
import org.knowmad.health.Health;
import org.knowmad.live.LiveEvents;
import org.knowmad.live.StreamHub;
import org.knowmad.notify.CalendarRoutes;
import org.knowmad.notify.DevMailRoutes;
import org.knowmad.notify.FeedRoutes;
import org.knowmad.notify.MailSender;
import org.knowmad.notify.Outbox;
import org.knowmad.notify.SmtpSettings;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.pulse.ActivityStore;
import org.knowmad.pulse.PresenceSampler;
import org.knowmad.pulse.WeekSummaries;
import org.knowmad.release.ReleaseJob;
import org.knowmad.meetup.MeetupFollowUps;
import org.knowmad.meetup.MeetupReminders;
import org.knowmad.meetup.MeetupRoutes;
import org.knowmad.meetup.MeetupService;
import org.knowmad.meetup.MeetupStore;
import org.knowmad.review.ReviewJob;
import org.knowmad.review.ReviewRoutes;
import org.knowmad.review.ReviewService;
import org.knowmad.review.ReviewStore;
import org.knowmad.web.ErrorHandler;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Markdown;
import org.knowmad.web.Messages;
import org.knowmad.web.Pages;
import org.knowmad.web.Signer;
import org.knowmad.web.Templates;
import org.knowmad.web.WebSecurity;

/** Wires one Knowmad node: pool, services, routes, timers. Several nodes may share one database. */
public final class App {

    /**
     * How often each node looks for due releases, mail to send and changed course files, and writes the activity it
     * counted (with it, presence is sampled every minute on the minute).
     */
    public record Timers(long releaseMillis, long mailMillis, long reloadMillis, long pulseMillis) {
        public static final Timers DEFAULT = new Timers(10_000, 2_000, 2_000, 5_000);
        /** Tests drive the jobs themselves. */
        public static final Timers NONE = new Timers(0, 0, 0, 0);
    }

    static final long MAX_BODY_BYTES = 256 * 1024;

    private final Vertx vertx;
    private final Pool pool;
    private final Pool reads;
    private final Listening server;
    private final ReleaseJob releases;
    private final MailSender mail;
    private final CourseCatalog catalog;
    private final LiveEvents live;
    private final List<Long> timers;
    private Router router;
    private MeetupFollowUps meetupFollowUps;
    private org.knowmad.rhythm.RhythmService rhythm;
    private org.knowmad.notify.FacilitatorAlerts alerts;
    private org.knowmad.pulse.PulseService pulse;
    private final NotificationService notifications;
    private final ReviewJob reviews;
    private final MeetupReminders meetupReminders;
    private final ActivityRecorder activity;
    private final PresenceSampler presence;
    private StreamHub streams;

    private App(Vertx vertx, Pool pool, Pool reads, Listening server, ReleaseJob releases, MailSender mail, CourseCatalog catalog,
                LiveEvents live, List<Long> timers, NotificationService notifications, ReviewJob reviews, MeetupReminders meetupReminders,
                ActivityRecorder activity, PresenceSampler presence) {
        this.activity = activity;
        this.presence = presence;
        this.notifications = notifications;
        this.reviews = reviews;
        this.meetupReminders = meetupReminders;
        this.vertx = vertx;
        this.pool = pool;
        this.reads = reads;
        this.server = server;
        this.releases = releases;
        this.mail = mail;
        this.catalog = catalog;
        this.live = live;
        this.timers = timers;
    }

    /** Starts a node on an already migrated database. */
    public static Future<App> start(Vertx vertx, Config config, Clock clock, DatabaseTarget database,
                                    PrometheusMeterRegistry metrics, Timers timerSettings) {
        return start(vertx, config, clock, database, metrics, timerSettings, Rules.standard());
    }

    /** The same with the given rules (tests prove with broken rules that the access matrix catches a leak). */
    public static Future<App> start(Vertx vertx, Config config, Clock clock, DatabaseTarget database,
                                    PrometheusMeterRegistry metrics, Timers timerSettings, Rules rules) {
        return start(vertx, config, clock, database, Future.succeededFuture(), metrics, timerSettings, rules);
    }

    /**
     * Starts a node whose database is still being migrated ({@code migrated} completes when it is): everything that
     * does not need the schema (wiring, reading the course files, compiling the front page's templates) runs
     * meanwhile, and the node listens once all of it is done (README, Performance: Start).
     */
    public static Future<App> start(Vertx vertx, Config config, Clock clock, DatabaseTarget database, Future<?> migrated,
                                    PrometheusMeterRegistry metrics, Timers timerSettings, Rules rules) {
        Pool pool = Pools.create(vertx, database, 8);
        Pool reads = Pools.createForReads(vertx, database, 4);
        CohortStore cohortStore = new CohortStore();
        CourseCatalog catalog = new CourseCatalog(config.coursesDir(), new CourseReloadGuard(pool, cohortStore));
        Messages messages = new Messages();
        Templates templates = new Templates(messages);
        Pages pages = new Pages(templates, messages, config.devMail());
        Markdown markdown = new Markdown();
        Signer signer = new Signer(Secrets.resolve(config));
        // Course files are read on a worker thread: file I/O must not block the event loop. The templates are
        // compiled on another meanwhile, and the Markdown sanitiser's classes loaded (the first page needs both).
        // Both start before the node is wired, so that they run beside it: reading the courses (the schema check's
        // set-up above all) is the longest step of a start.
        Future<?> courses = vertx.executeBlocking(catalog::reload).compose(f -> f);
        Future<?> compiled = vertx.executeBlocking(() -> {
            templates.compile("layouts/main", "cohort/catalogue"); // the front page
            signer.sign("knowmad"); // a first visitor's cookie: setting up the HMAC provider takes a first Mac ~30 ms
            return markdown.toHtml("*Knowmad*");
        }, false);

        AccountStore accounts = new AccountStore();
        SessionStore sessions = new SessionStore();
        Outbox outbox = new Outbox();
        IdempotencyStore idempotency = new IdempotencyStore();
        SigninService signin = new SigninService(pool, clock, outbox, accounts, sessions, messages, config.baseUrl());
        CohortService cohorts = new CohortService(pool, reads, clock, catalog, cohortStore, idempotency, vertx.eventBus(), rules.cohorts());
        WebSecurity security = new WebSecurity(reads, sessions, signer, clock, config.baseUrl().startsWith("https:"));
        ReleaseJob releases = new ReleaseJob(pool, clock, cohorts, messages, config.baseUrl(), metrics);
        MailSender mail = new MailSender(vertx, pool, clock, config.smtpUrl() == null ? null : SmtpSettings.parse(config.smtpUrl()), metrics);
        LiveEvents live = new LiveEvents(vertx, database.connectOptions(), clock);
        StreamHub streams = new StreamHub(vertx);
        ActivityStore activityStore = new ActivityStore();
        ActivityRecorder activity = new ActivityRecorder(pool, clock, activityStore, rules.pulse(), ActivityRecorder.DEFAULT_MAX_KEYS);
        activity.registerMetrics(metrics);
        PresenceSampler presence = new PresenceSampler(vertx, pool, clock, streams, activityStore, PresenceSampler.newNodeName());
        WeekSummaries weeks = new WeekSummaries(reads, clock, catalog, activityStore, rules.pulse());
        Health health = new Health(metrics, () -> new JsonObject()
                .put("node", presence.node())
                .put("courses", catalog.courses().size())
                .put("courseProblems", catalog.problems().size()))
                .add(Health.database(reads))
                .add(Health.live(live))
                .add(Health.outbox(reads, clock))
                // Counts wait in memory while they cannot be written: a warning, not a reason to take the node out.
                .add(Health.pulse(activity, presence))
                // SMTP down delays mail (the outbox keeps it), it does not take the node down: not critical.
                .add(org.knowmad.health.HealthCheck.of("smtp", false, () -> io.vertx.core.Future.succeededFuture(smtpHealth(mail))));

        Router router = Router.router(vertx);
        router.route().handler(App::securityHeaders);
        router.get("/health").handler(health::handle);
        router.get("/metrics").handler(new org.knowmad.web.MetricsAccess(config.metricsToken())).handler(health::beforeMetrics)
                .handler(PrometheusScrapingHandler.create(metrics));
        router.get("/api/v1/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json; charset=utf-8").sendFile("openapi/openapi.json"));
        router.get("/schema/course.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/schema+json").sendFile("schema/course.json"));
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setDefaultContentEncoding("UTF-8").setMaxAgeSeconds(86_400));
        // Browsers ask for /favicon.ico whatever the page links; answer with the same icon (SVG, served by type).
        router.get("/favicon.ico").handler(ctx -> ctx.response().putHeader("Content-Type", "image/svg+xml")
                .putHeader("Cache-Control", "public, max-age=86400").sendFile("knowmad-assets/favicon.svg"));
        router.route("/assets/*").handler(StaticHandler.create("knowmad-assets").setDefaultContentEncoding("UTF-8").setMaxAgeSeconds(3_600));
        router.route().handler(org.knowmad.web.InputGuard::address);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.route().handler(org.knowmad.web.InputGuard::body);
        router.route().handler(security);

        // The whole routing table, feature by feature.
        new AccountRoutes(signin, new org.knowmad.account.SessionService(pool, clock, sessions), accounts, security, pages, pool,
                config.trustedProxies()).mount(router);
        ModerationStore moderationStore = new ModerationStore();
        NotificationService notifications = new NotificationService(pool, clock, new NotificationStore(), outbox, messages, catalog, config.baseUrl());
        DiscussionService discussionService = new DiscussionService(pool, reads, clock, cohorts, new DiscussionStore(), notifications,
                rules.threads(), idempotency, activity);
        org.knowmad.notify.FacilitatorAlerts alerts = new org.knowmad.notify.FacilitatorAlerts(pool, clock, new org.knowmad.notify.FacilitatorAlertStore(),
                outbox, messages, catalog, config.baseUrl());
        ModerationService moderation = new ModerationService(pool, reads, clock, moderationStore, discussionService, config.flagsToHide(), idempotency,
                alerts);
        NominationService nominations = new NominationService(pool, reads, clock, new NominationStore(), discussionService, idempotency, activity);
        // Events sent while the live channel was down are lost: every open page fetches what it missed.
        live.onReconnect(streams::resyncAll);
        streams.registerMetrics(metrics);
        org.knowmad.guidelines.GuidelineService guidelines = new org.knowmad.guidelines.GuidelineService(pool, reads, clock, rules.guidelines(),
                cohortStore, idempotency);
        org.knowmad.discussion.AnswerService answers = new org.knowmad.discussion.AnswerService(pool, reads, clock, new DiscussionStore(),
                discussionService);
        DiscussionRoutes discussions = new DiscussionRoutes(discussionService, nominations, answers, pages, markdown, streams, guidelines, activity);
        // The roster and acting on it (announcements, nudges); the latest announcement is a banner on the cohort home.
        org.knowmad.pulse.RosterStore rosterStore = new org.knowmad.pulse.RosterStore();
        org.knowmad.pulse.AnnouncementService announcementService = new org.knowmad.pulse.AnnouncementService(pool, reads, clock,
                rosterStore, new org.knowmad.pulse.AnnouncementStore(), outbox, messages, config.baseUrl(), rules.pulse(), idempotency);
        org.knowmad.pulse.AnnouncementRoutes announcementRoutes = new org.knowmad.pulse.AnnouncementRoutes(announcementService, cohorts,
                pages, markdown);
        new CohortRoutes(cohorts, catalog, pages, markdown, List.of(discussions), streams, guidelines, activity, weeks,
                List.of(announcementRoutes)).mount(router);
        new org.knowmad.guidelines.GuidelineRoutes(guidelines, cohorts, pages).mount(router);
        new org.knowmad.pulse.RosterRoutes(new org.knowmad.pulse.RosterService(reads, clock, rosterStore, rules.pulse()), announcementService,
                cohorts, pages, new org.knowmad.pulse.Pseudonyms(signer)).mount(router);
        announcementRoutes.mount(router);
        discussions.mount(router);
        new org.knowmad.discussion.AnswerRoutes(answers, discussionService, pages, markdown).mount(router);
        new ModerationRoutes(moderation, discussionService, cohorts, pages, markdown).mount(router);
        new NominationRoutes(nominations, discussionService, pages).mount(router);
        new NotificationRoutes(notifications, pages).mount(router);
        new FeedRoutes(pool, cohorts, config.baseUrl()).mount(router);
        new CalendarRoutes(cohorts, messages, config.baseUrl(), pool, clock, accounts, pages).mount(router);
        new org.knowmad.export.ExportRoutes(reads, clock, catalog, rules.reviews(), messages, config.baseUrl()).mount(router);
        ReviewStore reviewStore = new ReviewStore();
        ReviewService reviewService = new ReviewService(vertx, pool, reads, clock, cohorts, reviewStore, rules.reviews(), idempotency, activity, alerts);
        reviewService.registerMetrics(metrics);
        new ReviewRoutes(reviewService, pages, markdown)
                .mount(router);
        ReviewJob reviewJob = new ReviewJob(pool, clock, catalog, reviewStore, outbox, messages, config.baseUrl());
        MeetupService meetups = new MeetupService(pool, reads, clock, cohorts, new MeetupStore(), accounts, nominations, outbox, messages,
                config.baseUrl(), rules.meetups(), idempotency, activity, discussionService, notifications);
        new MeetupRoutes(meetups, pages, markdown, streams, config.baseUrl(), activity).mount(router);
        org.knowmad.rhythm.RhythmService rhythm = new org.knowmad.rhythm.RhythmService(pool, clock, rules.pulse(), catalog, outbox, messages,
                config.baseUrl());
        new org.knowmad.rhythm.RhythmRoutes(rhythm, cohorts, pages).mount(router);
        new org.knowmad.circles.CircleRoutes(new org.knowmad.circles.CircleService(pool, reads, clock, rules.circles(), idempotency, activity),
                cohorts, pages, markdown).mount(router);
        MeetupReminders meetupReminders = new MeetupReminders(pool, clock, meetups, new MeetupStore(), outbox);
        org.knowmad.pulse.PulseService pulse = new org.knowmad.pulse.PulseService(vertx, pool, reads, clock, cohorts,
                new org.knowmad.pulse.PulseStore(), rules.pulse());
        new org.knowmad.pulse.PulseRoutes(pulse, discussionService, pages, announcementService).mount(router);
        MeetupFollowUps meetupFollowUps = new MeetupFollowUps(pool, clock, cohorts, messages);
        if (config.devMail()) new DevMailRoutes(pool, pages).mount(router);

        ErrorHandler errors = new ErrorHandler(pages, id -> catalog.course(id)
                .map(c -> new ErrorHandler.CourseSetting(c.definition().language(), c.definition().zone())));
        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(errors);

        // The live channel needs no schema: it connects while the rest is done.
        Future<?> liveStarted = live.start();
        // A connection in each pool before the first request, which would otherwise wait for the pool to open one.
        Future<?> connected = migrated.compose(v -> Future.all(pool.query("SELECT 1").execute(), reads.query("SELECT 1").execute()));
        return Future.all(courses, compiled, connected, liveStarted)
                .compose(v -> listen(vertx, router, config.port()))
                .map(listening -> {
                    List<Long> timers = new ArrayList<>();
                    if (timerSettings.releaseMillis() > 0) {
                        vertx.eventBus().consumer(CohortService.JOINED, m -> releases.runOnce());
                    }
                    if (timerSettings.releaseMillis() > 0) {
                        timers.add(vertx.setPeriodic(500, timerSettings.releaseMillis(), id -> releases.runOnce()));
                    }
                    if (timerSettings.releaseMillis() > 0) {
                        // Grades and review reminders: minutes matter little, so every half minute is plenty.
                        timers.add(vertx.setPeriodic(1_000, 30_000, id -> reviewJob.runOnce()));
                        timers.add(vertx.setPeriodic(2_000, 60_000, id -> meetupReminders.runOnce()));
                        // Follow-up prompts open weeks after a meetup: once a minute is plenty.
                        timers.add(vertx.setPeriodic(3_000, 60_000, id -> meetupFollowUps.runOnce()));
                        // A missed sharing period is worth one reminder some time in the next; every ten minutes is plenty.
                        timers.add(vertx.setPeriodic(3_000, 600_000, id -> rhythm.remindOnce()));
                    }
                    if (timerSettings.releaseMillis() > 0) {
                        // Idempotency keys count for a day (older ones are ignored already); forgetting them hourly is plenty.
                        timers.add(vertx.setPeriodic(5_000, 3_600_000, id -> idempotency.expire(pool, clock.instant())));
                    }
                    if (timerSettings.mailMillis() > 0) {
                        timers.add(vertx.setPeriodic(timerSettings.mailMillis(), id -> mail.sendDue()));
                    }
                    if (timerSettings.mailMillis() > 0) {
                        // Digests are checked every few minutes; each person's is due once a day or week.
                        timers.add(vertx.setPeriodic(300_000, id -> notifications.sendDigests()));
                        // Flags and reported reviews: facilitators hear within a minute, coalesced (FacilitatorAlerts.WINDOW).
                        timers.add(vertx.setPeriodic(3_000, 60_000, id -> alerts.sendDue()));
                    }
                    if (timerSettings.pulseMillis() > 0) {
                        timers.add(vertx.setPeriodic(timerSettings.pulseMillis(), id -> activity.flushIfIdle()));
                        presence.start();
                        // Once the start's own work is done: large cohorts' pulse counts, so no first view waits for one.
                        timers.add(vertx.setTimer(5_000, id -> pulse.warm(org.knowmad.pulse.PulseService.WARM_FROM)));
                    }
                    if (!Timers.NONE.equals(timerSettings)) {
                        // Off the start's path: every page's template, so that no page's first view compiles one.
                        timers.add(vertx.setTimer(5_000, id -> vertx.executeBlocking(() -> {
                            templates.compileAll();
                            return null;
                        }, false).onFailure(e -> org.slf4j.LoggerFactory.getLogger(App.class).warn("compiling the templates ahead failed: {}", e.toString()))));
                    }
                    if (timerSettings.reloadMillis() > 0) {
                        timers.add(vertx.setPeriodic(timerSettings.reloadMillis(),
                                id -> vertx.executeBlocking(catalog::reload).compose(f -> f)));
                    }
                    App app = new App(vertx, pool, reads, listening, releases, mail, catalog, live, timers, notifications, reviewJob, meetupReminders,
                            activity, presence);
                    app.router = router;
                    app.meetupFollowUps = meetupFollowUps;
                    app.rhythm = rhythm;
                    app.streams = streams;
                    app.alerts = alerts;
                    app.pulse = pulse;
                    return app;
                });
    }

    /**
     * One HTTP server per core, each on its own event loop, sharing the port (a single server would
     * use one core). Tests ask for port 0 and get a single server on a free port.
     */
    private record Listening(String deploymentId, int port) {
    }

    private static Future<Listening> listen(Vertx vertx, Router router, int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setCompressionSupported(true)
                .setMaxFormAttributeSize((int) MAX_BODY_BYTES);
        int instances = port == 0 ? 1 : Runtime.getRuntime().availableProcessors();
        List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return vertx.createHttpServer(options).requestHandler(router).listen(port).onSuccess(servers::add);
                    }
                }, new DeploymentOptions().setInstances(instances))
                .map(id -> new Listening(id, servers.get(0).actualPort()));
    }

    /** The mail server's state for /health, without the error text (it may name hosts). */
    private static JsonObject smtpHealth(MailSender mail) {
        MailSender.SmtpStatus s = mail.smtpStatus();
        JsonObject o = new JsonObject().put("status", s.ok() ? "up" : "down").put("configured", s.configured()).put("inFlight", s.inFlight());
        if (s.lastSuccess() != null) o.put("lastSuccess", s.lastSuccess().toString());
        if (s.lastFailure() != null) o.put("lastFailure", s.lastFailure().toString());
        return o;
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "same-origin")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data:; style-src 'self'; "
                        + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        ctx.next();
    }

    public int port() {
        return server.port();
    }

    /** The routing table, for tests that walk every route (access matrix, fuzz). */
    public Router router() {
        return router;
    }

    public Pool pool() {
        return pool;
    }

    public ReleaseJob releases() {
        return releases;
    }

    /** The facilitators' alerts about flags and reported reviews (tests run a round at will). */
    public org.knowmad.notify.FacilitatorAlerts alerts() {
        return alerts;
    }

    public MailSender mail() {
        return mail;
    }

    public NotificationService notifications() {
        return notifications;
    }

    public MeetupReminders meetupReminders() {
        return meetupReminders;
    }

    public MeetupFollowUps meetupFollowUps() {
        return meetupFollowUps;
    }

    /** The sharing-rhythm reminders, for tests that run them on their own clock. */
    public org.knowmad.rhythm.RhythmService rhythm() {
        return rhythm;
    }

    public ReviewJob reviews() {
        return reviews;
    }

    public CourseCatalog catalog() {
        return catalog;
    }

    /** What this node counted and has not written yet; tests flush it themselves. */
    public ActivityRecorder activity() {
        return activity;
    }

    public PresenceSampler presence() {
        return presence;
    }

    /** The cohort pulse (tests warm its counts as a started node does after 5 s). */
    public org.knowmad.pulse.PulseService pulse() {
        return pulse;
    }

    /** This node's event streams (tests count who is online). */
    public StreamHub streams() {
        return streams;
    }

    public Future<Void> stop() {
        timers.forEach(vertx::cancelTimer);
        presence.stop();
        // Once no request can count anything more, what was counted is written (a database that is away loses it).
        stopping = "the HTTP servers";
        return vertx.undeploy(server.deploymentId())
                .compose(v -> step("writing the counted activity", activity.flush().otherwiseEmpty()))
                .compose(v -> step("the live channel", live.close()))
                .compose(v -> step("the mail sender", mail.close()))
                .compose(v -> step("the read pool", reads.close()))
                .compose(v -> step("the pool", pool.close()))
                .onSuccess(v -> stopping = null);
    }

    private volatile String stopping;

    private <T> Future<T> step(String name, Future<T> next) {
        stopping = name;
        return next;
    }

    /** What {@link #stop()} is waiting for, if it has not finished: said when a stop takes too long. */
    public String stopping() {
        return stopping;
    }

}
