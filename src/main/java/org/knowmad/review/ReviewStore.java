package org.knowmad.review;

import io.vertx.core.Future;
import org.knowmad.notify.MailRules;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import static org.knowmad.db.Rows.at;
import static org.knowmad.db.Rows.first;
import static org.knowmad.db.Rows.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The only class that touches submissions, reviews, grades and review reminders. */
public final class ReviewStore {

    private static final String SUBMISSION_COLUMNS = """
            s.id, s.author_id, s.draft, s.body, s.submitted_at, s.updated_at, s.late, s.pool_from, s.grade_due, s.needed""";

    private static final String MINE = "SELECT " + SUBMISSION_COLUMNS + " " + """
             FROM submission s WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND s.author_id = $4""";

    private static final String SAVE_DRAFT = """
            INSERT INTO submission (course_id, cohort_id, module_id, author_id, draft, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (course_id, cohort_id, module_id, author_id) DO UPDATE SET draft = EXCLUDED.draft, updated_at = EXCLUDED.updated_at""";

    /** Submits (or resubmits before the deadline): the first submission time is kept, the text is replaced. */
    private static final String SUBMIT = """
            INSERT INTO submission (course_id, cohort_id, module_id, author_id, draft, body, submitted_at, updated_at, late, pool_from, grade_due, needed)
            VALUES ($1, $2, $3, $4, $5, $5, $6, $6, $7, $8, $9, $10)
            ON CONFLICT (course_id, cohort_id, module_id, author_id) DO UPDATE SET draft = EXCLUDED.draft, body = EXCLUDED.body,
                updated_at = EXCLUDED.updated_at, submitted_at = COALESCE(submission.submitted_at, EXCLUDED.submitted_at),
                late = EXCLUDED.late, pool_from = EXCLUDED.pool_from, grade_due = EXCLUDED.grade_due, needed = EXCLUDED.needed""";

    private static final String REVIEW_COLUMNS = """
            r.id, r.submission_id, r.reviewer_id, r.claimed_at, r.lease_until, r.extra, r.scores, r.comment, r.completed_at,
            r.helpful, r.flag_state, r.flag_reason""";

    private static final String REVIEWS_BY = "SELECT " + REVIEW_COLUMNS + " " + """
             FROM review r JOIN submission s ON s.id = r.submission_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND r.reviewer_id = $4 ORDER BY r.claimed_at, r.id""";

    private static final String REVIEWS_OF = "SELECT " + REVIEW_COLUMNS + " FROM review r WHERE r.submission_id = $1 ORDER BY r.id";

    private static final String REVIEWS_OF_MODULE = "SELECT " + REVIEW_COLUMNS + " " + """
             FROM review r JOIN submission s ON s.id = r.submission_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 ORDER BY r.submission_id, r.id""";

    /** Whether the reviewer has submitted their own work, and the claim they hold right now, if any: one round trip. */
    /**
     * Every submission reviewers may take now: its finished reviews, its open claims, whether this reviewer has
     * it, and how many reviews its author wrote (for the picker's estimate of reviews still to come).
     */
    private static final String POOL = """
            SELECT s.id, s.author_id, s.late, s.submitted_at, s.reviews_received, s.reviews_given,
                   count(r.id) AS open_claims
            FROM submission s
            LEFT JOIN review r ON r.submission_id = s.id AND r.completed_at IS NULL AND r.lease_until > $4
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND s.submitted_at IS NOT NULL AND s.pool_from <= $4
              AND s.grade_due > $4
            GROUP BY s.id""";

    /** "Review next" in one call (V034): see {@code review_next}. */
    private static final String NEXT = "SELECT outcome, claimed_review, claimed_submission, claimed_extra, claimed_until "
            + "FROM review_next($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

    private static final String REVIEW_WITH_SUBMISSION = "SELECT " + REVIEW_COLUMNS + ", " + SUBMISSION_COLUMNS + " " + """
            , s.course_id, s.cohort_id, s.module_id FROM review r JOIN submission s ON s.id = r.submission_id WHERE r.id = $1""";

    /** A claim whose lease ran out may have been handed to someone else: only a finished review or a live claim is saved. */
    private static final String LOCK_REVIEW = """
            SELECT completed_at IS NULL AS first FROM review WHERE id = $1 AND reviewer_id = $2
              AND (completed_at IS NOT NULL OR lease_until > $3) FOR UPDATE""";

    private static final String SAVE_REVIEW = """
            UPDATE review SET scores = $3, comment = $4, completed_at = COALESCE(completed_at, $5), updated_at = $5
            WHERE id = $1 AND reviewer_id = $2 RETURNING submission_id""";

    /**
     * The first time a review is finished, the counters of the reviewed work and of the reviewer's own submission
     * move. Both rows are locked in id order first: two people reviewing each other at the same moment must not
     * lock the same two rows in opposite orders (a deadlock).
     */
    private static final String COUNT_FINISHED = """
            WITH target AS (SELECT course_id, cohort_id, module_id FROM submission WHERE id = $1),
            rows AS (
                SELECT s.id FROM submission s, target t
                WHERE s.id = $1 OR (s.course_id = t.course_id AND s.cohort_id = t.cohort_id AND s.module_id = t.module_id AND s.author_id = $2)
                ORDER BY s.id FOR NO KEY UPDATE OF s
            )
            UPDATE submission s SET reviews_received = s.reviews_received + (s.id = $1)::int,
                                    reviews_given = s.reviews_given + (s.author_id = $2)::int
            FROM rows WHERE s.id = rows.id""";

    private static final String RATE = "UPDATE review SET helpful = $2 WHERE id = $1 AND completed_at IS NOT NULL";

    private static final String FLAG = """
            UPDATE review SET flag_state = 'pending', flag_reason = $2, flagged_at = $3
            WHERE id = $1 AND completed_at IS NOT NULL AND flag_state IS NULL""";

    /**
     * Keeps or removes a flagged review. A removed review no longer counts for its submission, so the slot opens
     * for another reviewer while the window lasts (and the facilitators' queue shows the shortfall after it).
     */
    private static final String DECIDE_FLAG = """
            WITH decided AS (UPDATE review SET flag_state = $2 WHERE id = $1 AND flag_state = 'pending' RETURNING submission_id),
            reopened AS (
                UPDATE submission SET reviews_received = reviews_received - 1
                WHERE $2 = 'removed' AND id = (SELECT submission_id FROM decided) AND reviews_received > 0
            )
            SELECT count(*) FROM decided""";

    private static final String MODULE_SUBMISSIONS = "SELECT " + SUBMISSION_COLUMNS + " " + """
            , a.email, a.name FROM submission s JOIN account a ON a.id = s.author_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND s.submitted_at IS NOT NULL ORDER BY s.submitted_at, s.id""";

    private static final String IN_MODULE = """
            SELECT 1 FROM submission WHERE id = $1 AND course_id = $2 AND cohort_id = $3 AND module_id = $4 AND submitted_at IS NOT NULL""";

    private static final String GRADE_COLUMNS = """
            g.submission_id, g.reviews, g.max_points, g.median, g.corrected, g.low, g.high, g.trusted, g.reason, g.criteria,
            g.override_points, g.override_note, g.override_at""";

    private static final String GRADE = "SELECT " + GRADE_COLUMNS + " FROM grade g WHERE g.submission_id = $1";

    private static final String GRADES_OF_MODULE = "SELECT " + GRADE_COLUMNS + " " + """
             FROM grade g JOIN submission s ON s.id = g.submission_id WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3""";

    private static final String OVERRIDE = """
            UPDATE grade SET override_points = $2, override_note = $3, override_by = $4, override_at = $5 WHERE submission_id = $1""";

    private static final String SAVE_SELF = """
            INSERT INTO self_assessment (submission_id, scores, comment, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (submission_id) DO UPDATE SET scores = EXCLUDED.scores, comment = EXCLUDED.comment, updated_at = EXCLUDED.updated_at""";

    private static final String SELF = "SELECT scores, comment FROM self_assessment WHERE submission_id = $1";

    private static final String SELVES_OF_MODULE = """
            SELECT a.submission_id, a.scores, a.comment FROM self_assessment a JOIN submission s ON s.id = a.submission_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3""";

    private static final String DUE_MODULES = """
            SELECT DISTINCT s.course_id, s.cohort_id, s.module_id FROM submission s
            WHERE s.submitted_at IS NOT NULL AND s.grade_due <= $1 AND NOT EXISTS (SELECT 1 FROM grade g WHERE g.submission_id = s.id)""";

    private static final String DUE_SUBMISSIONS = """
            SELECT s.id, a.language,
                   -- Graded either way; told only while still in the cohort and not asked for "never".
                   CASE WHEN """ + MailRules.NEWS_SQL + """
                         AND EXISTS (SELECT 1 FROM enrolment e WHERE e.course_id = s.course_id AND e.cohort_id = s.cohort_id
                                     AND e.account_id = a.id AND e.left_at IS NULL) THEN a.email END AS email
            FROM submission s JOIN account a ON a.id = s.author_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND s.submitted_at IS NOT NULL AND s.grade_due <= $4
              AND NOT EXISTS (SELECT 1 FROM grade g WHERE g.submission_id = s.id)""";

    private static final String MODULE_SCORES = """
            SELECT r.submission_id, r.reviewer_id, r.scores FROM review r JOIN submission s ON s.id = r.submission_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 AND s.module_id = $3 AND r.completed_at IS NOT NULL
              AND r.flag_state IS DISTINCT FROM 'removed'""";

    /** A grade worked out again (after a review was removed); a facilitator's override stays. */
    private static final String REGRADE = """
            UPDATE grade SET reviews = $2, max_points = $3, median = $4, corrected = $5, low = $6, high = $7, trusted = $8, reason = $9,
                criteria = $10, computed_at = $11
            WHERE submission_id = $1""";

    private static final String INSERT_GRADE = """
            INSERT INTO grade (submission_id, reviews, max_points, median, corrected, low, high, trusted, reason, criteria, computed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (submission_id) DO NOTHING""";

    /**
     * Authors who still owe reviews while there is something for them to review, and who were not reminded
     * in the last 48 hours nor three times already: marks the reminder and answers whom to write to.
     */
    private static final String DUE_REMINDERS = """
            WITH owing AS (
                SELECT s.id, s.course_id, s.cohort_id, s.module_id, a.email, a.language
                FROM submission s JOIN account a ON a.id = s.author_id
                LEFT JOIN review_reminder rr ON rr.submission_id = s.id
                WHERE s.submitted_at IS NOT NULL AND s.pool_from <= $1 AND s.grade_due > $1 AND """ + MailRules.NEWS_SQL + """

                  AND EXISTS (SELECT 1 FROM enrolment e WHERE e.course_id = s.course_id AND e.cohort_id = s.cohort_id
                              AND e.account_id = a.id AND e.left_at IS NULL)
                  AND (rr.submission_id IS NULL OR (rr.sent < 3 AND rr.last_sent_at <= $1 - interval '48 hours'))
                  AND s.reviews_given < s.needed + 1
                  AND EXISTS (SELECT 1 FROM submission o
                       WHERE o.course_id = s.course_id AND o.cohort_id = s.cohort_id AND o.module_id = s.module_id
                         AND o.author_id <> s.author_id AND o.submitted_at IS NOT NULL AND o.pool_from <= $1
                         AND NOT EXISTS (SELECT 1 FROM review r WHERE r.submission_id = o.id AND r.reviewer_id = s.author_id)
                         AND o.reviews_received + (SELECT count(*) FROM review r WHERE r.submission_id = o.id
                              AND r.completed_at IS NULL AND r.lease_until > $1) < o.needed)
            ), marked AS (
                INSERT INTO review_reminder (submission_id, sent, last_sent_at) SELECT id, 1, $1 FROM owing
                ON CONFLICT (submission_id) DO UPDATE SET sent = review_reminder.sent + 1, last_sent_at = EXCLUDED.last_sent_at
                RETURNING submission_id
            )
            SELECT o.* FROM owing o JOIN marked m ON m.submission_id = o.id""";

    /** A submission as stored; {@code body} and the dates are null while it is a draft. */
    public record SubmissionRow(long id, long authorId, String draft, String body, Instant submittedAt, Instant updatedAt,
                                boolean late, Instant poolFrom, Instant gradeDue, int needed) {

        public boolean submitted() {
            return submittedAt != null;
        }

        /** The same row with its id: a join with the review table reads the review's id under the name "id". */
        SubmissionRow withId(long submissionId) {
            return new SubmissionRow(submissionId, authorId, draft, body, submittedAt, updatedAt, late, poolFrom, gradeDue, needed);
        }

        static SubmissionRow from(Row r) {
            Integer needed = r.getInteger("needed");
            return new SubmissionRow(r.getLong("id"), r.getLong("author_id"), r.getString("draft"), r.getString("body"),
                    instant(r, "submitted_at"), instant(r, "updated_at"), r.getBoolean("late"), instant(r, "pool_from"),
                    instant(r, "grade_due"), needed == null ? 0 : needed);
        }
    }

    /** A claim or a finished review. */
    public record ReviewRow(long id, long submissionId, long reviewerId, Instant claimedAt, Instant leaseUntil, boolean extra,
                            JsonObject scores, String comment, Instant completedAt, Integer helpful, String flagState, String flagReason) {

        public boolean completed() {
            return completedAt != null;
        }

        /** What the author may see: finished, and not hidden by a flag waiting for a decision or upheld. */
        public boolean visibleToAuthor() {
            return completed() && !"pending".equals(flagState) && !"removed".equals(flagState);
        }

        static ReviewRow from(Row r) {
            Object scores = r.getValue("scores");
            return new ReviewRow(r.getLong("id"), r.getLong("submission_id"), r.getLong("reviewer_id"), instant(r, "claimed_at"),
                    instant(r, "lease_until"), r.getBoolean("extra"), scores instanceof JsonObject o ? o : null, r.getString("comment"),
                    instant(r, "completed_at"), r.getInteger("helpful") == null ? null : r.getInteger("helpful"),
                    r.getString("flag_state"), r.getString("flag_reason"));
        }
    }

    /** A review with the submission it is about. */
    public record ReviewWithSubmission(ReviewRow review, SubmissionRow submission, String courseId, String cohortId, String moduleId) {
    }

    /** A submitted piece of work with its author, for facilitators. */
    public record AuthoredSubmission(SubmissionRow submission, String authorEmail, String authorName) {
    }

    /** A stored grade. */
    public record GradeRow(long submissionId, int reviews, double maxPoints, Double median, Double corrected, Double low, Double high,
                           boolean trusted, String reason, JsonObject criteria, Double overridePoints, String overrideNote,
                           Instant overrideAt) {

        /** The grade the author is given: a facilitator's override, else the trusted corrected estimate, else the median. */
        public Double published() {
            if (overridePoints != null) return overridePoints;
            return trusted && corrected != null ? corrected : median;
        }

        static GradeRow from(Row r) {
            Object criteria = r.getValue("criteria");
            return new GradeRow(r.getLong("submission_id"), r.getInteger("reviews"), r.getDouble("max_points"), r.getDouble("median"),
                    r.getDouble("corrected"), r.getDouble("low"), r.getDouble("high"), r.getBoolean("trusted"), r.getString("reason"),
                    criteria instanceof JsonObject o ? o : new JsonObject(), r.getDouble("override_points"), r.getString("override_note"),
                    instant(r, "override_at"));
        }
    }

    /** A submission waiting for its grade, with whom to tell. */
    public record DueSubmission(long id, String email, String language) {
    }

    /** A module whose grades are due. */
    public record ModuleKey(String courseId, String cohortId, String moduleId) {
    }

    /** A reminder to send. */
    public record Reminder(long submissionId, String courseId, String cohortId, String moduleId, String email, String language) {
    }

    /** One finished review's points, for grading. */
    public record Scores(long submissionId, long reviewerId, JsonObject points) {
    }

    public Future<Optional<SubmissionRow>> mine(SqlClient db, String courseId, String cohortId, String moduleId, long authorId) {
        return db.preparedQuery(MINE).execute(Tuple.of(courseId, cohortId, moduleId, authorId))
                .map(rows -> first(rows).map(SubmissionRow::from));
    }

    public Future<Optional<SubmissionRow>> lockMine(SqlClient tx, String courseId, String cohortId, String moduleId, long authorId) {
        return tx.preparedQuery(MINE + " FOR UPDATE").execute(Tuple.of(courseId, cohortId, moduleId, authorId))
                .map(rows -> first(rows).map(SubmissionRow::from));
    }

    public Future<Void> saveDraft(SqlClient tx, String courseId, String cohortId, String moduleId, long authorId, String text, Instant now) {
        return tx.preparedQuery(SAVE_DRAFT).execute(Tuple.of(courseId, cohortId, moduleId, authorId, text, at(now))).mapEmpty();
    }

    public Future<Void> submit(SqlClient tx, String courseId, String cohortId, String moduleId, long authorId, String text, Instant now,
                               boolean late, Instant poolFrom, Instant gradeDue, int needed) {
        return tx.preparedQuery(SUBMIT).execute(Tuple.tuple().addValue(courseId).addValue(cohortId).addValue(moduleId).addValue(authorId)
                .addValue(text).addValue(at(now)).addValue(late).addValue(at(poolFrom)).addValue(at(gradeDue)).addValue((short) needed)).mapEmpty();
    }

    public Future<List<ReviewRow>> reviewsBy(SqlClient db, String courseId, String cohortId, String moduleId, long reviewerId) {
        return db.preparedQuery(REVIEWS_BY).execute(Tuple.of(courseId, cohortId, moduleId, reviewerId)).map(ReviewStore::reviews);
    }

    public Future<List<ReviewRow>> reviewsOf(SqlClient db, long submissionId) {
        return db.preparedQuery(REVIEWS_OF).execute(Tuple.of(submissionId)).map(ReviewStore::reviews);
    }

    public Future<List<ReviewRow>> reviewsOfModule(SqlClient db, String courseId, String cohortId, String moduleId) {
        return db.preparedQuery(REVIEWS_OF_MODULE).execute(Tuple.of(courseId, cohortId, moduleId)).map(ReviewStore::reviews);
    }

    /** Only one "review next" per reviewer and assignment at a time, so a double click cannot claim two. */
    /** The pool for the picker (the same for every reviewer) and each author's reviews written. */
    public record ModulePool(List<Candidate> candidates, Map<Long, Integer> givenByAuthor) {
    }

    public Future<ModulePool> pool(SqlClient db, String courseId, String cohortId, String moduleId, Instant now) {
        return db.preparedQuery(POOL).execute(Tuple.of(courseId, cohortId, moduleId, at(now))).map(rows -> {
            List<Candidate> list = new ArrayList<>();
            Map<Long, Integer> given = new HashMap<>();
            for (Row r : rows) {
                list.add(new Candidate(r.getLong(0), r.getLong(1), r.getBoolean(2), instant(r, "submitted_at"),
                        r.getInteger(4), r.getLong(6).intValue()));
                given.put(r.getLong(1), r.getInteger(5));
            }
            return new ModulePool(List.copyOf(list), Map.copyOf(given));
        });
    }

    /**
     * What {@code review_next} answered: "claimed" or "held" with the review, its submission, whether it is extra and
     * its lease; else "submit-first", "busy", "none", or "more" (the heads it was given were not enough: call again
     * with the whole lists).
     */
    public record NextOutcome(String outcome, Long reviewId, Long submissionId, Boolean extra, Instant leaseUntil) {
    }

    /**
     * Runs "review next" for a reviewer with the picker's ranking and the extras' order, in one call; each list may be
     * only its head ({@code rankedAll}, {@code extrasAll} false).
     */
    public Future<NextOutcome> next(SqlClient db, String courseId, String cohortId, String moduleId, long reviewerId, List<Long> ranked,
            boolean rankedAll, List<Long> extras, boolean extrasAll, Instant now, Instant leaseUntil, int k, int tries) {
        return db.preparedQuery(NEXT).execute(Tuple.from(new Object[] {courseId, cohortId, moduleId, reviewerId, ranked.toArray(Long[]::new),
                        rankedAll, extras.toArray(Long[]::new), extrasAll, at(now), at(leaseUntil), k, tries}))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new NextOutcome(r.getString(0), r.getLong(1), r.getLong(2), r.getBoolean(3), instant(r, "claimed_until"));
                });
    }

    public Future<Optional<ReviewWithSubmission>> review(SqlClient db, long reviewId) {
        return db.preparedQuery(REVIEW_WITH_SUBMISSION).execute(Tuple.of(reviewId)).map(rows -> first(rows).map(r -> new ReviewWithSubmission(
                ReviewRow.from(r), SubmissionRow.from(r).withId(r.getLong("submission_id")), r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"))));
    }

    /** Saves a review in {@code tx}; the row lock makes a double submit count once. */
    public Future<Boolean> saveReview(SqlClient tx, long reviewId, long reviewerId, JsonObject scores, String comment, Instant now) {
        return tx.preparedQuery(LOCK_REVIEW).execute(Tuple.of(reviewId, reviewerId, at(now))).compose(locked -> {
            if (locked.size() == 0) return Future.succeededFuture(false);
            boolean first = locked.iterator().next().getBoolean("first");
            return tx.preparedQuery(SAVE_REVIEW).execute(Tuple.of(reviewId, reviewerId, scores, comment, at(now))).compose(saved -> {
                long submissionId = saved.iterator().next().getLong("submission_id");
                return first
                        ? tx.preparedQuery(COUNT_FINISHED).execute(Tuple.of(submissionId, reviewerId)).map(true)
                        : Future.succeededFuture(true);
            });
        });
    }

    public Future<Boolean> rate(SqlClient db, long reviewId, int helpful) {
        return db.preparedQuery(RATE).execute(Tuple.of(reviewId, (short) helpful)).map(r -> r.rowCount() == 1);
    }

    public Future<Boolean> flag(SqlClient db, long reviewId, String reason, Instant now) {
        return db.preparedQuery(FLAG).execute(Tuple.of(reviewId, reason, at(now))).map(r -> r.rowCount() == 1);
    }

    public Future<Boolean> decideFlag(SqlClient db, long reviewId, boolean keep) {
        return db.preparedQuery(DECIDE_FLAG).execute(Tuple.of(reviewId, keep ? "kept" : "removed"))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    public Future<List<AuthoredSubmission>> submissions(SqlClient db, String courseId, String cohortId, String moduleId) {
        return db.preparedQuery(MODULE_SUBMISSIONS).execute(Tuple.of(courseId, cohortId, moduleId)).map(rows -> {
            List<AuthoredSubmission> list = new ArrayList<>();
            for (Row r : rows) list.add(new AuthoredSubmission(SubmissionRow.from(r), r.getString("email"), r.getString("name")));
            return list;
        });
    }

    public Future<Boolean> inModule(SqlClient db, long submissionId, String courseId, String cohortId, String moduleId) {
        return db.preparedQuery(IN_MODULE).execute(Tuple.of(submissionId, courseId, cohortId, moduleId)).map(rows -> rows.size() == 1);
    }

    public Future<Optional<GradeRow>> grade(SqlClient db, long submissionId) {
        return db.preparedQuery(GRADE).execute(Tuple.of(submissionId)).map(rows -> first(rows).map(GradeRow::from));
    }

    public Future<Map<Long, GradeRow>> grades(SqlClient db, String courseId, String cohortId, String moduleId) {
        return db.preparedQuery(GRADES_OF_MODULE).execute(Tuple.of(courseId, cohortId, moduleId)).map(rows -> {
            Map<Long, GradeRow> grades = new HashMap<>();
            for (Row r : rows) grades.put(r.getLong("submission_id"), GradeRow.from(r));
            return grades;
        });
    }

    public Future<Boolean> override(SqlClient db, long submissionId, Double points, String note, long byId, Instant now) {
        return db.preparedQuery(OVERRIDE).execute(Tuple.of(submissionId, points, note, byId, at(now))).map(r -> r.rowCount() == 1);
    }

    /** An author's scores for their own work. */
    public record SelfAssessment(JsonObject scores, String comment) {
    }

    public Future<Void> saveSelf(SqlClient db, long submissionId, JsonObject scores, String comment, Instant now) {
        return db.preparedQuery(SAVE_SELF).execute(Tuple.of(submissionId, scores, comment, at(now))).mapEmpty();
    }

    public Future<Optional<SelfAssessment>> self(SqlClient db, long submissionId) {
        return db.preparedQuery(SELF).execute(Tuple.of(submissionId)).map(rows -> first(rows).map(r -> new SelfAssessment(
                r.getValue("scores") instanceof JsonObject o ? o : new JsonObject(), r.getString("comment"))));
    }

    public Future<Map<Long, SelfAssessment>> selves(SqlClient db, String courseId, String cohortId, String moduleId) {
        return db.preparedQuery(SELVES_OF_MODULE).execute(Tuple.of(courseId, cohortId, moduleId)).map(rows -> {
            Map<Long, SelfAssessment> map = new HashMap<>();
            for (Row r : rows) {
                map.put(r.getLong("submission_id"), new SelfAssessment(r.getValue("scores") instanceof JsonObject o ? o : new JsonObject(),
                        r.getString("comment")));
            }
            return map;
        });
    }

    /** One grading job at a time over all nodes; the others skip this round. */
    public Future<Boolean> tryJobLock(SqlClient tx, String job) {
        return tx.preparedQuery("SELECT pg_try_advisory_xact_lock(hashtext('knowmad-job'), hashtext($1))").execute(Tuple.of(job))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Future<List<ModuleKey>> dueModules(SqlClient tx, Instant now) {
        return tx.preparedQuery(DUE_MODULES).execute(Tuple.of(at(now))).map(rows -> {
            List<ModuleKey> list = new ArrayList<>();
            for (Row r : rows) list.add(new ModuleKey(r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id")));
            return list;
        });
    }

    public Future<List<DueSubmission>> dueSubmissions(SqlClient tx, ModuleKey m, Instant now) {
        return tx.preparedQuery(DUE_SUBMISSIONS).execute(Tuple.of(m.courseId(), m.cohortId(), m.moduleId(), at(now))).map(rows -> {
            List<DueSubmission> list = new ArrayList<>();
            for (Row r : rows) list.add(new DueSubmission(r.getLong("id"), r.getString("email"), r.getString("language")));
            return list;
        });
    }

    public Future<List<Scores>> moduleScores(SqlClient tx, ModuleKey m) {
        return tx.preparedQuery(MODULE_SCORES).execute(Tuple.of(m.courseId(), m.cohortId(), m.moduleId())).map(rows -> {
            List<Scores> list = new ArrayList<>();
            for (Row r : rows) {
                Object points = r.getValue("scores");
                list.add(new Scores(r.getLong("submission_id"), r.getLong("reviewer_id"), points instanceof JsonObject o ? o : new JsonObject()));
            }
            return list;
        });
    }

    /** A grade to insert. */
    public record NewGrade(long submissionId, int reviews, double maxPoints, Double median, Double corrected, Double low, Double high,
                           boolean trusted, String reason, JsonObject criteria) {
    }

    public Future<Void> insertGrades(SqlClient tx, List<NewGrade> grades, Instant now) {
        if (grades.isEmpty()) return Future.succeededFuture();
        List<Tuple> batch = new ArrayList<>();
        for (NewGrade g : grades) {
            batch.add(Tuple.tuple().addValue(g.submissionId()).addValue(g.reviews()).addValue(g.maxPoints()).addValue(g.median())
                    .addValue(g.corrected()).addValue(g.low()).addValue(g.high()).addValue(g.trusted()).addValue(g.reason())
                    .addValue(g.criteria()).addValue(at(now)));
        }
        return tx.preparedQuery(INSERT_GRADE).executeBatch(batch).mapEmpty();
    }

    public Future<Void> regrade(SqlClient tx, NewGrade g, Instant now) {
        return tx.preparedQuery(REGRADE).execute(Tuple.tuple().addValue(g.submissionId()).addValue(g.reviews()).addValue(g.maxPoints())
                .addValue(g.median()).addValue(g.corrected()).addValue(g.low()).addValue(g.high()).addValue(g.trusted()).addValue(g.reason())
                .addValue(g.criteria()).addValue(at(now))).mapEmpty();
    }

    public Future<List<Reminder>> dueReminders(SqlClient tx, Instant now) {
        return tx.preparedQuery(DUE_REMINDERS).execute(Tuple.of(at(now))).map(rows -> {
            List<Reminder> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Reminder(r.getLong("id"), r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"),
                        r.getString("email"), r.getString("language")));
            }
            return list;
        });
    }

    private static List<ReviewRow> reviews(RowSet<Row> rows) {
        List<ReviewRow> list = new ArrayList<>();
        for (Row r : rows) list.add(ReviewRow.from(r));
        return list;
    }
}
