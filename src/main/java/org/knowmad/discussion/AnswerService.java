package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import org.knowmad.cohort.Decision;
import org.knowmad.web.HttpProblem;

/**
 * What a thread settled on and how its posts came to read as they do: the answer that helped (Discourse's
 * "solved"), marked by the person who asked or a facilitator, and each post's edit history.
 */
public final class AnswerService {

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final DiscussionStore store;
    private final DiscussionService discussions;

    public AnswerService(Pool pool, Pool reads, Clock clock, DiscussionStore store, DiscussionService discussions) {
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.store = store;
        this.discussions = discussions;
    }

    public ThreadRules rules() {
        return discussions.rules();
    }

    /** Marks post {@code number} as the answer that helped (replacing an earlier mark); marking it again changes nothing. */
    public Future<Void> markSolved(DiscussionService.ThreadAccess t, int number) {
        return discussions.post(t, number).compose(owner -> {
            Decision may = rules().markSolved(t.access(), t.module(), t.thread(), number, owner.deleted(), owner.hidden());
            if (!may.allowed()) return Future.failedFuture(may.refusal());
            if (t.thread().solvedNumber() != null && t.thread().solvedNumber() == number) return Future.succeededFuture();
            return pool.withTransaction(tx -> store.solve(tx, t.thread().id(), number, t.access().viewer().accountId(), clock.instant())
                    .compose(done -> discussions.notifyChange(tx, t, number, "thread-changed")));
        });
    }

    /** Takes the mark away (nothing to do when there is none). */
    public Future<Void> unmarkSolved(DiscussionService.ThreadAccess t) {
        Decision may = rules().unmarkSolved(t.access(), t.module(), t.thread());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        if (t.thread().solvedNumber() == null) return Future.succeededFuture();
        return pool.withTransaction(tx -> store.solve(tx, t.thread().id(), null, t.access().viewer().accountId(), clock.instant())
                .compose(done -> discussions.notifyChange(tx, t, 0, "thread-changed")));
    }

    /** The post marked as the answer, as the viewer may see it, or null when none (or the viewer may not see it). */
    public Future<PostRow> answer(DiscussionService.ThreadAccess t) {
        Integer n = t.thread().solvedNumber();
        if (n == null) return Future.succeededFuture(null);
        return discussions.posts(t, n - 1, 1).map(posts -> posts.stream()
                .filter(p -> p.number() == n && !p.deleted() && (!p.hidden() || rules().seeHidden(t.access(), p.authorId())))
                .findFirst().orElse(null));
    }

    /** A post's versions, oldest first, for those who may see its history. */
    public Future<History> history(DiscussionService.ThreadAccess t, int number) {
        // A reply-first answer the viewer may not see yet has no history for them either (404, as the post itself).
        return discussions.visiblePost(t, number).compose(visible -> store.history(reads, t.thread().id(), number)).map(found -> {
            DiscussionStore.StoredHistory h = found.orElseThrow(HttpProblem::notFound);
            rules().seeHistory(t.access(), t.module(), h.authorId(), h.deleted(), h.hidden()).require();
            return new History(number, h.deleted(), PostHistory.versions(h));
        });
    }

    /** What the history page and API show: the versions, never who made the edits (only the author edits). */
    public record History(int number, boolean deleted, List<PostHistory.Version> versions) {
    }
}
