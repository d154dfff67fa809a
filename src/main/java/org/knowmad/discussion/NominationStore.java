package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The only class that touches meetup nominations and votes. */
public final class NominationStore {

    private static final String NOMINATE = """
            INSERT INTO meetup_nomination (thread_id, nominated_by, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";

    private static final String WITHDRAW = "DELETE FROM meetup_nomination WHERE thread_id = $1";

    /** Adds one vote; the count moves only when a vote was really added. */
    private static final String VOTE = """
            WITH added AS (
                INSERT INTO meetup_vote (thread_id, account_id, created_at) SELECT thread_id, $2, $3 FROM meetup_nomination WHERE thread_id = $1
                ON CONFLICT DO NOTHING RETURNING thread_id
            )
            UPDATE meetup_nomination SET vote_count = vote_count + 1 WHERE thread_id IN (SELECT thread_id FROM added) RETURNING vote_count""";

    private static final String UNVOTE = """
            WITH removed AS (DELETE FROM meetup_vote WHERE thread_id = $1 AND account_id = $2 RETURNING thread_id)
            UPDATE meetup_nomination SET vote_count = vote_count - 1 WHERE thread_id IN (SELECT thread_id FROM removed) RETURNING vote_count""";

    private static final String VOTES = "SELECT vote_count FROM meetup_nomination WHERE thread_id = $1";

    /** Nominated threads of a cohort in modules the viewer may read, most votes first. */
    private static final String RANKED = """
            SELECT n.thread_id, t.title, t.module_id, n.vote_count, v.account_id IS NOT NULL AS voted
            FROM meetup_nomination n
            JOIN thread t ON t.id = n.thread_id
            LEFT JOIN meetup_vote v ON v.thread_id = n.thread_id AND v.account_id = $4
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND t.module_id = ANY($3)
            ORDER BY n.vote_count DESC, n.created_at, n.thread_id""";

    private static final String STATE = """
            SELECT n.vote_count, v.account_id IS NOT NULL AS voted FROM meetup_nomination n
            LEFT JOIN meetup_vote v ON v.thread_id = n.thread_id AND v.account_id = $2 WHERE n.thread_id = $1""";

    /** A nominated question as one viewer sees it. */
    public record Question(long threadId, String title, String moduleId, int votes, boolean voted) {
    }

    /** A thread's nomination: null when not nominated. */
    public record Nomination(int votes, boolean voted) {
    }

    public Future<Void> nominate(SqlClient db, long threadId, long byId, Instant now) {
        return db.preparedQuery(NOMINATE).execute(Tuple.of(threadId, byId, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<Void> withdraw(SqlClient db, long threadId) {
        return db.preparedQuery(WITHDRAW).execute(Tuple.of(threadId)).mapEmpty();
    }

    public Future<Integer> vote(SqlClient tx, long threadId, long accountId, boolean on, Instant now) {
        Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> change = on
                ? tx.preparedQuery(VOTE).execute(Tuple.of(threadId, accountId, now.atOffset(ZoneOffset.UTC)))
                : tx.preparedQuery(UNVOTE).execute(Tuple.of(threadId, accountId));
        return change.compose(rows -> rows.size() == 1
                ? Future.succeededFuture(rows.iterator().next().getInteger(0))
                : tx.preparedQuery(VOTES).execute(Tuple.of(threadId)).map(r -> r.size() == 0 ? -1 : r.iterator().next().getInteger(0)));
    }

    public Future<List<Question>> ranked(SqlClient db, String courseId, String cohortId, List<String> moduleIds, long viewerId) {
        return db.preparedQuery(RANKED).execute(Tuple.tuple().addValue(courseId).addValue(cohortId)
                        .addValue(moduleIds.toArray(String[]::new)).addValue(viewerId))
                .map(rows -> {
                    List<Question> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Question(r.getLong("thread_id"), r.getString("title"), r.getString("module_id"),
                            r.getInteger("vote_count"), r.getBoolean("voted"))));
                    return list;
                });
    }

    public Future<Nomination> state(SqlClient db, long threadId, long viewerId) {
        return db.preparedQuery(STATE).execute(Tuple.of(threadId, viewerId)).map(rows -> rows.size() == 0 ? null
                : new Nomination(rows.iterator().next().getInteger("vote_count"), rows.iterator().next().getBoolean("voted")));
    }
}
