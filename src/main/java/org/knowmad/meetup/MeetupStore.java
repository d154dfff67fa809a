package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.knowmad.live.LiveEvents;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.knowmad.db.Rows.at;
import static org.knowmad.db.Rows.first;
import static org.knowmad.db.Rows.instant;

/** The only class that touches meetup registrations, agenda, rounds, seats, notes and live questions. */
public final class MeetupStore {

    private static final String REGISTRATION_COLUMNS = """
            r.id, r.account_id, r.status, r.seq, r.code, r.created_at, r.checked_in_at, r.walk_in, a.email, a.name, a.language""";

    private static final String REGISTRATION = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 AND r.account_id = $3";

    private static final String REGISTRATIONS = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 "
            + "AND r.status <> 'cancelled' ORDER BY r.status, r.seq";

    private static final String BY_CODE = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 AND r.code = $3";

    private static final String BY_ID = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 AND r.id = $3";

    private static final String COUNTS = """
            SELECT count(*) FILTER (WHERE status = 'confirmed') AS confirmed, count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted,
                   count(*) FILTER (WHERE checked_in_at IS NOT NULL) AS checked_in
            FROM meetup_registration WHERE course_id = $1 AND cohort_id = $2""";

    /** Registers, or comes back after cancelling: either way a new place in the line (a fresh seq). */
    private static final String UPSERT = """
            INSERT INTO meetup_registration (course_id, cohort_id, account_id, status, seq, code, created_at, updated_at, walk_in, checked_in_at)
            VALUES ($1, $2, $3, $4, nextval('meetup_arrival'), $5, $6, $6, $7, $8)
            ON CONFLICT (course_id, cohort_id, account_id) DO UPDATE SET status = EXCLUDED.status, seq = EXCLUDED.seq,
                updated_at = EXCLUDED.updated_at, walk_in = EXCLUDED.walk_in, checked_in_at = EXCLUDED.checked_in_at,
                promoted_at = NULL
            RETURNING id""";

    /** See migrations/V039: the whole decision in one call, the meetup's lock held only inside the database. */
    private static final String REGISTER_ALL = """
            SELECT * FROM meetup_register_all($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                                              $18, $19, $20, $21, $22)
            ORDER BY r_ord""";

    private static final String POSITION = """
            SELECT count(*) FROM meetup_registration WHERE course_id = $1 AND cohort_id = $2 AND status = 'waitlisted' AND seq <= $3""";

    private static final String SET_STATUS = "UPDATE meetup_registration SET status = $2, updated_at = $3 WHERE id = $1";

    private static final String FIRST_WAITING = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 "
            + "AND r.status = 'waitlisted' ORDER BY r.seq LIMIT $3";

    private static final String PROMOTE = "UPDATE meetup_registration SET status = 'confirmed', promoted_at = $2, updated_at = $2 WHERE id = ANY($1)";

    private static final String CHECK_IN = """
            UPDATE meetup_registration SET checked_in_at = $2 WHERE id = $1 AND code = $3 AND status = 'confirmed' AND checked_in_at IS NULL""";

    private static final String AGENDA = """
            SELECT i.id, i.position, i.title, i.thread_id, i.insights FROM meetup_agenda_item i
            WHERE i.course_id = $1 AND i.cohort_id = $2 ORDER BY i.position, i.id""";

    private static final String ADD_ITEM = """
            INSERT INTO meetup_agenda_item (course_id, cohort_id, position, title, thread_id, created_at)
            SELECT $1, $2, COALESCE(max(position) + 1, 0), $3, $4, $5 FROM meetup_agenda_item WHERE course_id = $1 AND cohort_id = $2
            ON CONFLICT (course_id, cohort_id, thread_id) DO NOTHING RETURNING id""";

    private static final String RENAME_ITEM = "UPDATE meetup_agenda_item SET title = $4 WHERE course_id = $1 AND cohort_id = $2 AND id = $3";

    private static final String REMOVE_ITEM = "DELETE FROM meetup_agenda_item WHERE course_id = $1 AND cohort_id = $2 AND id = $3";

    private static final String SET_POSITION = "UPDATE meetup_agenda_item SET position = $2 WHERE id = $1";

    private static final String SET_INSIGHTS = "UPDATE meetup_agenda_item SET insights = $4 WHERE course_id = $1 AND cohort_id = $2 AND id = $3";

    private static final String SESSION = """
            SELECT round, round_started_at, round_minutes, ended_at, harvest_intro, harvest_published_at
            FROM meetup_session WHERE course_id = $1 AND cohort_id = $2""";

    private static final String ENSURE_SESSION = """
            INSERT INTO meetup_session (course_id, cohort_id) VALUES ($1, $2) ON CONFLICT DO NOTHING""";

    private static final String START_ROUND = """
            UPDATE meetup_session SET round = $3, round_started_at = $4, round_minutes = $5 WHERE course_id = $1 AND cohort_id = $2""";

    /** Ending twice keeps the first end (a repeated confirmation changes nothing). */
    private static final String END = "UPDATE meetup_session SET ended_at = $3 WHERE course_id = $1 AND cohort_id = $2 AND ended_at IS NULL";

    private static final String REOPEN = "UPDATE meetup_session SET ended_at = NULL WHERE course_id = $1 AND cohort_id = $2 AND ended_at IS NOT NULL";

    private static final String HARVEST_INTRO = "UPDATE meetup_session SET harvest_intro = $3 WHERE course_id = $1 AND cohort_id = $2";

    private static final String PUBLISH = """
            UPDATE meetup_session SET harvest_published_at = $3 WHERE course_id = $1 AND cohort_id = $2 AND harvest_published_at IS NULL""";

    private static final String CHOICE = """
            INSERT INTO meetup_table_choice (course_id, cohort_id, round, account_id, table_index) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (course_id, cohort_id, round, account_id) DO UPDATE SET table_index = EXCLUDED.table_index""";

    private static final String CHOICES = """
            SELECT account_id, table_index FROM meetup_table_choice WHERE course_id = $1 AND cohort_id = $2 AND round = $3""";

    private static final String SEATS = """
            SELECT s.round, s.account_id, s.table_index, a.email, a.name FROM meetup_seat s JOIN account a ON a.id = s.account_id
            WHERE s.course_id = $1 AND s.cohort_id = $2 ORDER BY s.round, s.table_index, a.name, a.email""";

    private static final String INSERT_SEATS = """
            INSERT INTO meetup_seat (course_id, cohort_id, round, account_id, table_index)
            SELECT $1, $2, $3, a, t FROM unnest($4::bigint[], $5::int[]) AS x(a, t)""";

    private static final String MOVE_SEAT = """
            UPDATE meetup_seat SET table_index = $5 WHERE course_id = $1 AND cohort_id = $2 AND round = $3 AND account_id = $4""";

    private static final String ATTENDEES = """
            SELECT account_id FROM meetup_registration WHERE course_id = $1 AND cohort_id = $2 AND status = 'confirmed'
              AND (checked_in_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM meetup_registration c
                   WHERE c.course_id = $1 AND c.cohort_id = $2 AND c.checked_in_at IS NOT NULL))
            ORDER BY seq""";

    private static final String ADD_NOTE = """
            INSERT INTO meetup_note (course_id, cohort_id, table_index, round, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    private static final String NOTES = """
            SELECT n.id, n.table_index, n.round, n.body, n.created_at, a.email, a.name FROM meetup_note n JOIN account a ON a.id = n.author_id
            WHERE n.course_id = $1 AND n.cohort_id = $2 ORDER BY n.table_index, n.id""";

    private static final String ASK = """
            INSERT INTO meetup_question (course_id, cohort_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id""";

    private static final String QUESTIONS = """
            SELECT q.id, q.body, q.votes, q.state, q.hidden_reason, q.created_at, v.account_id IS NOT NULL AS voted
            FROM meetup_question q LEFT JOIN meetup_question_vote v ON v.question_id = q.id AND v.account_id = $3
            WHERE q.course_id = $1 AND q.cohort_id = $2 AND ($4 OR q.state <> 'hidden')
            ORDER BY q.state = 'answered', q.votes DESC, q.id""";

    /** One vote per person; the count moves only when a vote was really added. */
    private static final String VOTE = """
            WITH added AS (
                INSERT INTO meetup_question_vote (question_id, account_id)
                SELECT id, $4 FROM meetup_question WHERE id = $3 AND course_id = $1 AND cohort_id = $2 AND state = 'open'
                ON CONFLICT DO NOTHING RETURNING question_id
            )
            UPDATE meetup_question SET votes = votes + 1 WHERE id IN (SELECT question_id FROM added) RETURNING votes""";

    private static final String QUESTION_STATE = """
            SELECT votes, state FROM meetup_question WHERE id = $3 AND course_id = $1 AND cohort_id = $2""";

    /** The reason goes with the state: set when hidden, cleared otherwise (V028 checks it). */
    private static final String MARK = """
            UPDATE meetup_question SET state = $4, hidden_reason = CASE WHEN $4 = 'hidden' THEN $5 END
            WHERE id = $3 AND course_id = $1 AND cohort_id = $2""";

    /** How many questions are hidden, per reason (the partial index meetup_question_hidden answers it). */
    private static final String HIDDEN_COUNTS = """
            SELECT hidden_reason, count(*) AS n FROM meetup_question WHERE course_id = $1 AND cohort_id = $2 AND state = 'hidden'
            GROUP BY hidden_reason""";

    private static final String RECENT_BY = """
            SELECT (SELECT count(*) FROM meetup_question WHERE author_id = $1 AND created_at > $2)
                 + (SELECT count(*) FROM meetup_note WHERE author_id = $1 AND created_at > $2)""";

    private static final String FEED = """
            INSERT INTO feed_entry (course_id, cohort_id, kind, title, path, summary, published_at) VALUES ($1, $2, 'harvest', $3, $4, $5, $6)""";

    /** Claims agenda threads for the harvest's post; answers those claimed now (never one claimed before). */
    private static final String CLAIM_HARVEST_POSTS = """
            INSERT INTO meetup_harvest_post (thread_id, course_id, cohort_id, posted_at)
            SELECT t, $2, $3, $4 FROM unnest($1::bigint[]) AS t ORDER BY t
            ON CONFLICT (thread_id) DO NOTHING RETURNING thread_id""";

    private static final String RECORD_HARVEST_POSTS = """
            UPDATE meetup_harvest_post h SET post_number = x.number FROM unnest($1::bigint[], $2::int[]) AS x(thread_id, number)
            WHERE h.thread_id = x.thread_id""";

    private static final String CONFIRMED_COHORTS = """
            SELECT DISTINCT course_id, cohort_id FROM meetup_registration WHERE status = 'confirmed'""";

    private static final String CONFIRMED = "SELECT " + REGISTRATION_COLUMNS + " "
            + "FROM meetup_registration r JOIN account a ON a.id = r.account_id WHERE r.course_id = $1 AND r.cohort_id = $2 AND r.status = 'confirmed'"
            + " AND " + org.knowmad.notify.MailRules.NEWS_SQL; // only reminders read this list: news, so "never" means never

    /** A registration with its person. */
    public record Registration(long id, long accountId, String status, long seq, String code, Instant createdAt, Instant checkedInAt,
                               boolean walkIn, String email, String name, String language) {

        public boolean confirmed() {
            return "confirmed".equals(status);
        }

        public boolean waitlisted() {
            return "waitlisted".equals(status);
        }

        public String displayName() {
            return org.knowmad.account.Account.shownName(name, email);
        }

        static Registration from(Row r) {
            return new Registration(r.getLong("id"), r.getLong("account_id"), r.getString("status"), r.getLong("seq"), r.getString("code"),
                    instant(r, "created_at"), instant(r, "checked_in_at"), r.getBoolean("walk_in"), r.getString("email"), r.getString("name"),
                    r.getString("language"));
        }
    }

    public record Counts(int confirmed, int waitlisted, int checkedIn) {
    }

    public record AgendaItem(long id, int position, String title, Long threadId, String insights) {
    }

    public record Session(int round, Instant roundStartedAt, Integer roundMinutes, Instant endedAt, String harvestIntro, Instant harvestPublishedAt) {

        public static final Session NONE = new Session(0, null, null, null, "", null);

        public boolean published() {
            return harvestPublishedAt != null;
        }
    }

    public record Seat(int round, long accountId, int table, String email, String name) {

        public String displayName() {
            return org.knowmad.account.Account.shownName(name, email);
        }
    }

    public record Note(long id, int table, int round, String body, Instant createdAt, String authorEmail, String authorName) {
    }

    public record Question(long id, String body, int votes, String state, String hiddenReason, Instant createdAt, boolean voted) {
    }

    /** Hidden questions of one reason ({@code reason} null: hidden before reasons were asked for). */
    public record Hidden(String reason, int count) {
    }

    public record CohortKey(String courseId, String cohortId) {
    }

    public Future<Void> lock(SqlClient tx, String courseId, String cohortId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('meetup'), hashtext($1))").execute(Tuple.of(courseId + "/" + cohortId)).mapEmpty();
    }

    public Future<Optional<Registration>> registration(SqlClient db, String courseId, String cohortId, long accountId) {
        return db.preparedQuery(REGISTRATION).execute(Tuple.of(courseId, cohortId, accountId)).map(rows -> first(rows).map(Registration::from));
    }

    public Future<List<Registration>> registrations(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(REGISTRATIONS).execute(Tuple.of(courseId, cohortId)).map(MeetupStore::registrations);
    }

    public Future<List<Registration>> confirmed(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(CONFIRMED).execute(Tuple.of(courseId, cohortId)).map(MeetupStore::registrations);
    }

    public Future<Optional<Registration>> byCode(SqlClient db, String courseId, String cohortId, String code) {
        return db.preparedQuery(BY_CODE).execute(Tuple.of(courseId, cohortId, code)).map(rows -> first(rows).map(Registration::from));
    }

    public Future<Optional<Registration>> byId(SqlClient db, String courseId, String cohortId, long id) {
        return db.preparedQuery(BY_ID).execute(Tuple.of(courseId, cohortId, id)).map(rows -> first(rows).map(Registration::from));
    }

    public Future<Counts> counts(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(COUNTS).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            Row r = rows.iterator().next();
            return new Counts(r.getLong("confirmed").intValue(), r.getLong("waitlisted").intValue(), r.getLong("checked_in").intValue());
        });
    }

    public Future<Long> upsert(SqlClient tx, String courseId, String cohortId, long accountId, String status, String code, Instant now,
                               boolean walkIn, Instant checkedInAt) {
        return tx.preparedQuery(UPSERT).execute(Tuple.tuple().addValue(courseId).addValue(cohortId).addValue(accountId).addValue(status)
                        .addValue(code).addValue(at(now)).addValue(walkIn).addValue(at(checkedInAt)))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** What {@link #registerAll} needs to know of one person: the two possible mails, ready (the waitlist one with #POSITION#). */
    public record NewRegistration(String courseId, String cohortId, long accountId, Integer capacity, String code, Instant now,
                                  org.knowmad.notify.Mail waitlisted, org.knowmad.notify.Mail confirmed, String liveEvent, KeyClaim key) {
    }

    /**
     * The request's idempotency key, claimed in the registration's own transaction with the answer it is given
     * (status and Location: a registration's answer does not depend on how it came out). Keys older than
     * {@code cutoff} are as good as new.
     */
    public record KeyClaim(String key, String action, int status, String location, Instant cutoff) {
    }

    /** One person's part of a registration call: a repeat of an idempotency key, or what was made (none: registered already). */
    public record Outcome(boolean repeat, Optional<Registered> made) {
    }

    /** A registration just made: its status and, on the waitlist, its place in line. */
    public record Registered(long id, String status, long seq, String code, int position, int confirmedBefore) {
    }

    /**
     * Registers people for one meetup in one statement (its own transaction when {@code db} is a pool), in the
     * list's order under one taking of the meetup's lock, each with its idempotency key claimed beside it. All of
     * {@code batch} is for the same meetup.
     */
    public Future<List<Outcome>> registerAll(SqlClient db, List<NewRegistration> batch) {
        NewRegistration last = batch.get(batch.size() - 1);
        int n = batch.size();
        Long[] accounts = new Long[n];
        OffsetDateTime[] nows = new OffsetDateTime[n];
        String[] codes = new String[n], to = new String[n], waitSubjects = new String[n], waitBodies = new String[n];
        String[] seatSubjects = new String[n], seatBodies = new String[n], seatAttachments = new String[n];
        String[] keys = new String[n], keyPaths = new String[n], answerLocations = new String[n];
        Integer[] answerStatuses = new Integer[n];
        Instant cutoff = null;
        for (int i = 0; i < n; i++) {
            NewRegistration r = batch.get(i);
            accounts[i] = r.accountId();
            nows[i] = at(r.now());
            codes[i] = r.code();
            to[i] = r.waitlisted().to();
            waitSubjects[i] = r.waitlisted().subject();
            waitBodies[i] = r.waitlisted().text();
            seatSubjects[i] = r.confirmed().subject();
            seatBodies[i] = r.confirmed().text();
            seatAttachments[i] = r.confirmed().attachment().body();
            if (r.key() != null) {
                keys[i] = r.key().key();
                keyPaths[i] = r.key().action();
                answerStatuses[i] = r.key().status();
                answerLocations[i] = r.key().location();
                cutoff = r.key().cutoff();
            }
        }
        // The meetup's settings as the latest arrival saw them (a course reloaded in between changes the capacity).
        return db.preparedQuery(REGISTER_ALL).execute(Tuple.tuple().addValue(last.courseId()).addValue(last.cohortId()).addValue(last.capacity())
                        .addValue(last.waitlisted().dedupeKey()).addValue(last.confirmed().dedupeKey())
                        .addValue(last.confirmed().attachment().contentType()).addValue(LiveEvents.CHANNEL).addValue(last.liveEvent())
                        .addValue(accounts).addValue(nows).addValue(codes).addValue(to).addValue(waitSubjects).addValue(waitBodies)
                        .addValue(seatSubjects).addValue(seatBodies).addValue(seatAttachments)
                        .addValue(cutoff == null ? null : at(cutoff)).addValue(keys).addValue(keyPaths).addValue(answerStatuses)
                        .addValue(answerLocations))
                .map(rows -> {
                    List<Outcome> outcomes = new ArrayList<>(n);
                    for (Row r : rows) {
                        outcomes.add(new Outcome(r.getBoolean("r_repeat"), r.getLong("r_id") == null ? Optional.empty()
                                : Optional.of(new Registered(r.getLong("r_id"), r.getString("r_status"), r.getLong("r_seq"), r.getString("r_code"),
                                        r.getLong("r_position").intValue(), r.getLong("r_confirmed_before").intValue()))));
                    }
                    return outcomes;
                });
    }

    public Future<Integer> position(SqlClient db, String courseId, String cohortId, long seq) {
        return db.preparedQuery(POSITION).execute(Tuple.of(courseId, cohortId, seq)).map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    public Future<Void> setStatus(SqlClient tx, long id, String status, Instant now) {
        return tx.preparedQuery(SET_STATUS).execute(Tuple.of(id, status, at(now))).mapEmpty();
    }

    public Future<List<Registration>> firstWaiting(SqlClient tx, String courseId, String cohortId, int count) {
        return tx.preparedQuery(FIRST_WAITING).execute(Tuple.of(courseId, cohortId, count)).map(MeetupStore::registrations);
    }

    public Future<Void> promote(SqlClient tx, List<Long> ids, Instant now) {
        if (ids.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(PROMOTE).execute(Tuple.of(ids.toArray(Long[]::new), at(now))).mapEmpty();
    }

    /** Checks in the registration that still has this code (a cancelled-and-renewed one has another). */
    public Future<Boolean> checkIn(SqlClient db, long id, String code, Instant now) {
        return db.preparedQuery(CHECK_IN).execute(Tuple.of(id, at(now), code)).map(r -> r.rowCount() == 1);
    }

    public Future<List<AgendaItem>> agenda(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(AGENDA).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<AgendaItem> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new AgendaItem(r.getLong("id"), r.getInteger("position"), r.getString("title"), r.getLong("thread_id"), r.getString("insights")));
            }
            return list;
        });
    }

    public Future<Boolean> addItem(SqlClient tx, String courseId, String cohortId, String title, Long threadId, Instant now) {
        return tx.preparedQuery(ADD_ITEM).execute(Tuple.of(courseId, cohortId, title, threadId, at(now))).map(rows -> rows.size() == 1);
    }

    public Future<Boolean> renameItem(SqlClient tx, String courseId, String cohortId, long id, String title) {
        return tx.preparedQuery(RENAME_ITEM).execute(Tuple.of(courseId, cohortId, id, title)).map(r -> r.rowCount() == 1);
    }

    public Future<Boolean> removeItem(SqlClient tx, String courseId, String cohortId, long id) {
        return tx.preparedQuery(REMOVE_ITEM).execute(Tuple.of(courseId, cohortId, id)).map(r -> r.rowCount() == 1);
    }

    public Future<Void> setPositions(SqlClient tx, List<Long> idsInOrder) {
        List<Tuple> batch = new ArrayList<>();
        for (int i = 0; i < idsInOrder.size(); i++) batch.add(Tuple.of(idsInOrder.get(i), i));
        if (batch.isEmpty()) return Future.succeededFuture();
        return tx.preparedQuery(SET_POSITION).executeBatch(batch).mapEmpty();
    }

    public Future<Boolean> setInsights(SqlClient tx, String courseId, String cohortId, long id, String insights) {
        return tx.preparedQuery(SET_INSIGHTS).execute(Tuple.of(courseId, cohortId, id, insights)).map(r -> r.rowCount() == 1);
    }

    public Future<Session> session(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(SESSION).execute(Tuple.of(courseId, cohortId)).map(rows -> first(rows).map(r -> new Session(r.getInteger("round"),
                instant(r, "round_started_at"), r.getInteger("round_minutes"), instant(r, "ended_at"), r.getString("harvest_intro"),
                instant(r, "harvest_published_at"))).orElse(Session.NONE));
    }

    public Future<Void> ensureSession(SqlClient tx, String courseId, String cohortId) {
        return tx.preparedQuery(ENSURE_SESSION).execute(Tuple.of(courseId, cohortId)).mapEmpty();
    }

    public Future<Void> startRound(SqlClient tx, String courseId, String cohortId, int round, Instant now, int minutes) {
        return tx.preparedQuery(START_ROUND).execute(Tuple.of(courseId, cohortId, round, at(now), minutes)).mapEmpty();
    }

    /** Ends the meetup; answers whether this call ended it (false: it had ended already). */
    public Future<Boolean> end(SqlClient tx, String courseId, String cohortId, Instant now) {
        return tx.preparedQuery(END).execute(Tuple.of(courseId, cohortId, at(now))).map(r -> r.rowCount() == 1);
    }

    /** Takes an end back; answers whether it was ended. */
    public Future<Boolean> reopen(SqlClient tx, String courseId, String cohortId) {
        return tx.preparedQuery(REOPEN).execute(Tuple.of(courseId, cohortId)).map(r -> r.rowCount() == 1);
    }

    public Future<Void> harvestIntro(SqlClient tx, String courseId, String cohortId, String intro) {
        return tx.preparedQuery(HARVEST_INTRO).execute(Tuple.of(courseId, cohortId, intro)).mapEmpty();
    }

    public Future<Boolean> publish(SqlClient tx, String courseId, String cohortId, Instant now) {
        return tx.preparedQuery(PUBLISH).execute(Tuple.of(courseId, cohortId, at(now))).map(r -> r.rowCount() == 1);
    }

    public Future<Void> choose(SqlClient db, String courseId, String cohortId, int round, long accountId, int table) {
        return db.preparedQuery(CHOICE).execute(Tuple.of(courseId, cohortId, round, accountId, table)).mapEmpty();
    }

    public Future<java.util.Map<Long, Integer>> choices(SqlClient db, String courseId, String cohortId, int round) {
        return db.preparedQuery(CHOICES).execute(Tuple.of(courseId, cohortId, round)).map(rows -> {
            java.util.Map<Long, Integer> map = new java.util.HashMap<>();
            for (Row r : rows) map.put(r.getLong("account_id"), r.getInteger("table_index"));
            return map;
        });
    }

    public Future<List<Seat>> seats(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(SEATS).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<Seat> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Seat(r.getInteger("round"), r.getLong("account_id"), r.getInteger("table_index"), r.getString("email"), r.getString("name")));
            }
            return list;
        });
    }

    public Future<Void> insertSeats(SqlClient tx, String courseId, String cohortId, int round, java.util.Map<Long, Integer> tableOf) {
        if (tableOf.isEmpty()) return Future.succeededFuture();
        Long[] people = tableOf.keySet().toArray(Long[]::new);
        Integer[] tables = new Integer[people.length];
        for (int i = 0; i < people.length; i++) tables[i] = tableOf.get(people[i]);
        return tx.preparedQuery(INSERT_SEATS).execute(Tuple.of(courseId, cohortId, round, people, tables)).mapEmpty();
    }

    public Future<Boolean> moveSeat(SqlClient tx, String courseId, String cohortId, int round, long accountId, int table) {
        return tx.preparedQuery(MOVE_SEAT).execute(Tuple.of(courseId, cohortId, round, accountId, table)).map(r -> r.rowCount() == 1);
    }

    public Future<List<Long>> attendees(SqlClient tx, String courseId, String cohortId) {
        return tx.preparedQuery(ATTENDEES).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            for (Row r : rows) ids.add(r.getLong("account_id"));
            return ids;
        });
    }

    public Future<Void> addNote(SqlClient tx, String courseId, String cohortId, int table, int round, long authorId, String body, Instant now) {
        return tx.preparedQuery(ADD_NOTE).execute(Tuple.tuple().addValue(courseId).addValue(cohortId).addValue(table).addValue(round)
                .addValue(authorId).addValue(body).addValue(at(now))).mapEmpty();
    }

    public Future<List<Note>> notes(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(NOTES).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<Note> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Note(r.getLong("id"), r.getInteger("table_index"), r.getInteger("round"), r.getString("body"),
                        instant(r, "created_at"), r.getString("email"), r.getString("name")));
            }
            return list;
        });
    }

    public Future<Long> ask(SqlClient tx, String courseId, String cohortId, long authorId, String body, Instant now) {
        return tx.preparedQuery(ASK).execute(Tuple.of(courseId, cohortId, authorId, body, at(now))).map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<List<Question>> questions(SqlClient db, String courseId, String cohortId, long viewerId, boolean organiser) {
        return db.preparedQuery(QUESTIONS).execute(Tuple.of(courseId, cohortId, viewerId, organiser)).map(rows -> {
            List<Question> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Question(r.getLong("id"), r.getString("body"), r.getInteger("votes"), r.getString("state"),
                        r.getString("hidden_reason"), instant(r, "created_at"), r.getBoolean("voted")));
            }
            return list;
        });
    }

    /** Adds one vote; answers the votes, or -1 when there is no such open question. */
    public Future<Integer> vote(SqlClient tx, String courseId, String cohortId, long questionId, long accountId) {
        return tx.preparedQuery(VOTE).execute(Tuple.of(courseId, cohortId, questionId, accountId)).compose(rows -> rows.size() == 1
                ? Future.succeededFuture(rows.iterator().next().getInteger(0))
                : tx.preparedQuery(QUESTION_STATE).execute(Tuple.of(courseId, cohortId, questionId))
                        .map(r -> r.size() == 0 || !"open".equals(r.iterator().next().getString("state")) ? -1 : r.iterator().next().getInteger("votes")));
    }

    public Future<Boolean> mark(SqlClient tx, String courseId, String cohortId, long questionId, String state, String reason) {
        return tx.preparedQuery(MARK).execute(Tuple.of(courseId, cohortId, questionId, state, reason)).map(r -> r.rowCount() == 1);
    }

    public Future<List<Hidden>> hidden(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(HIDDEN_COUNTS).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<Hidden> list = new ArrayList<>();
            for (Row r : rows) list.add(new Hidden(r.getString("hidden_reason"), r.getLong("n").intValue()));
            return list;
        });
    }

    /** Questions and notes someone wrote since {@code since}, over all meetups. */
    public Future<Long> recentBy(SqlClient db, long authorId, Instant since) {
        return db.preparedQuery(RECENT_BY).execute(Tuple.of(authorId, at(since))).map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Void> feed(SqlClient tx, String courseId, String cohortId, String title, String path, String summary, Instant now) {
        return tx.preparedQuery(FEED).execute(Tuple.of(courseId, cohortId, title, path, summary, at(now))).mapEmpty();
    }

    public Future<List<Long>> claimHarvestPosts(SqlClient tx, String courseId, String cohortId, List<Long> threads, Instant now) {
        return tx.preparedQuery(CLAIM_HARVEST_POSTS).execute(Tuple.of(threads.toArray(Long[]::new), courseId, cohortId, at(now))).map(rows -> {
            List<Long> claimed = new ArrayList<>();
            for (Row r : rows) claimed.add(r.getLong(0));
            return claimed;
        });
    }

    public Future<Void> recordHarvestPosts(SqlClient tx, List<org.knowmad.discussion.DiscussionStore.CoursePost> posts) {
        if (posts.isEmpty()) return Future.succeededFuture();
        // Built value by value: Tuple.of(array, array) would spread the second array into values.
        return tx.preparedQuery(RECORD_HARVEST_POSTS).execute(Tuple.tuple()
                .addValue(posts.stream().map(org.knowmad.discussion.DiscussionStore.CoursePost::threadId).toArray(Long[]::new))
                .addValue(posts.stream().map(org.knowmad.discussion.DiscussionStore.CoursePost::number).toArray(Integer[]::new))).mapEmpty();
    }

    public Future<List<CohortKey>> cohortsWithConfirmed(SqlClient db) {
        return db.preparedQuery(CONFIRMED_COHORTS).execute().map(rows -> {
            List<CohortKey> list = new ArrayList<>();
            for (Row r : rows) list.add(new CohortKey(r.getString("course_id"), r.getString("cohort_id")));
            return list;
        });
    }

    /** Publishes a live event of this meetup to every node when the transaction commits. */
    public Future<Void> notify(SqlClient tx, String courseId, String cohortId, String type, JsonObject data) {
        JsonObject event = data.copy().put("type", type).put("scope", "meetup").put("course", courseId).put("cohort", cohortId);
        // Screens reload on these; a burst of them (check-ins at the door, votes, notes) is folded per screen.
        if (!"round-started".equals(type) && !"meetup-ended".equals(type) && !"meetup-reopened".equals(type)) event.put("coalesce", true);
        return tx.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(LiveEvents.CHANNEL, event.encode())).mapEmpty();
    }

    private static List<Registration> registrations(RowSet<Row> rows) {
        List<Registration> list = new ArrayList<>();
        for (Row r : rows) list.add(Registration.from(r));
        return list;
    }
}
