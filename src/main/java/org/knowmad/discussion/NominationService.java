package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.cohort.ModuleView;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;

/**
 * Questions for the closing meetup: a thread's author or a facilitator nominates it; participants vote
 * once each; the ranking is what the meetup's agenda is built from.
 */
public final class NominationService {

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final NominationStore store;
    private final DiscussionService discussions;

    private final IdempotencyStore idempotency;
    private final ActivityRecorder activity;

    public NominationService(Pool pool, Pool reads, Clock clock, NominationStore store, DiscussionService discussions, IdempotencyStore idempotency,
                             ActivityRecorder activity) {
        this.activity = activity;
        this.idempotency = idempotency;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.store = store;
        this.discussions = discussions;
    }

    public Future<Void> nominate(DiscussionService.ThreadAccess t, boolean on) {
        var viewer = t.access().viewer();
        return discussions.rules().nominate(t.access(), t.module(), t.thread()).future().compose(v -> on
                ? store.nominate(pool, t.thread().id(), viewer.accountId(), clock.instant())
                : store.withdraw(pool, t.thread().id()));
    }

    /** Votes for a nominated question (or takes the vote back); answers its votes. */
    public Future<Integer> vote(DiscussionService.ThreadAccess t, boolean on, Idempotent<Integer> once) {
        long me = t.access().viewer().accountId();
        Instant now = clock.instant();
        // The refusal is decided inside the transaction, so a refused vote leaves no idempotency key behind.
        return discussions.rules().vote(t.access()).future()
                .compose(v -> idempotency.transaction(pool, once, now, tx -> store.vote(tx, t.thread().id(), me, on, now)
                        .compose(votes -> votes < 0 ? Future.failedFuture(new HttpProblem(404, "nomination.notNominated")) : Future.succeededFuture(votes))))
                // A vote for a café question is a reaction, like marking a post helpful.
                .onSuccess(votes -> {
                    if (on) activity.record(t.access(), t.module().id(), ActivityRecorder.Kind.REACTIONS);
                });
    }

    /**
     * The same, read before the thread's access is checked (beside it, to save a round trip): the caller shows it only
     * once {@link DiscussionService#thread} has let the viewer in.
     */
    public Future<NominationStore.Nomination> stateAhead(org.knowmad.web.Viewer viewer, long threadId) {
        return store.state(reads, threadId, viewer.signedIn() ? viewer.accountId() : 0);
    }

    public Future<NominationStore.Nomination> state(DiscussionService.ThreadAccess t) {
        var viewer = t.access().viewer();
        return store.state(reads, t.thread().id(), viewer.signedIn() ? viewer.accountId() : 0);
    }

    /** The cohort's nominated questions the viewer may see, most votes first. */
    public Future<List<NominationStore.Question>> ranked(CohortAccess access) {
        var cohortRules = discussions.rules().cohorts();
        if (!cohortRules.readModules(access).allowed()) return Future.failedFuture(cohortRules.readModules(access).refusal());
        List<String> open = cohortRules.readableModules(access, CohortService.modules(access, clock.instant()));
        long viewerId = access.viewer().accountId();
        return store.ranked(reads, access.ref().courseId(), access.ref().cohortId(), open, viewerId);
    }
}
