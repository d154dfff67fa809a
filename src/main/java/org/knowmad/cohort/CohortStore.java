package org.knowmad.cohort;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CohortMeetup;
import org.knowmad.schedule.When;
import org.knowmad.course.Enrolment;
import org.knowmad.course.Pace;

/** The only class that touches the cohort tables: web-started cohorts, enrolments, invites, organisers named on the web. */
public final class CohortStore {

    /** A cohort started from the web, with the course it belongs to. */
    public record WebCohort(String courseId, CohortDefinition cohort) {
    }

    private static final String WEB_COHORT_COLUMNS = """
            course_id, cohort_id, starts_local, pace, enrolment, capacity, meetup_starts_local, meetup_venue, meetup_capacity""";

    private static final String WEB_COHORTS = "SELECT " + WEB_COHORT_COLUMNS + " FROM web_cohort ORDER BY course_id, starts_local";

    private static final String WEB_COHORT = "SELECT " + WEB_COHORT_COLUMNS + " FROM web_cohort WHERE course_id = $1 AND cohort_id = $2";

    private static final String INSERT_WEB_COHORT = """
            INSERT INTO web_cohort (course_id, cohort_id, starts_local, pace, enrolment, capacity,
                                    meetup_starts_local, meetup_venue, meetup_capacity, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING""";

    private static final String ORGANISERS_OF_COURSE = """
            SELECT cohort_id, email FROM cohort_organiser WHERE course_id = $1 ORDER BY cohort_id, email""";

    private static final String ORGANISERS = """
            SELECT email FROM cohort_organiser WHERE course_id = $1 AND cohort_id = $2 ORDER BY email""";

    /** Replaces the named organisers with exactly {@code $3} (one statement: a retry names the same people). */
    private static final String NAME_ORGANISERS = """
            WITH gone AS (
                DELETE FROM cohort_organiser WHERE course_id = $1 AND cohort_id = $2 AND NOT (email = ANY ($3::text[])))
            INSERT INTO cohort_organiser (course_id, cohort_id, email, named_by, named_at)
            SELECT $1, $2, e, $4, $5 FROM unnest($3::text[]) AS e
            ON CONFLICT (course_id, cohort_id, email) DO NOTHING""";

    private static final String ENROLMENT = """
            SELECT e.course_id, e.cohort_id, e.account_id, e.joined_at, e.guidelines_accepted_at,
                   EXISTS (SELECT 1 FROM silence s WHERE s.course_id = e.course_id AND s.cohort_id = e.cohort_id
                           AND s.account_id = e.account_id) AS silenced
            FROM enrolment e
            WHERE e.course_id = $1 AND e.cohort_id = $2 AND e.account_id = $3 AND e.left_at IS NULL""";

    private static final String MY_ENROLMENTS = """
            SELECT course_id, cohort_id, account_id, joined_at, guidelines_accepted_at, false AS silenced FROM enrolment
            WHERE account_id = $1 AND left_at IS NULL ORDER BY joined_at DESC""";

    private static final String LOCK_COHORT = "SELECT pg_advisory_xact_lock(hashtext('cohort:' || $1 || '/' || $2))";

    private static final String COUNT_ENROLLED = """
            SELECT count(*) FROM enrolment WHERE course_id = $1 AND cohort_id = $2 AND left_at IS NULL""";

    private static final String JOIN = """
            INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
            VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (course_id, cohort_id, account_id)
            DO UPDATE SET left_at = NULL, guidelines_accepted_at = excluded.guidelines_accepted_at, next_release_at = NULL
            WHERE enrolment.left_at IS NOT NULL""";

    /**
     * Leaves, and in the same statement tells every node (NOTIFY, delivered on commit) to close the person's open
     * event streams of the cohort: access ends in the live channel the moment it ends everywhere else.
     */
    private static final String LEAVE = """
            WITH left_now AS (
                UPDATE enrolment SET left_at = $4 WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3 AND left_at IS NULL
                RETURNING account_id)
            SELECT pg_notify('knowmad_events', json_build_object('type', 'member-left', 'course', $1::text, 'cohort', $2::text,
                                                                 'account', account_id)::text)
            FROM left_now""";

    private static final String COHORTS_WITH_ENROLMENTS = """
            SELECT DISTINCT cohort_id FROM enrolment WHERE course_id = $1""";

    private static final String INSERT_INVITE = """
            INSERT INTO cohort_invite (code, course_id, cohort_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)""";

    private static final String INVITES = """
            SELECT code FROM cohort_invite WHERE course_id = $1 AND cohort_id = $2 AND revoked_at IS NULL ORDER BY created_at""";

    private static final String INVITE_VALID = """
            SELECT 1 FROM cohort_invite WHERE code = $1 AND course_id = $2 AND cohort_id = $3 AND revoked_at IS NULL""";

    private static final String REVOKE_INVITE = """
            UPDATE cohort_invite SET revoked_at = $4 WHERE code = $1 AND course_id = $2 AND cohort_id = $3 AND revoked_at IS NULL""";

    public Future<List<WebCohort>> webCohorts(SqlClient db) {
        return db.preparedQuery(WEB_COHORTS).execute().map(rows -> {
            List<WebCohort> list = new ArrayList<>();
            rows.forEach(r -> list.add(new WebCohort(r.getString("course_id"), toCohort(r))));
            return list;
        });
    }

    public Future<Optional<CohortDefinition>> webCohort(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(WEB_COHORT).execute(Tuple.of(courseId, cohortId))
                .map(rows -> rows.size() == 0 ? Optional.<CohortDefinition>empty() : Optional.of(toCohort(rows.iterator().next())));
    }

    /** Answers false if the id was taken meanwhile. */
    public Future<Boolean> insertWebCohort(SqlClient db, String courseId, CohortDefinition cohort, long createdBy, Instant now) {
        CohortMeetup meetup = cohort.meetup();
        LocalDateTime meetupStarts = meetup != null && meetup.starts() instanceof When.At at ? at.local() : null;
        return db.preparedQuery(INSERT_WEB_COHORT)
                .execute(Tuple.from(new Object[] {courseId, cohort.id(), cohort.starts(), cohort.selfPaced() ? "self" : "fixed",
                        cohort.enrolment().name().toLowerCase(), cohort.capacity(), meetupStarts,
                        meetup == null ? null : meetup.venue(), meetup == null ? null : meetup.capacity(),
                        createdBy, now.atOffset(ZoneOffset.UTC)}))
                .map(rows -> rows.rowCount() == 1);
    }

    private static CohortDefinition toCohort(Row r) {
        LocalDateTime meetupStarts = r.getLocalDateTime("meetup_starts_local");
        String venue = r.getString("meetup_venue");
        Integer meetupCapacity = r.getInteger("meetup_capacity");
        CohortMeetup meetup = meetupStarts == null && venue == null && meetupCapacity == null ? null
                : new CohortMeetup(meetupStarts == null ? null : new When.At(meetupStarts), venue, null, meetupCapacity);
        return new CohortDefinition(r.getString("cohort_id"), r.getLocalDateTime("starts_local"),
                "self".equals(r.getString("pace")) ? Pace.SELF : Pace.FIXED,
                Enrolment.valueOf(r.getString("enrolment").toUpperCase()), r.getInteger("capacity"), meetup);
    }

    /** The organisers named on the web for each cohort of a course (cohort id to lower-case emails). */
    public Future<Map<String, List<String>>> organisersOf(SqlClient db, String courseId) {
        return db.preparedQuery(ORGANISERS_OF_COURSE).execute(Tuple.of(courseId)).map(rows -> {
            Map<String, List<String>> byCohort = new HashMap<>();
            rows.forEach(r -> byCohort.computeIfAbsent(r.getString("cohort_id"), k -> new ArrayList<>()).add(r.getString("email")));
            return byCohort;
        });
    }

    /** The organisers named on the web for one cohort (lower-case emails). */
    public Future<List<String>> organisers(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(ORGANISERS).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<String> emails = new ArrayList<>();
            rows.forEach(r -> emails.add(r.getString("email")));
            return emails;
        });
    }

    public Future<Void> nameOrganisers(SqlClient db, String courseId, String cohortId, List<String> emails, long namedBy, Instant now) {
        return db.preparedQuery(NAME_ORGANISERS)
                .execute(Tuple.of(courseId, cohortId, emails.toArray(new String[0]), namedBy, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<Optional<Enrolled>> enrolment(SqlClient db, String courseId, String cohortId, long accountId) {
        return db.preparedQuery(ENROLMENT).execute(Tuple.of(courseId, cohortId, accountId))
                .map(rows -> rows.size() == 0 ? Optional.<Enrolled>empty() : Optional.of(toEnrolled(rows.iterator().next())));
    }

    public Future<List<Enrolled>> enrolmentsOf(SqlClient db, long accountId) {
        return db.preparedQuery(MY_ENROLMENTS).execute(Tuple.of(accountId)).map(rows -> {
            List<Enrolled> list = new ArrayList<>();
            rows.forEach(r -> list.add(toEnrolled(r)));
            return list;
        });
    }

    private static Enrolled toEnrolled(Row r) {
        return new Enrolled(r.getString("course_id"), r.getString("cohort_id"), r.getLong("account_id"),
                r.getOffsetDateTime("joined_at").toInstant(), r.getBoolean("silenced"), r.getOffsetDateTime("guidelines_accepted_at").toInstant());
    }

    private static final String ACCEPT_GUIDELINES = """
            UPDATE enrolment SET guidelines_accepted_at = $4
            WHERE course_id = $1 AND cohort_id = $2 AND account_id = $3 AND left_at IS NULL""";

    /** A participant accepts the cohort's guidelines as they stand now; false if they are not enrolled. */
    public Future<Boolean> acceptGuidelines(SqlClient db, String courseId, String cohortId, long accountId, Instant now) {
        return db.preparedQuery(ACCEPT_GUIDELINES).execute(Tuple.of(courseId, cohortId, accountId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Serialises joins of one cohort across nodes, so the capacity check and the insert agree. */
    public Future<Void> lockCohort(SqlClient tx, String courseId, String cohortId) {
        return tx.preparedQuery(LOCK_COHORT).execute(Tuple.of(courseId, cohortId)).mapEmpty();
    }

    public Future<Long> countEnrolled(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(COUNT_ENROLLED).execute(Tuple.of(courseId, cohortId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Void> join(SqlClient tx, String courseId, String cohortId, long accountId, Instant now) {
        return tx.preparedQuery(JOIN).execute(Tuple.of(courseId, cohortId, accountId, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    /** Answers whether the person was enrolled. */
    public Future<Boolean> leave(SqlClient db, String courseId, String cohortId, long accountId, Instant now) {
        return db.preparedQuery(LEAVE).execute(Tuple.of(courseId, cohortId, accountId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Cohort ids of a course that have (or had) participants: their history must survive a course reload. */
    public Future<List<String>> cohortsWithEnrolments(SqlClient db, String courseId) {
        return db.preparedQuery(COHORTS_WITH_ENROLMENTS).execute(Tuple.of(courseId)).map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getString(0)));
            return ids;
        });
    }

    public Future<Void> insertInvite(SqlClient db, String code, String courseId, String cohortId, long createdBy, Instant now) {
        return db.preparedQuery(INSERT_INVITE).execute(Tuple.of(code, courseId, cohortId, createdBy, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<List<String>> invites(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(INVITES).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<String> codes = new ArrayList<>();
            rows.forEach(r -> codes.add(r.getString(0)));
            return codes;
        });
    }

    public Future<Boolean> inviteValid(SqlClient db, String code, String courseId, String cohortId) {
        if (code == null || code.isBlank()) return Future.succeededFuture(false);
        return db.preparedQuery(INVITE_VALID).execute(Tuple.of(code, courseId, cohortId)).map(rows -> rows.size() == 1);
    }

    public Future<Boolean> revokeInvite(SqlClient db, String code, String courseId, String cohortId, Instant now) {
        return db.preparedQuery(REVOKE_INVITE).execute(Tuple.of(code, courseId, cohortId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

}
