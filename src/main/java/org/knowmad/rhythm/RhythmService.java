package org.knowmad.rhythm;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.pulse.PulseRules;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;

/**
 * A participant's own sharing rhythm: the goal they set (or none: off by default), their streak, and at most one
 * friendly reminder for a period that passed without a post. Reminders are chosen in one statement and recorded
 * under a unique key, so with any number of nodes each missed period is mailed once.
 */
public final class RhythmService {

    /** What the private page shows: the goal (empty: none), this period's state and the streak. */
    public record View(Optional<Rhythm> goal, boolean metThisPeriod, Instant periodEnds, int streak) {
    }

    private final Pool pool;
    private final Clock clock;
    private final PulseRules rules;
    private final CourseCatalog catalog;
    private final Outbox outbox;
    private final Messages messages;
    private final String baseUrl;
    private final RhythmStore store = new RhythmStore();
    private boolean running;

    public RhythmService(Pool pool, Clock clock, PulseRules rules, CourseCatalog catalog, Outbox outbox, Messages messages, String baseUrl) {
        this.pool = pool;
        this.clock = clock;
        this.rules = rules;
        this.catalog = catalog;
        this.outbox = outbox;
        this.messages = messages;
        this.baseUrl = baseUrl;
    }

    public Future<View> view(CohortAccess a) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.keepRhythm(a).require();
            long me = a.viewer().accountId();
            return store.goal(pool, a.ref().courseId(), a.ref().cohortId(), me).compose(goal -> {
                if (goal.isEmpty()) return Future.succeededFuture(new View(Optional.empty(), false, null, 0));
                Rhythm r = goal.get();
                Instant now = clock.instant();
                return store.postsSince(pool, a.ref().courseId(), a.ref().cohortId(), me, r.setAt()).map(posts -> {
                    long k = r.periodIndex(now);
                    return new View(goal, r.met(k, posts), r.periodStart(k + 1), r.streak(posts, now));
                });
            });
        });
    }

    /** Whether this person keeps a rhythm here, as a future: callers check it before reading what was sent. */
    public Future<Void> may(CohortAccess a) {
        return rules.keepRhythm(a).allowed() ? Future.succeededFuture() : Future.failedFuture(rules.keepRhythm(a).refusal());
    }

    /** Sets the goal to share every {@code periodDays} days (7, 14 or 30), counted from now; null switches it off. */
    public Future<Void> setGoal(CohortAccess a, Integer periodDays) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.keepRhythm(a).require();
            if (periodDays == null) return store.clearGoal(pool, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId());
            if (!Rhythm.PERIODS.contains(periodDays)) throw HttpProblem.badRequest("rhythm.badPeriod");
            return store.setGoal(pool, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId(), periodDays, clock.instant());
        });
    }

    /** Mails the reminders that are due; answers how many were sent. One run at a time per node. */
    public Future<Integer> remindOnce() {
        if (running) return Future.succeededFuture(0);
        running = true;
        Instant now = clock.instant();
        return store.due(pool, now).compose(due -> {
            if (due.isEmpty()) return Future.succeededFuture(0);
            // The reminder rows and their mails commit together: the unique key decides which node sends.
            return pool.withTransaction(tx -> store.claim(tx, due, now).compose(mine -> {
                List<Mail> mails = new ArrayList<>();
                for (RhythmStore.Due d : mine) mail(d).ifPresent(mails::add);
                return outbox.enqueueAll(tx, mails, now).map(mails.size());
            }));
        }).onComplete(ar -> running = false);
    }

    private Optional<Mail> mail(RhythmStore.Due d) {
        Optional<Course> course = catalog.course(d.courseId());
        if (course.isEmpty()) return Optional.empty();
        String lang = course.get().definition().language();
        String cohortUrl = baseUrl + "/courses/" + d.courseId() + "/" + d.cohortId();
        String period = messages.get(lang, "rhythm.period." + d.periodDays());
        String subject = messages.get(lang, "rhythm.mail.subject", course.get().definition().title());
        String text = messages.get(lang, "rhythm.mail.text", period, course.get().definition().title(), cohortUrl, cohortUrl + "/rhythm");
        return Optional.of(new Mail(d.email(), subject, text,
                "rhythm:" + d.courseId() + "/" + d.cohortId() + "/" + d.accountId() + "/" + d.periodStart().getEpochSecond(), null, Mail.Lane.BULK));
    }
}
