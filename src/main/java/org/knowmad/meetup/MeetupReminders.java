package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reminders 24 hours and 1 hour before a meetup, to everyone confirmed. Every node runs this each minute;
 * the outbox's dedupe key (reminder, registration, place in line) makes each reminder go out exactly once.
 * Someone who registers within the last hour gets only the one-hour reminder.
 */
public final class MeetupReminders {

    private final Pool pool;
    private final Clock clock;
    private final MeetupService meetups;
    private final MeetupStore store;
    private final Outbox outbox;
    private boolean running;

    public MeetupReminders(Pool pool, Clock clock, MeetupService meetups, MeetupStore store, Outbox outbox) {
        this.pool = pool;
        this.clock = clock;
        this.meetups = meetups;
        this.store = store;
        this.outbox = outbox;
    }

    /** Queues the reminders that are due; answers how many mails were offered to the outbox. */
    public Future<Integer> runOnce() {
        if (running) return Future.succeededFuture(0);
        running = true;
        Instant now = clock.instant();
        return store.cohortsWithConfirmed(pool).compose(cohorts -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (MeetupStore.CohortKey c : cohorts) chain = chain.compose(n -> remind(c, now).map(k -> n + k));
            return chain;
        }).onComplete(ar -> running = false);
    }

    private Future<Integer> remind(MeetupStore.CohortKey c, Instant now) {
        return meetups.forJob(c.courseId(), c.cohortId()).compose(found -> {
            if (found.isEmpty()) return Future.succeededFuture(0);
            MeetupService.MeetupAccess m = found.get();
            String key;
            if (!now.isBefore(m.starts())) return Future.succeededFuture(0);
            if (!now.isBefore(m.starts().minus(Duration.ofHours(1)))) key = "meetup.mail.reminder1h";
            else if (!now.isBefore(m.starts().minus(Duration.ofHours(24)))) key = "meetup.mail.reminder24h";
            else return Future.succeededFuture(0);
            return store.confirmed(pool, c.courseId(), c.cohortId()).compose(registrations -> {
                List<Mail> mails = new ArrayList<>();
                for (MeetupStore.Registration r : registrations) mails.add(meetups.reminderMail(m, r, key).bulk());
                return pool.withTransaction(tx -> outbox.enqueueAll(tx, mails, now)).map(mails.size());
            });
        });
    }
}
