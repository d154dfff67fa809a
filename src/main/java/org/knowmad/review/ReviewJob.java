package org.knowmad.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.knowmad.course.AssignmentDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.Criterion;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.web.Messages;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two timed parts of peer review, run by every node on a timer (one node at a time does the work):
 * grading submissions whose review window closed, with the "your feedback is ready" mail, and the
 * "reviews are waiting for you" reminders.
 */
public final class ReviewJob {

    private final Pool pool;
    private final Clock clock;
    private final CourseCatalog catalog;
    private final ReviewStore store;
    private final Outbox outbox;
    private final Messages messages;
    private final String baseUrl;
    private boolean running;

    public ReviewJob(Pool pool, Clock clock, CourseCatalog catalog, ReviewStore store, Outbox outbox, Messages messages, String baseUrl) {
        this.pool = pool;
        this.clock = clock;
        this.catalog = catalog;
        this.store = store;
        this.outbox = outbox;
        this.messages = messages;
        this.baseUrl = baseUrl;
    }

    /** Grades what is due, then sends due reminders; answers how many submissions were graded. */
    public Future<Integer> runOnce() {
        if (running) return Future.succeededFuture(0);
        running = true;
        return grade().compose(n -> remind().map(n)).onComplete(ar -> running = false);
    }

    public Future<Integer> grade() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.tryJobLock(tx, "grading").compose(locked -> {
            if (!locked) return Future.succeededFuture(0);
            return store.dueModules(tx, now).compose(modules -> {
                Future<Integer> chain = Future.succeededFuture(0);
                for (ReviewStore.ModuleKey m : modules) chain = chain.compose(n -> gradeModule(tx, m, now).map(g -> n + g));
                return chain;
            });
        }));
    }

    private Future<Integer> gradeModule(SqlClient tx, ReviewStore.ModuleKey m, Instant now) {
        Optional<Course> course = catalog.course(m.courseId());
        Optional<AssignmentDefinition> assignment = course.flatMap(c -> c.definition().module(m.moduleId())).map(ModuleDefinition::assignment);
        if (assignment.isEmpty()) return Future.succeededFuture(0);
        return store.dueSubmissions(tx, m, now).compose(due -> {
            if (due.isEmpty()) return Future.succeededFuture(0);
            return store.moduleScores(tx, m).compose(scores -> {
                List<ReviewStore.NewGrade> grades = grades(assignment.get(), scores, due);
                List<Mail> mails = new ArrayList<>();
                ModuleDefinition module = course.get().definition().module(m.moduleId()).orElseThrow();
                String link = baseUrl + "/courses/" + m.courseId() + "/" + m.cohortId() + "/modules/" + m.moduleId() + "/assignment";
                for (ReviewStore.DueSubmission d : due) {
                    if (d.email() == null) continue; // not to be mailed (left the cohort, or mail set to never)
                    String lang = Messages.forRecipient(d.language(), course.get().definition().language());
                    mails.add(new Mail(d.email(), messages.get(lang, "review.mail.ready.subject", assignment.get().title()),
                            messages.get(lang, "review.mail.ready.body", assignment.get().title(), module.title(), link),
                            "feedback:" + d.id()).bulk());
                }
                return store.insertGrades(tx, grades, now).compose(v -> outbox.enqueueAll(tx, mails, now)).map(due.size());
            });
        });
    }

    /**
     * Grades for the due submissions, fitted on every finished review of the module (the model learns each
     * reviewer's bias and reliability from all their reviews, also of work graded earlier or later).
     */
    static List<ReviewStore.NewGrade> grades(AssignmentDefinition assignment, List<ReviewStore.Scores> scores, List<ReviewStore.DueSubmission> due) {
        double max = 0;
        for (Criterion c : assignment.rubric()) max += c.levels().stream().mapToInt(Criterion.Level::points).max().orElse(0);
        List<PeerScore> peer = new ArrayList<>();
        Map<Long, Map<String, List<Double>>> byCriterion = new HashMap<>();
        for (ReviewStore.Scores s : scores) {
            for (Criterion c : assignment.rubric()) {
                Object p = s.points().getValue(c.id());
                if (!(p instanceof Number n)) continue;
                peer.add(new PeerScore(Long.toString(s.submissionId()), Long.toString(s.reviewerId()), c.id(), n.doubleValue()));
                byCriterion.computeIfAbsent(s.submissionId(), k -> new HashMap<>()).computeIfAbsent(c.id(), k -> new ArrayList<>()).add(n.doubleValue());
            }
        }
        Map<String, GradeEstimate> estimates = new HashMap<>();
        if (!peer.isEmpty()) for (GradeEstimate e : new PeerGrader(max).grade(peer)) estimates.put(e.submission(), e);
        List<ReviewStore.NewGrade> grades = new ArrayList<>();
        for (ReviewStore.DueSubmission d : due) {
            GradeEstimate e = estimates.get(Long.toString(d.id()));
            JsonObject criteria = new JsonObject();
            byCriterion.getOrDefault(d.id(), Map.of()).forEach((criterion, points) -> criteria.put(criterion, median(points)));
            if (e == null) {
                grades.add(new ReviewStore.NewGrade(d.id(), 0, max, null, null, null, null, false, "no_reviews", criteria));
            } else {
                grades.add(new ReviewStore.NewGrade(d.id(), e.reviews(), max, e.median(), e.corrected(), e.low(), e.high(), e.trusted(),
                        e.reason(), criteria));
            }
        }
        return grades;
    }

    private static double median(List<Double> values) {
        double[] points = values.stream().mapToDouble(Double::doubleValue).toArray();
        return ReviewIndex.median(points, points.length);
    }

    public Future<Integer> remind() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.tryJobLock(tx, "review-reminders").compose(locked -> {
            if (!locked) return Future.succeededFuture(0);
            return store.dueReminders(tx, now).compose(due -> {
                List<Mail> mails = new ArrayList<>();
                for (ReviewStore.Reminder r : due) {
                    Optional<Course> course = catalog.course(r.courseId());
                    Optional<ModuleDefinition> module = course.flatMap(c -> c.definition().module(r.moduleId()));
                    if (module.isEmpty() || module.get().assignment() == null) continue;
                    String lang = Messages.forRecipient(r.language(), course.get().definition().language());
                    String link = baseUrl + "/courses/" + r.courseId() + "/" + r.cohortId() + "/modules/" + r.moduleId() + "/assignment";
                    String title = module.get().assignment().title();
                    mails.add(new Mail(r.email(), messages.get(lang, "review.mail.waiting.subject", title),
                            messages.get(lang, "review.mail.waiting.body", title, module.get().title(), link,
                                    ReviewDemand.quota(module.get().assignment().reviewsPerSubmission())),
                            "review-reminder:" + r.submissionId() + ":" + now.toEpochMilli()).bulk());
                }
                return outbox.enqueueAll(tx, mails, now).map(mails.size());
            });
        }));
    }
}
