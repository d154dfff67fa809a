package org.knowmad.guidelines;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The only class with SQL for a cohort's own guidelines: proposals, votes, the window, adopted versions. */
final class GuidelineStore {

    record Proposal(long id, long authorId, String authorName, String authorEmail, boolean anonymous, String body, int votes,
                    boolean votedByMe, Instant createdAt) {
    }

    record Item(String body, Long proposalId, Long authorId, String authorName, String authorEmail, boolean anonymous) {
    }

    /** An adopted version; version 0 stands for "none yet". */
    record Version(int version, Instant adoptedAt, List<Item> items) {
        static final Version NONE = new Version(0, null, List.of());
    }

    private static final String PROPOSALS = """
            SELECT p.id, p.author_id, a.name, a.email, p.anonymous, p.body, p.votes, p.created_at,
                   EXISTS (SELECT 1 FROM guideline_vote v WHERE v.proposal_id = p.id AND v.account_id = $3) AS voted
            FROM guideline_proposal p JOIN account a ON a.id = p.author_id
            WHERE p.course_id = $1 AND p.cohort_id = $2 AND p.withdrawn_at IS NULL
            ORDER BY p.votes DESC, p.id""";

    private static final String CURRENT = """
            SELECT v.version, v.adopted_at, i.body, i.proposal_id, i.author_id, a.name, a.email, i.anonymous
            FROM guideline_version v
            JOIN guideline_version_item i ON (i.course_id, i.cohort_id, i.version) = (v.course_id, v.cohort_id, v.version)
            LEFT JOIN account a ON a.id = i.author_id
            WHERE v.course_id = $1 AND v.cohort_id = $2
              AND v.version = (SELECT max(version) FROM guideline_version WHERE course_id = $1 AND cohort_id = $2)
            ORDER BY i.position""";

    private static final String VERSIONS = """
            SELECT v.version, v.adopted_at, count(i.*) AS items FROM guideline_version v
            JOIN guideline_version_item i ON (i.course_id, i.cohort_id, i.version) = (v.course_id, v.cohort_id, v.version)
            WHERE v.course_id = $1 AND v.cohort_id = $2 GROUP BY v.version, v.adopted_at ORDER BY v.version DESC""";

    private static final String WINDOW = "SELECT proposals_until FROM guideline_window WHERE course_id = $1 AND cohort_id = $2";

    private static final String SET_WINDOW = """
            INSERT INTO guideline_window (course_id, cohort_id, proposals_until, set_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (course_id, cohort_id) DO UPDATE SET proposals_until = EXCLUDED.proposals_until, set_by = EXCLUDED.set_by""";

    private static final String PROPOSE = """
            INSERT INTO guideline_proposal (course_id, cohort_id, author_id, anonymous, body, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""";

    private static final String PROPOSAL_AUTHOR = """
            SELECT author_id FROM guideline_proposal WHERE id = $1 AND course_id = $2 AND cohort_id = $3 AND withdrawn_at IS NULL""";

    /** A vote counts once: the counter moves only when the vote row really came or went. */
    private static final String VOTE = """
            WITH v AS (INSERT INTO guideline_vote (proposal_id, account_id, created_at) VALUES ($1, $2, $3)
                       ON CONFLICT DO NOTHING RETURNING proposal_id)
            UPDATE guideline_proposal SET votes = votes + 1 WHERE id IN (SELECT proposal_id FROM v)""";

    private static final String UNVOTE = """
            WITH v AS (DELETE FROM guideline_vote WHERE proposal_id = $1 AND account_id = $2 RETURNING proposal_id)
            UPDATE guideline_proposal SET votes = votes - 1 WHERE id IN (SELECT proposal_id FROM v)""";

    private static final String WITHDRAW = "UPDATE guideline_proposal SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL";

    /** One adoption at a time per cohort: the next number is counted under this lock. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('guidelines:' || $1 || '/' || $2))";

    private static final String NEXT_VERSION = """
            SELECT coalesce(max(version), 0) + 1 FROM guideline_version WHERE course_id = $1 AND cohort_id = $2""";

    private static final String INSERT_VERSION = """
            INSERT INTO guideline_version (course_id, cohort_id, version, adopted_by, adopted_at) VALUES ($1, $2, $3, $4, $5)""";

    /** The chosen proposals' texts as they stand, in the order chosen; unknown or withdrawn ids are skipped. */
    private static final String PROPOSED_ITEMS = """
            SELECT p.id, p.body, p.author_id, p.anonymous FROM unnest($3::bigint[]) WITH ORDINALITY AS chosen(id, n)
            JOIN guideline_proposal p ON p.id = chosen.id
            WHERE p.course_id = $1 AND p.cohort_id = $2 AND p.withdrawn_at IS NULL ORDER BY chosen.n""";

    private static final String INSERT_ITEMS = """
            INSERT INTO guideline_version_item (course_id, cohort_id, version, position, body, proposal_id, author_id, anonymous)
            SELECT $1, $2, $3, n, body, proposal_id, author_id, anonymous
            FROM unnest($4::text[], $5::bigint[], $6::bigint[], $7::boolean[]) WITH ORDINALITY AS t(body, proposal_id, author_id, anonymous, n)""";

    Future<List<Proposal>> proposals(SqlClient db, String course, String cohort, long viewerId) {
        return db.preparedQuery(PROPOSALS).execute(Tuple.of(course, cohort, viewerId)).map(rows -> {
            List<Proposal> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Proposal(r.getLong("id"), r.getLong("author_id"), r.getString("name"), r.getString("email"),
                        r.getBoolean("anonymous"), r.getString("body"), r.getInteger("votes"), r.getBoolean("voted"),
                        r.getOffsetDateTime("created_at").toInstant()));
            }
            return list;
        });
    }

    Future<Version> current(SqlClient db, String course, String cohort) {
        return db.preparedQuery(CURRENT).execute(Tuple.of(course, cohort)).map(rows -> {
            if (rows.size() == 0) return Version.NONE;
            List<Item> items = new ArrayList<>();
            int version = 0;
            Instant adoptedAt = null;
            for (Row r : rows) {
                version = r.getInteger("version");
                adoptedAt = r.getOffsetDateTime("adopted_at").toInstant();
                items.add(new Item(r.getString("body"), r.getLong("proposal_id"), r.getLong("author_id"), r.getString("name"),
                        r.getString("email"), r.getBoolean("anonymous")));
            }
            return new Version(version, adoptedAt, items);
        });
    }

    record VersionRow(int version, Instant adoptedAt, long items) {
    }

    Future<List<VersionRow>> versions(SqlClient db, String course, String cohort) {
        return db.preparedQuery(VERSIONS).execute(Tuple.of(course, cohort)).map(rows -> {
            List<VersionRow> list = new ArrayList<>();
            for (Row r : rows) list.add(new VersionRow(r.getInteger("version"), r.getOffsetDateTime("adopted_at").toInstant(), r.getLong("items")));
            return list;
        });
    }

    Future<Optional<Instant>> window(SqlClient db, String course, String cohort) {
        return db.preparedQuery(WINDOW).execute(Tuple.of(course, cohort))
                .map(rows -> rows.size() == 0 ? Optional.<Instant>empty() : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
    }

    Future<Void> setWindow(SqlClient db, String course, String cohort, Instant until, long by) {
        return db.preparedQuery(SET_WINDOW).execute(Tuple.of(course, cohort, utc(until), by)).mapEmpty();
    }

    Future<Long> propose(SqlClient db, String course, String cohort, long author, boolean anonymous, String body, Instant now) {
        return db.preparedQuery(PROPOSE).execute(Tuple.of(course, cohort, author, anonymous, body, utc(now)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    Future<Optional<Long>> proposalAuthor(SqlClient db, long proposal, String course, String cohort) {
        return db.preparedQuery(PROPOSAL_AUTHOR).execute(Tuple.of(proposal, course, cohort))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    Future<Void> vote(SqlClient db, long proposal, long account, boolean on, Instant now) {
        return (on ? db.preparedQuery(VOTE).execute(Tuple.of(proposal, account, utc(now)))
                : db.preparedQuery(UNVOTE).execute(Tuple.of(proposal, account))).mapEmpty();
    }

    Future<Void> withdraw(SqlClient db, long proposal, Instant now) {
        return db.preparedQuery(WITHDRAW).execute(Tuple.of(proposal, utc(now))).mapEmpty();
    }

    /**
     * Adopts a new version inside {@code tx}: the chosen course guidelines first (in the file's order), then the
     * chosen proposals in the order given. Answers the new version's number.
     */
    Future<Integer> adopt(SqlClient tx, String course, String cohort, List<String> courseItems, List<Long> proposalIds, long by, Instant now) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(course, cohort))
                .compose(v -> tx.preparedQuery(NEXT_VERSION).execute(Tuple.of(course, cohort)))
                .map(rows -> rows.iterator().next().getInteger(0))
                .compose(version -> tx.preparedQuery(PROPOSED_ITEMS).execute(Tuple.of(course, cohort, proposalIds.toArray(Long[]::new)))
                        .compose(rows -> {
                            List<String> bodies = new ArrayList<>(courseItems);
                            List<Long> ids = new ArrayList<>();
                            List<Long> authors = new ArrayList<>();
                            List<Boolean> anonymous = new ArrayList<>();
                            for (String ignored : courseItems) {
                                ids.add(null);
                                authors.add(null);
                                anonymous.add(false);
                            }
                            for (Row r : rows) {
                                bodies.add(r.getString("body"));
                                ids.add(r.getLong("id"));
                                authors.add(r.getLong("author_id"));
                                anonymous.add(r.getBoolean("anonymous"));
                            }
                            if (bodies.isEmpty()) return Future.failedFuture(new org.knowmad.web.HttpProblem(400, "guidelines.nothingChosen"));
                            return tx.preparedQuery(INSERT_VERSION).execute(Tuple.of(course, cohort, version, by, utc(now)))
                                    .compose(x -> tx.preparedQuery(INSERT_ITEMS).execute(Tuple.from(List.of(course, cohort, version,
                                            bodies.toArray(String[]::new), ids.toArray(Long[]::new), authors.toArray(Long[]::new),
                                            anonymous.toArray(Boolean[]::new)))))
                                    .map(version);
                        }));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
