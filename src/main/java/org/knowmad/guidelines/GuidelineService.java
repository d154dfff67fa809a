package org.knowmad.guidelines;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.cohort.CohortStore;
import org.knowmad.cohort.Decision;
import org.knowmad.course.CohortGuidelinesDefinition;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;

/**
 * A cohort's own guidelines: proposals and votes while the window is open, versions facilitators adopt, and the
 * set that stands beside every reply form (the adopted version, else the course file's guidelines).
 *
 * <p>The standing set is read on the busiest pages (cohort home, threads), so each node keeps it for
 * {@link #FRESH} per cohort; an adoption on this node is seen at once, on another node within that time.
 */
public final class GuidelineService {

    static final Duration FRESH = Duration.ofSeconds(10);
    public static final int MAX_BODY = 280;
    static final int MAX_WINDOW_DAYS = 60;

    /** What stands now, and whether it is the course file's set (version 0) or an adopted one. */
    public record Standing(int version, Instant adoptedAt, List<GuidelineStore.Item> items) {

        public List<String> texts() {
            return items.stream().map(GuidelineStore.Item::body).toList();
        }
    }

    /** The proposals' state for one cohort at one moment: switched on by the course, open now, open until. */
    public record Window(boolean switchedOn, boolean open, Instant until) {
    }

    private record Cached(long expiresAtNanos, Future<GuidelineStore.Version> version) {
    }

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final GuidelineRules rules;
    private final GuidelineStore store = new GuidelineStore();
    private final CohortStore cohorts;
    private final IdempotencyStore idempotency;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public GuidelineService(Pool pool, Pool reads, Clock clock, GuidelineRules rules, CohortStore cohorts, IdempotencyStore idempotency) {
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.rules = rules;
        this.cohorts = cohorts;
        this.idempotency = idempotency;
    }

    public GuidelineRules rules() {
        return rules;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The guidelines that stand in this cohort now (the course file's until a version is adopted). */
    public Future<Standing> standing(CohortRef ref) {
        return version(ref).map(v -> v.version() == 0
                ? new Standing(0, null, ref.course().definition().guidelines().stream()
                        .map(text -> new GuidelineStore.Item(text, null, null, null, null, false)).toList())
                : new Standing(v.version(), v.adoptedAt(), v.items()));
    }

    private Future<GuidelineStore.Version> version(CohortRef ref) {
        if (ref.course().definition().cohortGuidelines() == null) return Future.succeededFuture(GuidelineStore.Version.NONE);
        String key = ref.courseId() + "/" + ref.cohortId();
        long now = System.nanoTime();
        Cached c = cache.get(key);
        if (c != null && c.expiresAtNanos() - now > 0 && !c.version().failed()) {
            // A kept future belongs to the event loop that loaded it: its listeners would run there. The value is
            // handed out afresh, so every request goes on on its own loop (a thread page did most of its work on one).
            return c.version().succeeded() ? Future.succeededFuture(c.version().result()) : c.version();
        }
        Future<GuidelineStore.Version> loading = store.current(reads, ref.courseId(), ref.cohortId());
        cache.put(key, new Cached(now + FRESH.toNanos(), loading));
        return loading;
    }

    /** Whether proposals are open: a facilitator's window if set, else the course file's after the cohort starts. */
    public Future<Window> window(CohortRef ref) {
        CohortGuidelinesDefinition def = ref.course().definition().cohortGuidelines();
        if (def == null) return Future.succeededFuture(new Window(false, false, null));
        return store.window(reads, ref.courseId(), ref.cohortId()).map(set -> {
            Instant starts = ref.cohort().starts() == null ? null : ref.cohort().starts().atZone(ref.course().definition().zone()).toInstant();
            Instant until = set.orElse(starts == null ? null : starts.plus(def.proposeFor()));
            Instant now = clock.instant();
            boolean open = until != null && now.isBefore(until) && (set.isPresent() || starts == null || !now.isBefore(starts));
            return new Window(true, open, until);
        });
    }

    public record Page(Window window, Standing standing, List<GuidelineStore.Proposal> proposals, List<GuidelineStore.VersionRow> versions) {
    }

    public Future<Page> page(CohortAccess a) {
        Decision may = rules.see(a);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        if (a.ref().course().definition().cohortGuidelines() == null) return Future.failedFuture(HttpProblem.notFound());
        long me = a.viewer().signedIn() ? a.viewer().accountId() : 0;
        Future<Window> window = window(a.ref());
        Future<Standing> standing = standing(a.ref());
        Future<List<GuidelineStore.Proposal>> proposals = store.proposals(reads, a.ref().courseId(), a.ref().cohortId(), me);
        Future<List<GuidelineStore.VersionRow>> versions = store.versions(reads, a.ref().courseId(), a.ref().cohortId());
        return Future.all(window, standing, proposals, versions)
                .map(all -> new Page(window.result(), standing.result(), proposals.result(), versions.result()));
    }

    public Future<Long> propose(CohortAccess a, String rawBody, boolean anonymous, Idempotent<Long> once) {
        String body = rawBody == null ? "" : rawBody.strip();
        return window(a.ref()).compose(w -> {
            rules.propose(a, w.switchedOn(), w.open()).require();
            if (body.isEmpty()) throw HttpProblem.badRequest("guidelines.bodyRequired");
            if (body.length() > MAX_BODY) throw HttpProblem.badRequest("guidelines.bodyTooLong", MAX_BODY);
            Instant now = clock.instant();
            return idempotency.transaction(pool, once, now, tx ->
                    store.propose(tx, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId(), anonymous, body, now));
        });
    }

    public Future<Void> vote(CohortAccess a, long proposal, boolean on) {
        return Future.all(window(a.ref()), store.proposalAuthor(reads, proposal, a.ref().courseId(), a.ref().cohortId())).compose(both -> {
            Window w = both.resultAt(0);
            Optional<Long> author = both.resultAt(1);
            rules.see(a).require();
            if (author.isEmpty()) throw HttpProblem.notFound();
            rules.vote(a, w.switchedOn(), w.open(), author.get() == a.viewer().accountId()).require();
            return store.vote(pool, proposal, a.viewer().accountId(), on, clock.instant());
        });
    }

    public Future<Void> withdraw(CohortAccess a, long proposal) {
        return Future.all(window(a.ref()), store.proposalAuthor(reads, proposal, a.ref().courseId(), a.ref().cohortId())).compose(both -> {
            Window w = both.resultAt(0);
            Optional<Long> author = both.resultAt(1);
            rules.see(a).require();
            if (author.isEmpty()) throw HttpProblem.notFound();
            rules.withdraw(a, w.switchedOn(), w.open(), author.get() == a.viewer().accountId()).require();
            return store.withdraw(pool, proposal, clock.instant());
        });
    }

    /**
     * A facilitator adopts a new version: some of the course file's guidelines (by position) and some proposals
     * (by id, in the order given). Positions out of range are a 400; proposals of another cohort are not taken.
     */
    public Future<Integer> adopt(CohortAccess a, List<Integer> coursePositions, List<Long> proposals, Idempotent<Integer> once) {
        return Future.<Void>succeededFuture().compose(x -> adoptChecked(a, coursePositions, proposals, once));
    }

    private Future<Integer> adoptChecked(CohortAccess a, List<Integer> coursePositions, List<Long> proposals, Idempotent<Integer> once) {
        rules.adopt(a, a.ref().course().definition().cohortGuidelines() != null).require();
        List<String> fromCourse = new ArrayList<>();
        List<String> all = a.ref().course().definition().guidelines();
        for (Integer p : coursePositions) {
            if (p == null || p < 0 || p >= all.size()) throw HttpProblem.badRequest("guidelines.noSuchCourseGuideline");
            fromCourse.add(all.get(p));
        }
        if (fromCourse.isEmpty() && proposals.isEmpty()) throw HttpProblem.badRequest("guidelines.nothingChosen");
        Instant now = clock.instant();
        return idempotency.transaction(pool, once, now, tx ->
                store.adopt(tx, a.ref().courseId(), a.ref().cohortId(), fromCourse, proposals, a.viewer().accountId(), now))
                .onSuccess(v -> cache.remove(a.ref().courseId() + "/" + a.ref().cohortId()));
    }

    /** A facilitator opens proposals for {@code days} from now, or closes them ({@code days} 0). */
    public Future<Void> setWindow(CohortAccess a, Integer days) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.adopt(a, a.ref().course().definition().cohortGuidelines() != null).require();
            if (days == null || days < 0 || days > MAX_WINDOW_DAYS) throw HttpProblem.badRequest("guidelines.badWindow", MAX_WINDOW_DAYS);
            Instant now = clock.instant();
            return store.setWindow(pool, a.ref().courseId(), a.ref().cohortId(), now.plus(Duration.ofDays(days)), a.viewer().accountId());
        });
    }

    /** A participant accepts the guidelines as they stand now. */
    public Future<Void> accept(CohortAccess a) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.accept(a, a.ref().course().definition().cohortGuidelines() != null).require();
            return cohorts.acceptGuidelines(pool, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId(), clock.instant())
                    .compose(done -> done ? Future.<Void>succeededFuture() : Future.failedFuture(HttpProblem.forbidden()));
        });
    }
}
