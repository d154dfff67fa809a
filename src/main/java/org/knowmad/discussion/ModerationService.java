package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.Decision;
import org.knowmad.notify.FacilitatorAlerts;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;

/**
 * Keeping a cohort's discussion safe: anyone in the cohort flags a post with a reason; enough flags hide
 * it until a facilitator reviews it; facilitators hide, restore and silence participants.
 */
public final class ModerationService {

    static final int MAX_REASON = 500;

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final ModerationStore store;
    private final DiscussionService discussions;
    private final int flagsToHide;

    private final IdempotencyStore idempotency;
    private final FacilitatorAlerts alerts;

    public ModerationService(Pool pool, Pool reads, Clock clock, ModerationStore store, DiscussionService discussions, int flagsToHide,
                             IdempotencyStore idempotency, FacilitatorAlerts alerts) {
        this.idempotency = idempotency;
        this.alerts = alerts;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.store = store;
        this.discussions = discussions;
        this.flagsToHide = flagsToHide;
    }

    /** Flags a post (once per person); answers whether it is hidden now. */
    public Future<ModerationStore.FlagResult> flag(DiscussionService.ThreadAccess t, int number, String rawReason,
                                                   Idempotent<ModerationStore.FlagResult> once) {
        long me = t.access().viewer().accountId();
        String reason = rawReason == null ? "" : rawReason.strip();
        if (reason.isEmpty()) return Future.failedFuture(HttpProblem.badRequest("flag.reasonRequired"));
        if (reason.length() > MAX_REASON) return Future.failedFuture(HttpProblem.badRequest("flag.reasonTooLong", MAX_REASON));
        return discussions.post(t, number)
                .compose(owner -> {
                    Decision may = discussions.rules().flag(t.access(), t.module(), owner.authorId(), owner.deleted());
                    if (!may.allowed()) return Future.failedFuture(may.refusal());
                    Instant now = clock.instant();
                    return idempotency.transaction(pool, once, now, tx -> store.flag(tx, t.thread().id(), number, me, reason, now, flagsToHide)
                            .compose(result -> result.added() ? alertFacilitators(tx, t, number, reason, now).map(result) : Future.succeededFuture(result))
                            .compose(result -> result.hidden()
                                    ? discussions.notifyChange(tx, t, number, "post-changed").map(result)
                                    : Future.succeededFuture(result)));
                });
    }

    /** A new flag is the facilitators' to look at: each is told once (mailed with others that arrive at the same time). */
    private Future<Void> alertFacilitators(SqlClient tx, DiscussionService.ThreadAccess t, int number, String reason, Instant now) {
        var ref = t.access().ref();
        String path = ref.path() + "/threads/" + t.thread().id() + (number > 1 ? "?after=" + (number - 1) : "") + "#post-" + number;
        var event = new FacilitatorAlerts.Event("flag:" + t.thread().id() + ":" + number + ":" + t.access().viewer().accountId(), "flag",
                ref.cohortId(), path, t.thread().title(), reason, t.access().viewer().account().email());
        return alerts.record(tx, ref.course(), event, now);
    }

    public Future<Void> hide(DiscussionService.ThreadAccess t, int number) {
        requireFacilitator(t.access());
        return discussions.owner(t, number).compose(owner -> pool.withTransaction(tx ->
                store.hide(tx, t.thread().id(), number, t.access().viewer().accountId(), clock.instant())
                        .compose(done -> discussions.notifyChange(tx, t, number, "post-changed"))));
    }

    /** Shows a hidden post again; its flags no longer hide it. */
    public Future<Void> restore(DiscussionService.ThreadAccess t, int number) {
        requireFacilitator(t.access());
        return discussions.owner(t, number).compose(owner -> pool.withTransaction(tx ->
                store.restore(tx, t.thread().id(), number, clock.instant())
                        .compose(done -> discussions.notifyChange(tx, t, number, "post-changed"))));
    }

    public Future<List<ModerationStore.Flagged>> queue(CohortAccess access) {
        requireFacilitator(access);
        return store.queue(reads, access.ref().courseId(), access.ref().cohortId());
    }

    public Future<Void> silence(CohortAccess access, long accountId, boolean silenced) {
        requireFacilitator(access);
        var ref = access.ref();
        return silenced
                ? store.silence(pool, ref.courseId(), ref.cohortId(), accountId, access.viewer().accountId(), clock.instant())
                        .compose(found -> found ? Future.<Void>succeededFuture() : Future.failedFuture(new HttpProblem(404, "silence.noSuchAccount")))
                : store.unsilence(pool, ref.courseId(), ref.cohortId(), accountId);
    }

    private void requireFacilitator(CohortAccess access) {
        discussions.rules().moderate(access).require();
    }
}
