package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.knowmad.cohort.CohortAccess;

/** The cohort roster for its facilitators: who is there, and how each takes part. */
public final class RosterService {

    private final Pool reads;
    private final Clock clock;
    private final RosterStore store;
    private final PulseRules rules;

    public RosterService(Pool reads, Clock clock, RosterStore store, PulseRules rules) {
        this.reads = reads;
        this.clock = clock;
        this.store = store;
        this.rules = rules;
    }

    public PulseRules rules() {
        return rules;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The moments the roster is measured against now: this week (course zone) and "not seen for {@code quietDays} days". */
    static RosterStore.At at(CohortAccess access, Instant now, int quietDays) {
        return new RosterStore.At(now, WeekSummaries.weekStart(now, access.ref().course().definition().zone()),
                now.minus(Duration.ofDays(quietDays)));
    }

    /** One page of the roster (all of it for {@link RosterQuery#everyone()}); facilitators only. */
    public Future<RosterStore.Page> roster(CohortAccess access, RosterQuery query) {
        return rules.seeRoster(access).future().compose(v -> {
            RosterStore.At at = at(access, now(), RosterFilter.UNSEEN_DAYS);
            return store.page(reads, access.ref().courseId(), access.ref().cohortId(), at, query);
        });
    }
}
