package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowmad.live.LiveEvents;

/** The only class that touches the discussion tables. */
public final class DiscussionStore {

    private static final String THREAD_COLUMNS = """
            t.id, t.course_id, t.cohort_id, t.module_id, t.title, t.author_id, t.anonymous, t.pinned, t.closed_at,
            t.post_count, t.created_at, t.last_posted_at, t.solved_number, t.helpful_count, t.prompt_index,
            coalesce(a.name, split_part(a.email, '@', 1)) AS author_name, a.email AS author_email
            """;

    private static final String MODULE_THREADS_SELECT = "SELECT " + THREAD_COLUMNS + """
            , coalesce(rs.last_read_number, 0) AS last_read, fo.account_id IS NOT NULL AS following,
            EXISTS (SELECT 1 FROM post mine WHERE mine.thread_id = t.id AND mine.author_id = $5) AS answered,
            ARRAY(SELECT DISTINCT m.mark FROM post m WHERE m.thread_id = t.id AND m.mark IS NOT NULL AND m.deleted_at IS NULL
                  ORDER BY m.mark) AS marks
            """;

    private static final String MODULE_THREADS_JOINS = """
            LEFT JOIN account a ON a.id = t.author_id
            LEFT JOIN read_state rs ON rs.thread_id = t.id AND rs.account_id = $5
            LEFT JOIN follow fo ON fo.thread_id = t.id AND fo.account_id = $5
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND t.module_id = $3
            """;

    /**
     * A module's thread list in one of its orders, filtered, one keyset page: built only from the fixed pieces below
     * (never from request text). Each order walks its own index: thread_module_list (latest), thread_module_newest,
     * thread_module_helpful, thread_module_unanswered (V004, V023); the row comparisons match the indexes' order.
     * "Following" and "mine" start instead from the person's own threads (follow_account_thread, thread_author):
     * a few dozen, fetched by primary key and sorted, where walking the module's index would probe thousands.
     * {@code markAt} (0: none): the parameter holding a mark; only threads with a standing post marked so (post_marked).
     */
    static String moduleThreadsSql(ThreadList.Order order, ThreadList.Filter filter, boolean after, int markAt) {
        StringBuilder sql = new StringBuilder();
        // MATERIALIZED: the person's threads are fetched first, by primary key; left to itself the planner may walk
        // the module's index instead and probe every thread of the module against them.
        String own = "WITH own AS MATERIALIZED (SELECT * FROM thread WHERE id = ANY (ARRAY(%s)) "
                + "AND course_id = $1 AND cohort_id = $2 AND module_id = $3)\n";
        switch (filter) {
            case ALL -> sql.append(MODULE_THREADS_SELECT).append("FROM thread t\n");
            case FOLLOWING -> sql.append(own.formatted("SELECT f.thread_id FROM follow f WHERE f.account_id = $5"))
                    .append(MODULE_THREADS_SELECT).append("FROM own t\n");
            case MINE -> sql.append(own.formatted("SELECT m.id FROM thread m WHERE m.author_id = $5"))
                    .append(MODULE_THREADS_SELECT).append("FROM own t\n");
        }
        sql.append(MODULE_THREADS_JOINS);
        if (markAt > 0) sql.append("  AND EXISTS (SELECT 1 FROM post m WHERE m.thread_id = t.id AND m.mark = $" + markAt + " AND m.deleted_at IS NULL)\n");
        switch (order) {
            case LATEST -> sql.append(after ? "  AND (t.pinned, t.last_posted_at, t.id) < ($6, $7, $8)\n" : "")
                    .append("ORDER BY t.pinned DESC, t.last_posted_at DESC, t.id DESC\n");
            case NEWEST -> sql.append(after ? "  AND (t.created_at, t.id) < ($6, $7)\n" : "")
                    .append("ORDER BY t.created_at DESC, t.id DESC\n");
            case HELPFUL -> sql.append(after ? "  AND (t.helpful_count, t.id) < ($6, $7)\n" : "")
                    .append("ORDER BY t.helpful_count DESC, t.id DESC\n");
            case UNANSWERED -> sql.append("  AND t.post_count <= 1\n").append(after ? "  AND (t.created_at, t.id) < ($6, $7)\n" : "")
                    .append("ORDER BY t.created_at DESC, t.id DESC\n");
        }
        return sql.append("LIMIT $4").toString();
    }

    private static final String THREAD = "SELECT " + THREAD_COLUMNS + """
            , coalesce(rs.last_read_number, 0) AS last_read, fo.account_id IS NOT NULL AS following,
            EXISTS (SELECT 1 FROM post mine WHERE mine.thread_id = t.id AND mine.author_id = $2) AS answered,
            ARRAY(SELECT DISTINCT m.mark FROM post m WHERE m.thread_id = t.id AND m.mark IS NOT NULL AND m.deleted_at IS NULL
                  ORDER BY m.mark) AS marks
            FROM thread t LEFT JOIN account a ON a.id = t.author_id
            LEFT JOIN read_state rs ON rs.thread_id = t.id AND rs.account_id = $2
            LEFT JOIN follow fo ON fo.thread_id = t.id AND fo.account_id = $2
            WHERE t.id = $1""";

    /** Moves the read mark forward only: reading an older page never marks newer posts unread again. */
    private static final String MARK_READ = """
            INSERT INTO read_state (thread_id, account_id, last_read_number) VALUES ($1, $2, $3)
            ON CONFLICT (account_id, thread_id) DO UPDATE SET last_read_number = greatest(read_state.last_read_number, excluded.last_read_number)
            WHERE read_state.last_read_number < excluded.last_read_number""";

    private static final String FOLLOW = """
            INSERT INTO follow (thread_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";

    private static final String UNFOLLOW = "DELETE FROM follow WHERE thread_id = $1 AND account_id = $2";

    /**
     * Keyset pagination: posts after a number, never OFFSET, so concurrent inserts cannot shift a page. $5 false:
     * only the course's own posts and the viewer's ({@link ThreadRules#seeOthersAnswers} said no; {@link ThreadRules#seeAnswer}).
     * Read by position in {@link PostRow#from}: keep the column order in step. What the viewer did to a post (helpful, me
     * too, a flag) is looked up only where its count says someone did: the counts move in the same statement as the
     * rows (REACT, UNREACT, ModerationStore's FLAG) and flags are never taken back, so a count of 0 means no row. Three
     * index probes for each of a page's 50 posts were most of this query's time (0.17 of 0.2 ms, run alone).
     */
    private static final String POSTS = """
            SELECT p.id, p.thread_id, p.number, p.author_id, p.anonymous, p.reply_to, p.body, p.created_at, p.edited_at, p.deleted_at,
                   p.helpful_count, p.endorsed_at,
                   CASE WHEN p.helpful_count > 0 THEN EXISTS (SELECT 1 FROM reaction r
                        WHERE r.post_id = p.id AND r.account_id = $4 AND r.kind = 'helpful') ELSE false END AS reacted,
                   p.hidden_at, p.flag_count,
                   CASE WHEN p.flag_count > 0 THEN EXISTS (SELECT 1 FROM flag f WHERE f.post_id = p.id AND f.account_id = $4)
                        ELSE false END AS flagged,
                   p.mark, p.me_too_count,
                   CASE WHEN p.me_too_count > 0 THEN EXISTS (SELECT 1 FROM reaction r
                        WHERE r.post_id = p.id AND r.account_id = $4 AND r.kind = 'me-too') ELSE false END AS me_too_by_me,
                   coalesce(a.name, split_part(a.email, '@', 1)) AS author_name, a.email AS author_email
            FROM post p
            LEFT JOIN account a ON a.id = p.author_id
            WHERE p.thread_id = $1 AND p.number > $2
              AND ($5 OR p.author_id = $4 OR p.author_id IS NULL)
            ORDER BY p.number
            LIMIT $3""";

    private static final String POST_AUTHOR = "SELECT author_id, deleted_at, hidden_at FROM post WHERE thread_id = $1 AND number = $2";

    /** Keeps the old text as a revision and puts the new one in place, in one statement. */
    private static final String EDIT = """
            WITH old AS (
                SELECT id, body FROM post WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL FOR UPDATE
            ), revision AS (
                INSERT INTO post_revision (post_id, body, edited_by, edited_at) SELECT id, body, $4, $5 FROM old RETURNING post_id
            )
            UPDATE post p SET body = $3, edited_at = $5 FROM revision WHERE p.id = revision.post_id RETURNING p.number""";

    private static final String DELETE = """
            UPDATE post SET deleted_at = $3, deleted_by = $4
            WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL RETURNING number""";

    /** Adds a reaction ($5: helpful, me-too) once; its count moves only when a row was really added. */
    private static final String REACT = """
            WITH target AS (
                SELECT id FROM post WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL
            ), added AS (
                INSERT INTO reaction (post_id, account_id, kind, created_at) SELECT id, $3, $5, $4 FROM target
                ON CONFLICT DO NOTHING RETURNING post_id
            ), counted AS (
                UPDATE post SET helpful_count = helpful_count + CASE WHEN $5 = 'helpful' THEN 1 ELSE 0 END,
                                me_too_count = me_too_count + CASE WHEN $5 = 'me-too' THEN 1 ELSE 0 END
                WHERE id IN (SELECT post_id FROM added)
                RETURNING thread_id, CASE WHEN $5 = 'helpful' THEN helpful_count ELSE me_too_count END AS count
            ), thread_total AS (
                -- The thread's total of "helpful" orders the "most helpful" list.
                UPDATE thread SET helpful_count = helpful_count + 1 WHERE $5 = 'helpful' AND id IN (SELECT thread_id FROM counted)
            )
            SELECT count FROM counted""";

    private static final String UNREACT = """
            WITH removed AS (
                DELETE FROM reaction r USING post p
                WHERE p.thread_id = $1 AND p.number = $2 AND r.post_id = p.id AND r.account_id = $3 AND r.kind = $4
                RETURNING r.post_id
            ), counted AS (
                UPDATE post SET helpful_count = helpful_count - CASE WHEN $4 = 'helpful' THEN 1 ELSE 0 END,
                                me_too_count = me_too_count - CASE WHEN $4 = 'me-too' THEN 1 ELSE 0 END
                WHERE id IN (SELECT post_id FROM removed)
                RETURNING thread_id, CASE WHEN $4 = 'helpful' THEN helpful_count ELSE me_too_count END AS count
            ), thread_total AS (
                UPDATE thread SET helpful_count = helpful_count - 1 WHERE $4 = 'helpful' AND id IN (SELECT thread_id FROM counted)
            )
            SELECT count FROM counted""";

    private static final String REACTION_COUNT = """
            SELECT CASE WHEN $3 = 'helpful' THEN helpful_count ELSE me_too_count END FROM post WHERE thread_id = $1 AND number = $2""";

    /** Working out loud: the author's mark on their post (null takes it off). */
    private static final String MARK = """
            UPDATE post SET mark = $3 WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL RETURNING number""";

    /**
     * A cohort's open help requests, oldest first: posts marked "asking for help" that nobody else has answered
     * since (no later post by someone else in the thread), still standing.
     */
    private static final String HELP_REQUESTS = """
            SELECT t.id AS thread_id, t.title, t.module_id, p.number, p.created_at, p.anonymous, p.author_id,
                   coalesce(a.name, split_part(a.email, '@', 1)) AS author_name
            FROM thread t JOIN post p ON p.thread_id = t.id AND p.mark = 'help'
            LEFT JOIN account a ON a.id = p.author_id
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND p.deleted_at IS NULL AND p.hidden_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM post later WHERE later.thread_id = t.id AND later.number > p.number
                              AND later.deleted_at IS NULL AND later.author_id IS DISTINCT FROM p.author_id)
            ORDER BY p.created_at, t.id, p.number
            LIMIT 100""";

    private static final String ENDORSE = """
            UPDATE post SET endorsed_at = CASE WHEN $3 THEN coalesce(endorsed_at, $4) END
            WHERE thread_id = $1 AND number = $2 AND deleted_at IS NULL RETURNING number""";

    /**
     * Marks a reply as the thread's answer (or, with a null number, takes the mark away). Marking the same post
     * again changes nothing (the first time and who marked it stay), so a repeated request is harmless.
     */
    private static final String SOLVE = """
            UPDATE thread SET solved_number = $2,
                   solved_at = CASE WHEN $2::int IS NULL THEN NULL WHEN solved_number = $2 THEN solved_at ELSE $3 END,
                   solved_by = CASE WHEN $2::int IS NULL THEN NULL WHEN solved_number = $2 THEN solved_by ELSE $4 END
            WHERE id = $1
            RETURNING id""";

    /** A post's state for its history: who wrote it, whether removed or hidden, its current text and times. */
    private static final String POST_FOR_HISTORY = """
            SELECT p.id, p.author_id, p.anonymous, p.body, p.created_at, p.edited_at, p.deleted_at IS NOT NULL AS deleted,
                   p.hidden_at IS NOT NULL AS hidden
            FROM post p WHERE p.thread_id = $1 AND p.number = $2""";

    /** The texts a post had before each edit, oldest first, with when each was replaced (post_revision_post index). */
    private static final String REVISIONS = """
            SELECT body, edited_at FROM post_revision WHERE post_id = $1 ORDER BY id LIMIT 500""";

    private static final String THREAD_SETTINGS = """
            UPDATE thread SET pinned = coalesce($2, pinned),
                   closed_at = CASE WHEN $3::boolean IS NULL THEN closed_at WHEN $3 THEN coalesce(closed_at, $4) END
            WHERE id = $1""";

    private static final String INSERT_THREAD = """
            INSERT INTO thread (course_id, cohort_id, module_id, title, author_id, anonymous, post_count, created_at, last_posted_at, search_config)
            VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $8::regconfig) RETURNING id""";

    /** Hands out the next post number: the row lock on the thread serialises concurrent replies. */
    private static final String NEXT_NUMBER = """
            UPDATE thread SET post_count = post_count + 1, last_posted_at = $2
            WHERE id = $1 AND closed_at IS NULL
            RETURNING post_count""";

    private static final String INSERT_POST = """
            INSERT INTO post (thread_id, number, author_id, anonymous, reply_to, body, created_at, search_config)
            SELECT $1, $2, $3, $4, $5, $6, $7, search_config FROM thread WHERE id = $1""";

    private static final String RECENT_POSTS_BY = "SELECT count(*) FROM post WHERE author_id = $1 AND created_at > $2";

    private static final String POST_EXISTS = "SELECT 1 FROM post WHERE thread_id = $1 AND number = $2";

    private static final String NOTIFY = "SELECT pg_notify($1, $2)";

    /**
     * Posts by the course itself (author NULL, like a prompt) into threads of one cohort, one post per thread, in one
     * statement: each thread hands out its next number (the row lock serialises with concurrent replies), closed
     * threads included (the caller decides they receive it), and each new post is announced live on commit.
     */
    private static final String COURSE_POSTS = """
            WITH given AS (
                SELECT * FROM unnest($1::bigint[], $2::text[]) AS g(thread_id, body)
            ), numbered AS (
                UPDATE thread t SET post_count = t.post_count + 1, last_posted_at = $3
                FROM given g WHERE t.id = g.thread_id AND t.course_id = $4 AND t.cohort_id = $5
                RETURNING t.id, t.post_count, t.search_config
            ), posted AS (
                INSERT INTO post (thread_id, number, author_id, body, created_at, search_config)
                SELECT n.id, n.post_count, NULL, g.body, $3, n.search_config FROM numbered n JOIN given g ON g.thread_id = n.id
                RETURNING thread_id, number
            )
            SELECT thread_id, number, pg_notify($6, json_build_object('type', 'post-created', 'course', $4::text, 'cohort', $5::text,
                   'thread', thread_id, 'number', number)::text)
            FROM posted""";

    /**
     * Posts (and thread titles, through their first post) matching a web-search style query, best first,
     * in modules the viewer may read; hidden posts only for facilitators and their authors.
     */
    private static final String SEARCH = """
            WITH q AS (SELECT websearch_to_tsquery($3::regconfig, $4) AS query)
            SELECT t.id AS thread_id, t.title, t.module_id, p.number,
                   ts_headline(p.search_config, p.body, q.query, $8) AS snippet,
                   ts_rank(p.search, q.query) + CASE WHEN p.number = 1 AND t.search @@ q.query THEN 1 ELSE 0 END AS rank
            FROM q, post p JOIN thread t ON t.id = p.thread_id
            LEFT JOIN account a ON a.id = $7
            WHERE t.course_id = $1 AND t.cohort_id = $2 AND t.module_id = ANY($5)
              AND (p.search @@ q.query OR (p.number = 1 AND t.search @@ q.query))
              AND p.deleted_at IS NULL AND (p.hidden_at IS NULL OR $6 OR p.author_id = $7)
              AND """ + ThreadRules.seesOthersAnswersSql(ThreadRules.replyFirstSql("$9"), "$10") + """

            ORDER BY rank DESC, t.last_posted_at DESC
            LIMIT 30""";

    /** A person of the cohort (enrolled, or a facilitator given by email) by the part of their email before the @. */
    private static final String PERSON = """
            SELECT a.id, coalesce(a.name, split_part(a.email, '@', 1)) AS name, lower(a.email) = ANY($4) AS facilitator
            FROM account a
            WHERE lower(split_part(a.email, '@', 1)) = $3
              AND (lower(a.email) = ANY($4) OR EXISTS (SELECT 1 FROM enrolment e WHERE e.account_id = a.id
                   AND e.course_id = $1 AND e.cohort_id = $2 AND e.left_at IS NULL))
            ORDER BY a.id LIMIT 1""";

    /** The viewer ($5) sees only the posts they may: reply-first prompts they have not answered yet list nothing. */
    private static final String PERSON_POSTS = """
            SELECT t.id AS thread_id, t.title, p.number, p.created_at
            FROM post p JOIN thread t ON t.id = p.thread_id
            LEFT JOIN account a ON a.id = $5
            WHERE p.author_id = $1 AND t.course_id = $2 AND t.cohort_id = $3 AND t.module_id = ANY($4)
              AND NOT p.anonymous AND p.deleted_at IS NULL AND p.hidden_at IS NULL
              AND """ + ThreadRules.seesOthersAnswersSql(ThreadRules.replyFirstSql("$6"), "$7") + """

            ORDER BY p.created_at DESC LIMIT 20""";

    /** A person found by handle. */
    public record Person(long id, String name, boolean facilitator, List<PersonPost> posts) {
    }

    /** One of a person's posts, for their page. */
    public record PersonPost(long threadId, String threadTitle, int number, Instant createdAt) {
    }

    public Future<Optional<Person>> person(SqlClient db, String courseId, String cohortId, String handle, List<String> facilitatorEmails,
                                           List<String> moduleIds, long viewerId, List<String> replyFirstKeys) {
        return db.preparedQuery(PERSON).execute(Tuple.tuple().addValue(courseId).addValue(cohortId).addValue(handle)
                        .addValue(facilitatorEmails.toArray(String[]::new)))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture(Optional.<Person>empty());
                    var r = rows.iterator().next();
                    long id = r.getLong("id");
                    return db.preparedQuery(PERSON_POSTS).execute(Tuple.tuple().addValue(id).addValue(courseId).addValue(cohortId)
                                    .addValue(moduleIds.toArray(String[]::new)).addValue(viewerId)
                                    .addValue(replyFirstKeys.toArray(String[]::new)).addValue(facilitatorEmails.toArray(String[]::new)))
                            .map(posts -> {
                                List<PersonPost> list = new ArrayList<>();
                                posts.forEach(p -> list.add(new PersonPost(p.getLong("thread_id"), p.getString("title"), p.getInteger("number"),
                                        p.getOffsetDateTime("created_at").toInstant())));
                                return Optional.of(new Person(id, r.getString("name"), r.getBoolean("facilitator"), list));
                            });
                });
    }

    /** A search hit; the snippet marks matches with \u0001 ... \u0002 so it can be escaped before highlighting. */
    public record Hit(long threadId, String title, String moduleId, int number, String snippet) {
    }

    static final String HEADLINE_OPTIONS = "StartSel=\u0001, StopSel=\u0002, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter= … ";

    public Future<List<Hit>> search(SqlClient db, String courseId, String cohortId, String language, String query,
                                    List<String> moduleIds, boolean facilitator, long viewerId, List<String> replyFirstKeys,
                                    List<String> facilitatorEmails) {
        return db.preparedQuery(SEARCH).execute(Tuple.tuple().addValue(courseId).addValue(cohortId).addValue(SearchConfig.of(language))
                        .addValue(query).addValue(moduleIds.toArray(String[]::new)).addValue(facilitator).addValue(viewerId)
                        .addValue(HEADLINE_OPTIONS).addValue(replyFirstKeys.toArray(String[]::new))
                        .addValue(facilitatorEmails.toArray(String[]::new)))
                .map(rows -> {
                    List<Hit> hits = new ArrayList<>();
                    rows.forEach(r -> hits.add(new Hit(r.getLong("thread_id"), r.getString("title"), r.getString("module_id"),
                            r.getInteger("number"), r.getString("snippet"))));
                    return hits;
                });
    }

    public Future<List<ThreadRow>> moduleThreads(SqlClient db, String courseId, String cohortId, String moduleId, ThreadList list,
                                                  long viewerId) {
        ThreadList.Key k = list.after();
        Tuple args = Tuple.of(courseId, cohortId, moduleId, list.limit(), viewerId);
        if (k != null) {
            switch (list.order()) {
                case LATEST -> args.addValue(k.pinned()).addValue(k.at().atOffset(ZoneOffset.UTC)).addValue(k.id());
                case NEWEST, UNANSWERED -> args.addValue(k.at().atOffset(ZoneOffset.UTC)).addValue(k.id());
                case HELPFUL -> args.addValue(k.helpful()).addValue(k.id());
            }
        }
        int markAt = list.mark() == null ? 0 : args.size() + 1;
        if (list.mark() != null) args.addValue(list.mark());
        String sql = moduleThreadsSql(list.order(), list.filter(), k != null, markAt);
        return db.preparedQuery(sql).execute(args).map(rows -> {
            List<ThreadRow> found = new ArrayList<>();
            rows.forEach(r -> found.add(ThreadRow.from(r)));
            return found;
        });
    }

    public Future<Optional<ThreadRow>> thread(SqlClient db, long id, long viewerId) {
        return db.preparedQuery(THREAD).execute(Tuple.of(id, viewerId))
                .map(rows -> rows.size() == 0 ? Optional.<ThreadRow>empty() : Optional.of(ThreadRow.from(rows.iterator().next())));
    }

    public Future<List<PostRow>> posts(SqlClient db, long threadId, int afterNumber, int limit, long viewerId, boolean othersToo) {
        return db.preparedQuery(POSTS).execute(Tuple.of(threadId, afterNumber, limit, viewerId, othersToo)).map(rows -> {
            List<PostRow> list = new ArrayList<>();
            rows.forEach(r -> list.add(PostRow.from(r)));
            return list;
        });
    }

    public Future<Long> insertThread(SqlClient tx, String courseId, String cohortId, String moduleId, String title,
                                     long authorId, boolean anonymous, String language, Instant now) {
        return tx.preparedQuery(INSERT_THREAD)
                .execute(Tuple.of(courseId, cohortId, moduleId, title, authorId, anonymous, now.atOffset(ZoneOffset.UTC),
                        SearchConfig.of(language)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Adds a post with the next number; answers the number, or empty if the thread is closed. */
    public Future<Optional<Integer>> insertPost(SqlClient tx, long threadId, long authorId, boolean anonymous, Integer replyTo,
                                                String body, Instant now) {
        return tx.preparedQuery(NEXT_NUMBER).execute(Tuple.of(threadId, now.atOffset(ZoneOffset.UTC))).compose(rows -> {
            if (rows.size() == 0) return Future.succeededFuture(Optional.<Integer>empty());
            int number = rows.iterator().next().getInteger(0);
            return tx.preparedQuery(INSERT_POST)
                    .execute(Tuple.of(threadId, number, authorId, anonymous, replyTo, body, now.atOffset(ZoneOffset.UTC)))
                    .map(v -> Optional.of(number));
        });
    }

    public Future<Void> markRead(SqlClient db, long threadId, long accountId, int number) {
        return db.preparedQuery(MARK_READ).execute(Tuple.of(threadId, accountId, number)).mapEmpty();
    }

    public Future<Void> follow(SqlClient db, long threadId, long accountId, boolean on, Instant now) {
        return (on ? db.preparedQuery(FOLLOW).execute(Tuple.of(threadId, accountId, now.atOffset(ZoneOffset.UTC)))
                : db.preparedQuery(UNFOLLOW).execute(Tuple.of(threadId, accountId))).mapEmpty();
    }

    /** The author of a post (empty author for the course's prompt), or empty if there is no such post. */
    public Future<Optional<PostOwner>> postOwner(SqlClient db, long threadId, int number) {
        return db.preparedQuery(POST_AUTHOR).execute(Tuple.of(threadId, number)).map(rows -> {
            if (rows.size() == 0) return Optional.<PostOwner>empty();
            var r = rows.iterator().next();
            return Optional.of(new PostOwner(r.getLong("author_id"), r.getValue("deleted_at") != null, r.getValue("hidden_at") != null));
        });
    }

    /** Who wrote a post, and whether it is already removed. */
    public record PostOwner(Long authorId, boolean deleted, boolean hidden) {
    }

    public Future<Boolean> edit(SqlClient tx, long threadId, int number, String body, long editorId, Instant now) {
        return tx.preparedQuery(EDIT).execute(Tuple.of(threadId, number, body, editorId, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 1);
    }

    public Future<Boolean> delete(SqlClient tx, long threadId, int number, long byId, Instant now) {
        return tx.preparedQuery(DELETE).execute(Tuple.of(threadId, number, now.atOffset(ZoneOffset.UTC), byId))
                .map(rows -> rows.size() == 1);
    }

    /** Sets or clears this person's reaction of a kind (helpful, me-too); answers the post's count of that kind afterwards. */
    public Future<Integer> react(SqlClient tx, long threadId, int number, long accountId, String kind, boolean on, Instant now) {
        Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> change = on
                ? tx.preparedQuery(REACT).execute(Tuple.of(threadId, number, accountId, now.atOffset(ZoneOffset.UTC), kind))
                : tx.preparedQuery(UNREACT).execute(Tuple.of(threadId, number, accountId, kind));
        return change.compose(rows -> rows.size() == 1
                ? Future.succeededFuture(rows.iterator().next().getInteger(0))
                : tx.preparedQuery(REACTION_COUNT).execute(Tuple.of(threadId, number, kind)).map(r -> r.iterator().next().getInteger(0)));
    }

    /** Puts the author's mark on a post or takes it off (null); false if the post is gone. */
    public Future<Boolean> mark(SqlClient tx, long threadId, int number, String mark) {
        return tx.preparedQuery(MARK).execute(Tuple.of(threadId, number, mark)).map(rows -> rows.size() == 1);
    }

    /** A post asking for help that nobody else has answered yet. */
    public record HelpRequest(long threadId, String threadTitle, String moduleId, int number, Instant createdAt, boolean anonymous,
                              Long authorId, String authorName) {
    }

    public Future<List<HelpRequest>> helpRequests(SqlClient db, String courseId, String cohortId) {
        return db.preparedQuery(HELP_REQUESTS).execute(Tuple.of(courseId, cohortId)).map(rows -> {
            List<HelpRequest> list = new ArrayList<>();
            rows.forEach(r -> list.add(new HelpRequest(r.getLong("thread_id"), r.getString("title"), r.getString("module_id"),
                    r.getInteger("number"), r.getOffsetDateTime("created_at").toInstant(), r.getBoolean("anonymous"),
                    r.getLong("author_id"), r.getString("author_name"))));
            return list;
        });
    }

    public Future<Boolean> endorse(SqlClient tx, long threadId, int number, boolean on, Instant now) {
        return tx.preparedQuery(ENDORSE).execute(Tuple.of(threadId, number, on, now.atOffset(ZoneOffset.UTC))).map(rows -> rows.size() == 1);
    }

    /** Sets (number) or clears (null) the thread's answer; answers whether the thread was there. */
    public Future<Boolean> solve(SqlClient tx, long threadId, Integer number, long byId, Instant now) {
        return tx.preparedQuery(SOLVE).execute(Tuple.of(threadId, number, now.atOffset(ZoneOffset.UTC), byId))
                .map(rows -> rows.size() == 1);
    }

    /** A post and its earlier texts, for its history. */
    public record StoredHistory(Long authorId, boolean anonymous, boolean deleted, boolean hidden, String body, Instant createdAt,
                              Instant editedAt, List<Revision> revisions) {
    }

    /** One earlier text of a post and the moment it was replaced by the next. */
    public record Revision(String body, Instant replacedAt) {
    }

    public Future<Optional<StoredHistory>> history(SqlClient db, long threadId, int number) {
        return db.preparedQuery(POST_FOR_HISTORY).execute(Tuple.of(threadId, number)).compose(rows -> {
            if (rows.size() == 0) return Future.succeededFuture(Optional.<StoredHistory>empty());
            var p = rows.iterator().next();
            return db.preparedQuery(REVISIONS).execute(Tuple.of(p.getLong("id"))).map(revs -> {
                List<Revision> list = new ArrayList<>();
                revs.forEach(r -> list.add(new Revision(r.getString("body"), r.getOffsetDateTime("edited_at").toInstant())));
                return Optional.of(new StoredHistory(p.getLong("author_id"), p.getBoolean("anonymous"), p.getBoolean("deleted"),
                        p.getBoolean("hidden"), p.getString("body"), p.getOffsetDateTime("created_at").toInstant(),
                        ThreadRow.instant(p.getOffsetDateTime("edited_at")), list));
            });
        });
    }

    public Future<Void> threadSettings(SqlClient tx, long threadId, Boolean pinned, Boolean closed, Instant now) {
        return tx.preparedQuery(THREAD_SETTINGS).execute(Tuple.of(threadId, pinned, closed, now.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    public Future<Long> recentPostsBy(SqlClient db, long authorId, Instant since) {
        return db.preparedQuery(RECENT_POSTS_BY).execute(Tuple.of(authorId, since.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Boolean> postExists(SqlClient db, long threadId, int number) {
        return db.preparedQuery(POST_EXISTS).execute(Tuple.of(threadId, number)).map(rows -> rows.size() == 1);
    }

    /** A post the course made: its thread and number. */
    public record CoursePost(long threadId, int number) {
    }

    /** See {@link #COURSE_POSTS}; answers the posts made (threads not in the cohort are skipped). */
    public Future<List<CoursePost>> coursePosts(SqlClient tx, String courseId, String cohortId, List<Long> threadIds, List<String> bodies,
                                                Instant now) {
        if (threadIds.isEmpty()) return Future.succeededFuture(List.of());
        return tx.preparedQuery(COURSE_POSTS).execute(Tuple.tuple().addValue(threadIds.toArray(Long[]::new)).addValue(bodies.toArray(String[]::new))
                        .addValue(now.atOffset(java.time.ZoneOffset.UTC)).addValue(courseId).addValue(cohortId).addValue(LiveEvents.CHANNEL))
                .map(rows -> {
                    List<CoursePost> posts = new ArrayList<>();
                    for (Row r : rows) posts.add(new CoursePost(r.getLong("thread_id"), r.getInteger("number")));
                    return posts;
                });
    }

    /** Publishes a live event to every node when the transaction commits. */
    public Future<Void> notify(SqlClient tx, JsonObject event) {
        return tx.preparedQuery(NOTIFY).execute(Tuple.of(LiveEvents.CHANNEL, event.encode())).mapEmpty();
    }
}
