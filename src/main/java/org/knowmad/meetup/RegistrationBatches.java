package org.knowmad.meetup;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a node's registrations for one meetup to the database as few calls as arrive together: while a call for a
 * meetup runs, the registrations that come in for it wait and then go as the next call, in arrival order
 * ({@code meetup_register_all}, V039). One registration alone goes at once, so nobody waits for a timer.
 *
 * <p>Why: every call takes the meetup's lock and PostgreSQL's lock for ordering NOTIFYs at commit, and a burst of
 * single calls spent its time handing those locks from one waiting backend to the next (issue #13, target 3). A
 * call that fails fails every registration in it the same way; none of it was written (one statement).
 */
final class RegistrationBatches {

    /** At most this many registrations in one call (one statement's parameters stay a few hundred KiB). */
    static final int MAX = 200;

    private final Pool pool;
    private final MeetupStore store;
    /** Per meetup ("course/cohort"): registrations waiting while a call runs; absent when no call runs. */
    private final Map<String, ArrayDeque<Waiting>> running = new HashMap<>();

    private record Waiting(MeetupStore.NewRegistration registration, Promise<MeetupStore.Outcome> answer, Context context) {
    }

    RegistrationBatches(Pool pool, MeetupStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Registers one person (or finds their idempotency key used before). */
    Future<MeetupStore.Outcome> register(MeetupStore.NewRegistration registration) {
        Waiting waiting = new Waiting(registration, Promise.promise(), Vertx.currentContext());
        String meetup = registration.courseId() + '/' + registration.cohortId();
        synchronized (running) {
            ArrayDeque<Waiting> queue = running.get(meetup);
            if (queue != null) {
                queue.add(waiting);
                return waiting.answer().future();
            }
            running.put(meetup, new ArrayDeque<>());
        }
        send(meetup, List.of(waiting));
        return waiting.answer().future();
    }

    private void send(String meetup, List<Waiting> batch) {
        Future<List<MeetupStore.Outcome>> call;
        try {
            call = store.registerAll(pool, batch.stream().map(Waiting::registration).toList());
        } catch (RuntimeException e) {
            call = Future.failedFuture(e);
        }
        call.onComplete(result -> {
            boolean whole = result.succeeded() && result.result().size() == batch.size();
            Throwable failure = whole ? null : result.failed() ? result.cause()
                    : new IllegalStateException("meetup_register_all answered " + result.result().size() + " rows for " + batch.size());
            for (int i = 0; i < batch.size(); i++) {
                answer(batch.get(i), whole ? Future.succeededFuture(result.result().get(i)) : Future.failedFuture(failure));
            }
            List<Waiting> next;
            synchronized (running) {
                ArrayDeque<Waiting> queue = running.get(meetup);
                if (queue.isEmpty()) {
                    running.remove(meetup);
                    return;
                }
                next = new ArrayList<>(Math.min(MAX, queue.size()));
                while (next.size() < MAX && !queue.isEmpty()) next.add(queue.poll());
            }
            send(meetup, next);
        });
    }

    /** Each request goes on on its own event loop, not on the one that ran the call. */
    private static void answer(Waiting w, Future<MeetupStore.Outcome> outcome) {
        if (w.context() == null) w.answer().handle(outcome);
        else w.context().runOnContext(v -> w.answer().handle(outcome));
    }
}
