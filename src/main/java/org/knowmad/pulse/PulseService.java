package org.knowmad.pulse;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.cohort.CohortService;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.review.ReviewDemand;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Viewer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cohort pulse for its facilitators: how the cohort took part, week by week and over the whole course so far.
 * Read-only; the independent statements run side by side on the pipelined read pool.
 */
public final class PulseService {

    private static final Logger LOG = LoggerFactory.getLogger(PulseService.class);

    /** Participants not seen for this long have drifted away (the roster's "not seen for 7 days"). */
    public static final Duration UNSEEN = Duration.ofDays(7);
    static final int LIST_LIMIT = 5;
    static final int NOMINATED_LIMIT = 8;

    /**
     * How long a page waits for the participation count of a cohort known to be slow (or large) before it shows the
     * rest. Shorter than {@link ParticipationCache#SLOW}: a count that was slow once is seldom quick the next time,
     * so a longer wait would mostly delay the page.
     */
    public static final Duration PAGE_WAIT = Duration.ofMillis(150);
    /**
     * Cohorts this large are counted when a node starts ({@link #warm}), and a page of one does not wait for its
     * count even before a count of it was slow on this node. A count's time grows with the cohort's activity: 5,000
     * participants with 71,000 activity days took ~100 ms here, 50,000 with 600,000 took 1-2 s.
     */
    public static final int WARM_FROM = 5_000;

    private final Vertx vertx;
    /**
     * The counts over the whole course (participation, reply times) run on the ordinary pool, the rest on the pipelined
     * one: on a pipelined connection every statement queued behind such a count (1-2 s for participation, 15 ms for
     * the reply times of 10,000 threads) would wait for it, other requests' reads included, and the page's reads
     * queued on one connection would add up instead of running side by side.
     */
    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final CohortService cohorts;
    private final PulseStore store;
    private final PulseRules rules;
    private final PeakCache peakCache = new PeakCache();
    private final ParticipationCache participationCache = new ParticipationCache(ParticipationCache.SLOW);

    public PulseService(Vertx vertx, Pool pool, Pool reads, Clock clock, CohortService cohorts, PulseStore store, PulseRules rules) {
        this.vertx = vertx;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.cohorts = cohorts;
        this.store = store;
        this.rules = rules;
    }

    /** One module's peer review: submitted work, late ones, reviews still owed in open windows, stuck ones. */
    public record ModuleReviews(String moduleId, String title, long submitted, long late, long owed, long stuck) {
    }

    /**
     * Everything the pulse page and its API show. {@code week}: the week shown (1-based). {@code countedAt}: when the
     * participation numbers were counted, earlier than {@code now} for a large cohort ({@link ParticipationCache}).
     * {@code counting}: they are still being counted (a page that could not wait): {@code byWeek} is empty and
     * {@code overall} all zero, and the page says so instead of showing them.
     */
    public record Pulse(CohortAccess access, PulseWeeks weeks, int week, LocalDate today, Instant now,
                        Map<Integer, PulseStore.PeriodRow> byWeek, PulseStore.PeriodRow overall,
                        List<PulseStore.DayPeak> peaks, PulseStore.DayPeak peak,
                        PulseStore.Replies replies, OptionalDouble medianReplySeconds, List<PulseStore.Waiting> waiting,
                        List<PulseStore.HelpfulPost> helpful, List<PulseStore.Nominated> nominated, long nominatedTotal,
                        List<ModuleReviews> reviews, Instant countedAt, boolean counting) {

        public PulseStore.PeriodRow shown() {
            return period(week);
        }

        /** A week's numbers; a week that has not begun has none (all zero). */
        public PulseStore.PeriodRow period(int number) {
            PulseStore.PeriodRow row = byWeek.get(number);
            return row != null ? row : new PulseStore.PeriodRow(number, 0, Funnel.EMPTY, new ParticipationShape(0, 0, 0), 0);
        }

        public long drifted() {
            return overall.drifted();
        }
    }

    public Future<CohortAccess> access(Viewer viewer, String courseId, String cohortId) {
        return cohorts.access(viewer, courseId, cohortId).compose(a -> rules.seePulse(a).future().map(a));
    }

    /** How the course's principles are taken up in the cohort: the pulse's last section, for its facilitators. */
    public Future<PulseStore.Principles> principles(CohortAccess access) {
        return rules.seePulse(access).future().compose(v -> {
            var course = access.ref().course().definition();
            PulseStore.Scope scope = new PulseStore.Scope(access.ref().courseId(), access.ref().cohortId(), course.zone().getId());
            return store.principles(reads, scope, course.facilitators().stream().map(f -> f.email()).toList());
        });
    }

    /**
     * The pulse of the cohort; {@code week} null for the default (the last finished week), else 1..weeks (400
     * otherwise). {@code wait}: how long to wait for a participation count of a cohort known to be slow before
     * answering without it ({@link Pulse#counting}); null to wait for it whatever it takes (the API).
     */
    public Future<Pulse> pulse(CohortAccess access, Integer week, Duration wait) {
        return rules.seePulse(access).future().compose(v -> {
            CourseDefinition course = access.ref().course().definition();
            PulseWeeks weeks = PulseWeeks.of(course, access.ref().cohort());
            if (week != null && (week < 1 || week > weeks.count())) {
                return Future.failedFuture(HttpProblem.badRequest("pulse.badWeek", weeks.count()));
            }
            Instant now = clock.instant();
            LocalDate today = PulseWeeks.day(now, course.zone());
            PulseStore.Scope scope = new PulseStore.Scope(access.ref().courseId(), access.ref().cohortId(), course.zone().getId());
            String cohort = scope.courseId() + "/" + scope.cohortId();
            var participation = here(participation(access.ref(), weeks, now),
                    wait == null ? Future.succeededFuture(false) : slow(scope, cohort), wait, now);
            var peaks = peaks(scope, today, now, course.zone());
            var replies = store.replies(pool, scope);
            var waiting = store.oldestUnanswered(reads, scope, LIST_LIMIT);
            var helpful = store.helpful(reads, scope, LIST_LIMIT);
            var nominated = store.nominated(reads, scope, NOMINATED_LIMIT);
            var reviews = store.reviews(reads, scope, now);
            return Future.all(List.of(participation, peaks, replies, waiting, helpful, nominated, reviews)).map(all -> {
                Map<Integer, PulseStore.PeriodRow> byWeek = new LinkedHashMap<>();
                PulseStore.PeriodRow overall = new PulseStore.PeriodRow(0, 0, Funnel.EMPTY, new ParticipationShape(0, 0, 0), 0);
                Map<Integer, Long> completedBy = new HashMap<>();
                for (PulseStore.PeriodRow r : participation.result().rows()) {
                    if (r.week() == 0) overall = r;
                    else {
                        byWeek.put(r.week(), r);
                        completedBy.put(r.week(), r.completed());
                    }
                }
                int shown = week != null ? week : weeks.defaultWeek(today, completedBy);
                PulseStore.DayPeak peak = null;
                for (PulseStore.DayPeak p : peaks.result()) if (peak == null || p.online() > peak.online()) peak = p;
                List<PulseStore.Nominated> noms = nominated.result();
                return new Pulse(access, weeks, shown, today, now, byWeek, overall, peaks.result(), peak, replies.result(),
                        Median.of(replies.result().delaysSeconds()), waiting.result(), helpful.result(), noms,
                        noms.isEmpty() ? 0 : noms.get(0).total(), moduleReviews(course, reviews.result()),
                        participation.result().at(), participation.result().counting());
            });
        });
    }

    /** The participation count of a cohort: kept, under way, or a new one ({@link ParticipationCache}). */
    private Future<ParticipationCache.Counted> participation(CohortRef ref, PulseWeeks weeks, Instant now) {
        CourseDefinition course = ref.course().definition();
        LocalDate today = PulseWeeks.day(now, course.zone());
        PulseStore.Scope scope = new PulseStore.Scope(ref.courseId(), ref.cohortId(), course.zone().getId());
        List<String> facilitators = course.facilitators().stream().map(f -> f.email()).toList();
        String key = scope.courseId() + "/" + scope.cohortId() + "/" + today + "/" + weeks.selfPaced() + "/" + weeks.start()
                + "/" + java.util.Arrays.toString(weeks.offsets()) + "/" + facilitators;
        return participationCache.get(scope.courseId() + "/" + scope.cohortId(), key, now, () -> store.participation(pool, scope,
                facilitators, weeks.offsets(), weeks.selfPaced(), weeks.start(), today, now.minus(UNSEEN)));
    }

    /**
     * Counts the participation of every cohort with at least {@code atLeast} participants, one after the other, so
     * that a node that has just started knows which cohorts are slow to count and has their counts kept: the first
     * view after a restart then need not wait 1-2 s. Nothing is shown to anyone here; failures are only logged.
     */
    public Future<Void> warm(int atLeast) {
        return store.largeCohorts(reads, atLeast).compose(cohortIds -> {
            Future<Void> chain = Future.succeededFuture();
            for (String[] c : cohortIds) {
                chain = chain.compose(v -> cohorts.resolve(c[0], c[1])
                        .compose(ref -> participation(ref, PulseWeeks.of(ref.course().definition(), ref.cohort()), clock.instant()))
                        .<Void>mapEmpty()
                        .otherwise(e -> {
                            LOG.warn("pulse: counting {}/{} ahead of its first view failed: {}", c[0], c[1], e.toString());
                            return null;
                        }));
            }
            return chain;
        });
    }

    /**
     * Whether a page of the cohort should not wait for its count: it was slow to count on this node, or it is large
     * (a node that was running while the cohort grew has not counted it ahead). A failed check reads as small.
     */
    private Future<Boolean> slow(PulseStore.Scope scope, String cohort) {
        if (participationCache.knownSlow(cohort)) return Future.succeededFuture(true);
        return store.isLarge(reads, scope, WARM_FROM).otherwise(false).onSuccess(large -> {
            if (large) participationCache.markSlow(cohort);
        });
    }

    /**
     * A count that may be shared with other requests, continued on this request's own event loop (a shared future
     * completes on the loop of the request that started the count). When {@code slow} says so: if the count is not
     * done after {@code wait}, "still counting" instead; the count goes on and is kept for the next view.
     */
    private Future<ParticipationCache.Counted> here(Future<ParticipationCache.Counted> counted, Future<Boolean> slow,
                                                    Duration wait, Instant now) {
        if (counted.isComplete()) return counted.succeeded() ? Future.succeededFuture(counted.result()) : Future.failedFuture(counted.cause());
        Context own = vertx.getOrCreateContext();
        Promise<ParticipationCache.Counted> result = Promise.promise();
        slow.onSuccess(yes -> {
            if (yes) own.runOnContext(v -> vertx.setTimer(Math.max(1, wait.toMillis()),
                    id -> result.tryComplete(ParticipationCache.Counted.underWay(now))));
        });
        counted.onComplete(ar -> own.runOnContext(v -> {
            if (ar.succeeded()) result.tryComplete(ar.result());
            else result.tryFail(ar.cause());
        }));
        return result.future();
    }

    /** Per day peaks: the kept final days and a read of the days since, or a full read that fills the cache. */
    private Future<List<PulseStore.DayPeak>> peaks(PulseStore.Scope scope, LocalDate today, Instant now, java.time.ZoneId zone) {
        String key = scope.courseId() + "/" + scope.cohortId();
        PeakCache.Entry kept = peakCache.get(key, today, now);
        if (kept != null) {
            Instant from = kept.through().plusDays(1).atStartOfDay(zone).toInstant();
            return store.peaks(reads, scope, from).map(live -> PeakCache.join(kept, live));
        }
        return store.peaks(reads, scope, Instant.EPOCH).onSuccess(all -> peakCache.put(key, all, today, now));
    }

    /** Per module with an assignment, in course order; reviews owed count each author's quota ({@link ReviewDemand#quota}). */
    static List<ModuleReviews> moduleReviews(CourseDefinition course, List<PulseStore.ReviewGroup> groups) {
        List<ModuleReviews> list = new ArrayList<>();
        for (ModuleDefinition m : course.modules()) {
            if (m.assignment() == null) continue;
            long submitted = 0;
            long late = 0;
            long owed = 0;
            long stuck = 0;
            for (PulseStore.ReviewGroup g : groups) {
                if (!g.moduleId().equals(m.id())) continue;
                submitted += g.submitted();
                late += g.late();
                stuck += g.stuck();
                if (g.needed() > 0) owed += g.reviewing() * Math.max(0, ReviewDemand.quota(g.needed()) - g.reviewsGiven());
            }
            list.add(new ModuleReviews(m.id(), m.assignment().title(), submitted, late, owed, stuck));
        }
        return list;
    }
}
