package org.knowmad.review;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.ModuleView;
import org.knowmad.course.AssignmentDefinition;
import org.knowmad.course.Criterion;
import org.knowmad.schedule.Timetable;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Viewer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rules of peer review: who may submit, claim, review, rate and flag, and when. Each action is one
 * transaction; the order in which submissions are handed out is {@link ReviewPicker}'s.
 */
public final class ReviewService {

    /** How long a claimed submission stays reserved for its reviewer. */
    static final Duration LEASE = Duration.ofHours(4);
    static final int MAX_TEXT = 20_000;
    static final int MIN_COMMENT = 30;
    static final int MAX_COMMENT = 5_000;
    static final int MAX_REASON = 500;
    /** How many candidates one "review next" tries to lock before giving up (all others busy). */
    private static final int TRIES = 20;
    /** How much of the ranking and of the extras goes to the database: room for TRIES past a reviewer's own reviews. */
    private static final int HEAD = 64;
    /**
     * The pauses (ms, plus up to as much again at random) before "review next" tries again when every candidate it
     * tried was being claimed by others at that very moment; the reviewer hears "busy" only after the last. A claim
     * holds its lock about a millisecond, so a pause of tens finds most of them done: in a burst of 1,000 reviewers at
     * once (ReviewNextBench) up to 15 a wave heard "busy" without these.
     */
    private static final long[] BUSY_PAUSES_MILLIS = {20, 60};
    private static final String BUSY = "review.busy";

    private final Vertx vertx;
    private final AtomicLong busyRetried = new AtomicLong();
    private final AtomicLong busyRefused = new AtomicLong();

    private final Pool pool;
    private final Pool reads;
    private final PoolSnapshots snapshots = new PoolSnapshots();
    private final Clock clock;
    private final CohortService cohorts;
    private final ReviewStore store;

    private final ReviewRules rules;

    public ReviewRules rules() {
        return rules;
    }

    private final IdempotencyStore idempotency;
    private final ActivityRecorder activity;

    private final org.knowmad.notify.FacilitatorAlerts alerts;

    public ReviewService(Vertx vertx, Pool pool, Pool reads, Clock clock, CohortService cohorts, ReviewStore store, ReviewRules rules, IdempotencyStore idempotency,
                         ActivityRecorder activity, org.knowmad.notify.FacilitatorAlerts alerts) {
        this.vertx = vertx;
        this.alerts = alerts;
        this.activity = activity;
        this.idempotency = idempotency;
        this.rules = rules;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.cohorts = cohorts;
        this.store = store;
    }

    public void registerMetrics(MeterRegistry metrics) {
        // One description for both: Prometheus shows a single HELP line per metric name.
        String help = "\"Review next\" tries that found every candidate being claimed: tried again (retried) or answered busy (refused)";
        FunctionCounter.builder("knowmad.review.busy", busyRetried, AtomicLong::get).tag("outcome", "retried").description(help).register(metrics);
        FunctionCounter.builder("knowmad.review.busy", busyRefused, AtomicLong::get).tag("outcome", "refused").description(help).register(metrics);
    }

    /** Where the assignment stands for one viewer. */
    public enum Phase { SUBMITTING, REVIEWING, CLOSED }

    /** An assignment as one viewer may use it, with their own deadlines. */
    public record AssignmentAccess(CohortAccess access, ModuleView module, AssignmentDefinition assignment, Instant submitBy, Instant reviewBy) {

        public String path() {
            return module.path() + "/assignment";
        }

        public Phase phase(Instant now) {
            if (now.isBefore(submitBy)) return Phase.SUBMITTING;
            return now.isBefore(reviewBy) ? Phase.REVIEWING : Phase.CLOSED;
        }

        public String courseId() {
            return access.ref().courseId();
        }

        public String cohortId() {
            return access.ref().cohortId();
        }

        public String moduleId() {
            return module.id();
        }

        public double maxPoints() {
            double max = 0;
            for (Criterion c : assignment.rubric()) max += c.levels().stream().mapToInt(Criterion.Level::points).max().orElse(0);
            return max;
        }

        int quota() {
            return ReviewDemand.quota(assignment.reviewsPerSubmission());
        }
    }

    public Instant now() {
        return clock.instant();
    }

    public Future<AssignmentAccess> assignment(Viewer viewer, String courseId, String cohortId, String moduleId) {
        return cohorts.access(viewer, courseId, cohortId).map(access -> {
            Instant now = clock.instant();
            ModuleView module = cohorts.readableModule(access, moduleId, now);
            AssignmentDefinition assignment = access.ref().course().definition().module(moduleId).orElseThrow().assignment();
            if (assignment == null) throw HttpProblem.notFound();
            Timetable timeline = CohortService.timeline(access, now);
            return new AssignmentAccess(access, module, assignment, timeline.submitBy(moduleId).orElseThrow(),
                    timeline.reviewBy(moduleId).orElseThrow());
        });
    }

    /** Everything the assignment page shows one person. Reviews of their work only once their review window closed. */
    public record Overview(AssignmentAccess a, Phase phase, Optional<ReviewStore.SubmissionRow> mine, List<ReviewStore.ReviewRow> myReviews,
                           List<ReviewStore.ReviewRow> received, Optional<ReviewStore.GradeRow> grade, Optional<ReviewStore.SelfAssessment> self) {

        public int done() {
            return (int) myReviews.stream().filter(ReviewStore.ReviewRow::completed).count();
        }

        public Optional<ReviewStore.ReviewRow> openClaim(Instant now) {
            return myReviews.stream().filter(r -> !r.completed() && r.leaseUntil().isAfter(now)).findFirst();
        }
    }

    public Future<Overview> overview(AssignmentAccess a) {
        Instant now = clock.instant();
        Phase phase = a.phase(now);
        long me = a.access().viewer().accountId();
        if (!a.access().viewer().signedIn()) throw HttpProblem.signInRequired();
        return store.mine(reads, a.courseId(), a.cohortId(), a.moduleId(), me).compose(mine ->
                store.reviewsBy(reads, a.courseId(), a.cohortId(), a.moduleId(), me).compose(myReviews -> {
                    boolean submitted = mine.isPresent() && mine.get().submitted();
                    Future<Optional<ReviewStore.SelfAssessment>> self = submitted && a.assignment().selfAssessment()
                            ? store.self(reads, mine.get().id()) : Future.succeededFuture(Optional.empty());
                    return self.compose(own -> {
                        if (phase != Phase.CLOSED || !submitted) {
                            return Future.succeededFuture(new Overview(a, phase, mine, myReviews, List.of(), Optional.empty(), own));
                        }
                        long id = mine.get().id();
                        return store.reviewsOf(reads, id).compose(received -> store.grade(reads, id).map(grade -> new Overview(a, phase, mine,
                                myReviews, received.stream().filter(ReviewStore.ReviewRow::visibleToAuthor).toList(), grade, own)));
                    });
                }));
    }

    private void requireParticipant(AssignmentAccess a) {
        rules.takePart(a).require();
    }

    private static String checkText(String raw, boolean required) {
        String text = raw == null ? "" : raw.strip();
        if (required && text.isEmpty()) throw HttpProblem.invalid("text", "submission.empty");
        if (text.length() > MAX_TEXT) throw HttpProblem.invalid("text", "submission.tooLong", MAX_TEXT, text.length());
        return text;
    }

    /** Keeps a draft; possible until the work is submitted for good. */
    public Future<Void> saveDraft(AssignmentAccess a, String raw, Idempotent<Void> once) {
        requireParticipant(a);
        String text = checkText(raw, false);
        Instant now = clock.instant();
        long me = a.access().viewer().accountId();
        return idempotency.transaction(pool, once, now, tx -> store.lockMine(tx, a.courseId(), a.cohortId(), a.moduleId(), me).compose(mine -> {
            checkMayChange(a, mine, now);
            return store.saveDraft(tx, a.courseId(), a.cohortId(), a.moduleId(), me, text, now);
        }));
    }

    /**
     * Submits, or replaces the submitted text before the deadline. After the deadline one late submission
     * is still taken (marked late) until the review window closes; reviewers may take it at once.
     */
    public Future<Void> submit(AssignmentAccess a, String raw, Idempotent<Void> once) {
        requireParticipant(a);
        String text = checkText(raw, true);
        Instant now = clock.instant();
        long me = a.access().viewer().accountId();
        boolean late = !now.isBefore(a.submitBy());
        // Counted once per assignment: replacing the submitted text before the deadline is not another submission.
        boolean[] first = {false};
        return idempotency.transaction(pool, once, now, tx -> store.lockMine(tx, a.courseId(), a.cohortId(), a.moduleId(), me).compose(mine -> {
            checkMayChange(a, mine, now);
            first[0] = mine.isEmpty() || !mine.get().submitted();
            return store.submit(tx, a.courseId(), a.cohortId(), a.moduleId(), me, text, now, late, late ? now : a.submitBy(), a.reviewBy(),
                    a.assignment().reviewsPerSubmission());
        })).onSuccess(v -> {
            snapshots.forget(a.courseId(), a.cohortId(), a.moduleId()); // the pool has a new submission
            if (first[0]) activity.record(a.access(), a.moduleId(), ActivityRecorder.Kind.SUBMISSIONS);
        });
    }

    private void checkMayChange(AssignmentAccess a, Optional<ReviewStore.SubmissionRow> mine, Instant now) {
        rules.changeSubmission(a, mine.isPresent() && mine.get().submitted(), now).require();
    }

    /** A claim handed to a reviewer: the review to fill in and whether it is an extra one. */
    public record Claim(long reviewId, long submissionId, boolean extra, Instant leaseUntil) {
    }

    /**
     * "Review next": the reviewer's open claim if they have one, else a new claim on the best candidate
     * nobody else is claiming at this moment. Never more open claims plus reviews than a submission needs.
     */
    public Future<Claim> next(AssignmentAccess a, Idempotent<Claim> once) {
        return next(a, once, 0);
    }

    private Future<Claim> next(AssignmentAccess a, Idempotent<Claim> once, int retry) {
        return claimOnce(a, once).recover(e -> {
            if (!(e instanceof HttpProblem p && BUSY.equals(p.key()))) return Future.failedFuture(e);
            if (retry == BUSY_PAUSES_MILLIS.length) {
                busyRefused.incrementAndGet();
                return Future.failedFuture(e);
            }
            busyRetried.incrementAndGet();
            // Each waits a little longer and not all at once: those who collided once should not collide again.
            long pause = BUSY_PAUSES_MILLIS[retry];
            return vertx.timer(pause + ThreadLocalRandom.current().nextLong(pause)).compose(t -> next(a, once, retry + 1));
        });
    }

    /** One try; its failure ("busy" included) leaves nothing behind: the claim and its idempotency key roll back together. */
    private Future<Claim> claimOnce(AssignmentAccess a, Idempotent<Claim> once) {
        Instant now = clock.instant();
        Decision may = rules.claimReview(a, now);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        long me = a.access().viewer().accountId();
        int k = a.assignment().reviewsPerSubmission();
        Instant leaseUntil = min(now.plus(LEASE), a.reviewBy());
        String course = a.courseId(), cohort = a.cohortId(), module = a.moduleId();
        // Everything that must see the database as it is now happens in one call (review_next, V034). The ranking is
        // made once a connection is free for the call, from the module's pool as shared by the reviewers asking at
        // this moment plus the claims made here since: ranked earlier, a thousand reviewers asking at once would all
        // rank the same few submissions first and find them taken.
        java.util.function.Function<SqlClient, Future<Claim>> rankAndClaim = db -> snapshots
                .at(course, cohort, module, now, () -> store.pool(reads, course, cohort, module, now)).compose(snapshot -> {
                    List<Candidate> candidates = snapshot.candidates();
                    int expected = snapshot.expectedRemaining(k);
                    // What the reviewer reviewed or holds is passed over in the database, which knows it as it is now.
                    // It tries at most TRIES, so it gets the head of each list; the whole lists only if it asks for more.
                    ReviewPicker.Heads heads = ReviewPicker.heads(candidates, me, k, expected, HEAD);
                    List<Long> ranked = ids(heads.ranked());
                    List<Long> extras = ids(heads.extras());
                    return next(db, snapshot, course, cohort, module, me, ranked, ranked.size() < HEAD, extras, extras.size() < HEAD, now,
                            leaseUntil, k).compose(claim -> claim != null ? Future.succeededFuture(claim)
                            : next(db, snapshot, course, cohort, module, me, ids(ReviewPicker.order(candidates, me, Set.of(), k, expected)), true,
                                    ids(ReviewPicker.extras(candidates, me)), true, now, leaseUntil, k));
                });
        // Without an idempotency key the call is one statement in its own transaction: locks live only inside the database.
        if (once == null || !once.key().present()) return pool.withConnection(rankAndClaim::apply);
        return idempotency.transaction(pool, once, now, rankAndClaim::apply);
    }

    private static List<Long> ids(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::id).toList();
    }

    /** The claim, or null when the database asked for the whole lists ("more"). */
    private Future<Claim> next(SqlClient db, PoolSnapshots.Snapshot snapshot, String course, String cohort, String module, long me,
            List<Long> ranked, boolean rankedAll, List<Long> extras, boolean extrasAll, Instant now, Instant leaseUntil, int k) {
        return store.next(db, course, cohort, module, me, ranked, rankedAll, extras, extrasAll, now, leaseUntil, k, TRIES).compose(o -> switch (o.outcome()) {
            case "claimed", "held" -> {
                if (o.outcome().equals("claimed")) snapshot.claimed(o.submissionId());
                yield Future.succeededFuture(new Claim(o.reviewId(), o.submissionId(), o.extra(), o.leaseUntil()));
            }
            case "submit-first" -> Future.failedFuture(new HttpProblem(409, "review.submitFirst"));
            case "busy" -> Future.failedFuture(new HttpProblem(409, BUSY));
            case "more" -> Future.succeededFuture(null);
            default -> Future.failedFuture(new HttpProblem(409, "review.nothingToReview"));
        });
    }

    /** A review with the assignment it belongs to, for its reviewer only (others get 404: reviews are anonymous). */
    public record ReviewAccess(AssignmentAccess a, ReviewStore.ReviewWithSubmission review) {
    }

    public Future<ReviewAccess> reviewForReviewer(Viewer viewer, long reviewId) {
        viewer.require();
        return store.review(reads, reviewId).compose(found -> {
            if (found.isEmpty() || found.get().review().reviewerId() != viewer.accountId()) return Future.failedFuture(HttpProblem.notFound());
            // (ReviewRules.seeReview: the reviewer sees their own review at any time.)
            var r = found.get();
            return assignment(viewer, r.courseId(), r.cohortId(), r.moduleId()).map(a -> new ReviewAccess(a, r));
        });
    }

    /**
     * A review the viewer just claimed in {@code a} ("review next" over the API): the same answer as
     * {@link #reviewForReviewer(Viewer, long)} without reading their access to the assignment a second time.
     */
    public Future<ReviewAccess> reviewForReviewer(AssignmentAccess a, long reviewId) {
        long me = a.access().viewer().accountId();
        return store.review(reads, reviewId).map(found -> {
            var r = found.orElseThrow(HttpProblem::notFound);
            if (!r.courseId().equals(a.courseId()) || !r.cohortId().equals(a.cohortId()) || !r.moduleId().equals(a.moduleId())) {
                throw HttpProblem.notFound();
            }
            rules.seeReview(me, r.review().reviewerId(), r.submission().authorId(), r.review().completed(),
                    "removed".equals(r.review().flagState()), a.phase(clock.instant())).require();
            return new ReviewAccess(a, r);
        });
    }

    /** The same, for the author of the reviewed work once their review window closed. */
    public Future<ReviewAccess> reviewForAuthor(Viewer viewer, long reviewId) {
        viewer.require();
        return store.review(reads, reviewId).compose(found -> {
            if (found.isEmpty() || found.get().submission().authorId() != viewer.accountId()) return Future.failedFuture(HttpProblem.notFound());
            var r = found.get();
            return assignment(viewer, r.courseId(), r.cohortId(), r.moduleId()).map(a -> {
                // A review the author flagged stays theirs to act on (a second flag is refused with a reason, not a 404).
                rules.seeReview(viewer.accountId(), r.review().reviewerId(), r.submission().authorId(), r.review().completed(),
                        "removed".equals(r.review().flagState()), a.phase(clock.instant())).require();
                return new ReviewAccess(a, r);
            });
        });
    }

    /** Saves a review: one level per rubric criterion and a comment; editable until the review deadline. */
    public Future<Void> saveReview(ReviewAccess ra, Map<String, Object> rawScores, String rawComment, Idempotent<Void> once) {
        Instant now = clock.instant();
        // The reviewer's own deadline, and the author's: in a self-paced cohort the author's window may close first.
        Decision may = rules.saveReview(ra.a(), ra.review().submission().gradeDue(), now);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        JsonObject scores = checkScores(ra.a().assignment(), rawScores);
        String comment = rawComment == null ? "" : rawComment.strip();
        if (comment.length() < MIN_COMMENT) return Future.failedFuture(HttpProblem.invalid("comment", "review.commentTooShort", MIN_COMMENT));
        if (comment.length() > MAX_COMMENT) return Future.failedFuture(HttpProblem.invalid("comment", "review.commentTooLong", MAX_COMMENT));
        // Refused inside the transaction, so a refusal leaves no idempotency key behind.
        return idempotency.transaction(pool, once, now, tx -> store.saveReview(tx, ra.review().review().id(), ra.a().access().viewer().accountId(), scores, comment, now)
                .compose(saved -> saved ? Future.<Void>succeededFuture() : Future.failedFuture(new HttpProblem(409, "review.expired"))))
                // Counted when the review is first completed, not at every later edit.
                .onSuccess(v -> {
                    snapshots.forget(ra.a().courseId(), ra.a().cohortId(), ra.a().moduleId()); // a finished review moves the ranking
                    if (!ra.review().review().completed()) activity.record(ra.a().access(), ra.a().moduleId(), ActivityRecorder.Kind.REVIEWS);
                });
    }

    /** Every criterion scored with one of its levels; nothing else. */
    static JsonObject checkScores(AssignmentDefinition assignment, Map<String, Object> raw) {
        JsonObject scores = new JsonObject();
        for (String key : raw.keySet()) {
            if (assignment.rubric().stream().noneMatch(c -> c.id().equals(key))) throw HttpProblem.badRequest("review.unknownCriterion", key);
        }
        for (Criterion c : assignment.rubric()) {
            Object value = raw.get(c.id());
            if (value == null || (value instanceof String s && s.isBlank())) throw HttpProblem.invalid("score-" + c.id(), "review.scoreMissing", c.title());
            int points;
            try {
                points = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.intValue() : Integer.parseInt(value.toString().trim());
            } catch (NumberFormatException e) {
                throw HttpProblem.invalid("score-" + c.id(), "review.badLevel", c.title());
            }
            if (c.levels().stream().noneMatch(l -> l.points() == points)) throw HttpProblem.invalid("score-" + c.id(), "review.badLevel", c.title());
            scores.put(c.id(), points);
        }
        return scores;
    }

    /**
     * The author scores their own work with the rubric (when the assignment asks for it): after submitting,
     * until the review deadline. It is shown beside the peer grade and never counts in it.
     */
    public Future<Void> saveSelfAssessment(AssignmentAccess a, Map<String, Object> rawScores, String rawComment) {
        Instant now = clock.instant();
        Decision may = rules.selfAssess(a, now);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        JsonObject scores = checkScores(a.assignment(), rawScores);
        String comment = rawComment == null ? "" : rawComment.strip();
        if (comment.length() > MAX_COMMENT) return Future.failedFuture(HttpProblem.invalid("comment", "review.commentTooLong", MAX_COMMENT));
        return store.mine(pool, a.courseId(), a.cohortId(), a.moduleId(), a.access().viewer().accountId()).compose(mine -> {
            if (mine.isEmpty() || !mine.get().submitted()) return Future.failedFuture(new HttpProblem(409, "self.submitFirst"));
            return store.saveSelf(pool, mine.get().id(), scores, comment.isEmpty() ? null : comment, now);
        });
    }

    /** The author rates how helpful a review was (1–5); they may change their mind. */
    public Future<Void> rate(ReviewAccess ra, Integer helpful) {
        if (helpful == null || helpful < 1 || helpful > 5) return Future.failedFuture(HttpProblem.badRequest("review.badRating"));
        return store.rate(pool, ra.review().review().id(), helpful).mapEmpty();
    }

    /** The author flags a review as abusive: it is hidden from them until a facilitator decides. */
    public Future<Void> flag(ReviewAccess ra, String rawReason, Idempotent<Void> once) {
        String reason = rawReason == null ? "" : rawReason.strip();
        if (reason.length() > MAX_REASON) return Future.failedFuture(HttpProblem.badRequest("review.reasonTooLong", MAX_REASON));
        Instant now = clock.instant();
        AssignmentAccess a = ra.a();
        long reviewId = ra.review().review().id();
        // The facilitators are told (once each, coalesced with other alerts): where they decide is the submissions overview.
        var event = new org.knowmad.notify.FacilitatorAlerts.Event("report:" + reviewId, "report", a.access().ref().cohortId(),
                a.path() + "/submissions", a.assignment().title(), reason.isEmpty() ? null : reason, a.access().viewer().account().email());
        return idempotency.transaction(pool, once, now, tx -> store.flag(tx, reviewId, reason.isEmpty() ? null : reason, now)
                .compose(done -> done ? alerts.record(tx, a.access().ref().course(), event, now)
                        : Future.failedFuture(new HttpProblem(409, "review.alreadyFlagged"))));
    }

    // ---- facilitators ----

    private void requireFacilitator(AssignmentAccess a) {
        rules.oversee(a).require();
    }

    /** One submission as facilitators see it. */
    public record SubmissionStatus(ReviewStore.AuthoredSubmission submission, List<ReviewStore.ReviewRow> reviews,
                                   Optional<ReviewStore.GradeRow> grade, int completed, int openClaims, int shortfall, int pendingFlags,
                                   String queueReason, Optional<ReviewStore.SelfAssessment> self) {
    }

    /**
     * Every submission with its reviews, claims, shortfall, flags and grade; the backstop queue is the ones with a
     * {@code queueReason}, most reviews missing first.
     */
    public Future<List<SubmissionStatus>> submissions(AssignmentAccess a) {
        requireFacilitator(a);
        Instant now = clock.instant();
        return store.submissions(reads, a.courseId(), a.cohortId(), a.moduleId()).compose(subs ->
                store.reviewsOfModule(reads, a.courseId(), a.cohortId(), a.moduleId()).compose(reviews ->
                        store.grades(reads, a.courseId(), a.cohortId(), a.moduleId()).compose(grades ->
                                store.selves(reads, a.courseId(), a.cohortId(), a.moduleId()).map(selves -> {
                            Map<Long, List<ReviewStore.ReviewRow>> bySubmission = new HashMap<>();
                            for (ReviewStore.ReviewRow r : reviews) bySubmission.computeIfAbsent(r.submissionId(), x -> new ArrayList<>()).add(r);
                            List<SubmissionStatus> list = new ArrayList<>();
                            for (ReviewStore.AuthoredSubmission s : subs) {
                                List<ReviewStore.ReviewRow> rs = bySubmission.getOrDefault(s.submission().id(), List.of());
                                int completed = (int) rs.stream().filter(r -> r.completed() && !"removed".equals(r.flagState())).count();
                                int open = (int) rs.stream().filter(r -> !r.completed() && r.leaseUntil().isAfter(now)).count();
                                int shortfall = Math.max(0, a.assignment().reviewsPerSubmission() - completed);
                                int flags = (int) rs.stream().filter(r -> "pending".equals(r.flagState())).count();
                                Optional<ReviewStore.GradeRow> grade = Optional.ofNullable(grades.get(s.submission().id()));
                                list.add(new SubmissionStatus(s, rs, grade, completed, open, shortfall, flags,
                                        queueReason(s.submission(), grade, shortfall, flags, now), Optional.ofNullable(selves.get(s.submission().id()))));
                            }
                            return list;
                        }))));
    }

    /** Why a facilitator should look at a submission, or null. */
    static String queueReason(ReviewStore.SubmissionRow s, Optional<ReviewStore.GradeRow> grade, int shortfall, int flags, Instant now) {
        if (flags > 0) return "flagged";
        if (grade.isPresent() && grade.get().overridePoints() != null) return null;
        boolean windowClosed = s.gradeDue() != null && !now.isBefore(s.gradeDue());
        if (windowClosed && shortfall > 0) return s.late() ? "short_late" : "short";
        if (grade.isPresent() && !grade.get().trusted() && grade.get().reason() != null && !"too_few_reviews".equals(grade.get().reason())) {
            return grade.get().reason();
        }
        return null;
    }

    public Future<Void> overrideGrade(AssignmentAccess a, long submissionId, String rawPoints, String rawNote) {
        requireFacilitator(a);
        Double points = null;
        if (rawPoints != null && !rawPoints.isBlank()) {
            try {
                points = Double.parseDouble(rawPoints.trim().replace(',', '.'));
            } catch (NumberFormatException e) {
                return Future.failedFuture(HttpProblem.invalid("points", "grade.badPoints", a.maxPoints()));
            }
            if (points < 0 || points > a.maxPoints() || points.isNaN()) return Future.failedFuture(HttpProblem.invalid("points", "grade.badPoints", a.maxPoints()));
        }
        String note = rawNote == null ? "" : rawNote.strip();
        if (points != null && note.isEmpty()) return Future.failedFuture(HttpProblem.invalid("note", "grade.noteRequired"));
        if (note.length() > MAX_REASON) return Future.failedFuture(HttpProblem.invalid("note", "review.reasonTooLong", MAX_REASON));
        Double value = points;
        return inModule(a, submissionId).compose(v -> store.override(pool, submissionId, value, note.isEmpty() ? null : note,
                        a.access().viewer().accountId(), clock.instant()))
                .compose(done -> done ? Future.<Void>succeededFuture() : Future.failedFuture(new HttpProblem(409, "grade.notYet")));
    }

    public Future<Void> decideFlag(AssignmentAccess a, long reviewId, boolean keep) {
        requireFacilitator(a);
        return store.review(reads, reviewId).compose(found -> {
            if (found.isEmpty() || !sameModule(a, found.get())) return Future.failedFuture(HttpProblem.notFound());
            long submissionId = found.get().review().submissionId();
            Instant now = clock.instant();
            return pool.withTransaction(tx -> store.decideFlag(tx, reviewId, keep).compose(done -> {
                if (!done) return Future.failedFuture(new HttpProblem(409, "review.notFlagged"));
                return keep ? Future.<Void>succeededFuture() : regradeIfGraded(tx, a, submissionId, now);
            })).onSuccess(v -> snapshots.forget(a.courseId(), a.cohortId(), a.moduleId())); // a removed review frees a slot
        });
    }

    /** A removed review must not count in a grade already given: work the grade out again without it. */
    private Future<Void> regradeIfGraded(SqlClient tx, AssignmentAccess a, long submissionId, Instant now) {
        return store.grade(tx, submissionId).compose(grade -> {
            if (grade.isEmpty()) return Future.succeededFuture();
            var module = new ReviewStore.ModuleKey(a.courseId(), a.cohortId(), a.moduleId());
            return store.moduleScores(tx, module).compose(scores -> {
                var again = ReviewJob.grades(a.assignment(), scores, List.of(new ReviewStore.DueSubmission(submissionId, null, null)));
                return store.regrade(tx, again.get(0), now);
            });
        });
    }

    private Future<Void> inModule(AssignmentAccess a, long submissionId) {
        return store.inModule(reads, submissionId, a.courseId(), a.cohortId(), a.moduleId())
                .compose(found -> found ? Future.<Void>succeededFuture() : Future.failedFuture(HttpProblem.notFound()));
    }

    private static boolean sameModule(AssignmentAccess a, ReviewStore.ReviewWithSubmission r) {
        return r.courseId().equals(a.courseId()) && r.cohortId().equals(a.cohortId()) && r.moduleId().equals(a.moduleId());
    }

    private static Instant min(Instant x, Instant y) {
        return x.isBefore(y) ? x : y;
    }
}
