package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The only class that touches notifications and people's notification settings. */
public final class NotificationStore {

    /**
     * Mails at once per person and hour at most; what comes after waits for the hourly digest (as in Discourse, a
     * storm of replies must not become a storm of mail).
     */
    static final int MAILS_PER_HOUR = 10;

    /**
     * For one new post, in its transaction: picks who to tell (the author of the post replied to,
     * people mentioned, followers of the thread; each person once, never the writer), keeps only those who
     * may read the thread now ({@link ThreadRules#mayBeNotifiedSql}: not who left the cohort, not who would
     * find the module still locked), records the notifications, and queues mail at once for those who want it so:
     * at most one per thread until they have been back to it, at most {@link #MAILS_PER_HOUR} an hour (the rest
     * go into the hourly digest).
     */
    private static final String NOTIFY_POST = """
            WITH t AS (
                SELECT id, course_id, cohort_id, module_id, prompt_index FROM thread WHERE id = $1 AND course_id = $6 AND cohort_id = $7
            ), recipients AS (
                SELECT DISTINCT ON (c.account_id) c.account_id, c.kind FROM (
                    SELECT p.author_id AS account_id, 'reply' AS kind, 1 AS priority
                    FROM post p WHERE p.thread_id = $1 AND p.number = $4::int AND p.deleted_at IS NULL
                    UNION ALL
                    SELECT a.id, 'mention', 2 FROM account a WHERE lower(split_part(a.email, '@', 1)) = ANY($5)
                    UNION ALL
                    SELECT f.account_id, 'followed', 3 FROM follow f WHERE f.thread_id = $1
                ) c
                JOIN account a ON a.id = c.account_id
                CROSS JOIN t
                -- The new post, for the reply-first rule: who has not answered a reply-first prompt yet is not told of others' answers.
                CROSS JOIN (SELECT $2::int AS number, $3::bigint AS author_id) p
                WHERE c.account_id <> $3 AND """ + ThreadRules.mayBeNotifiedSql("$8", "$16::boolean") + """

                  AND """ + ThreadRules.seesOthersAnswersSql("$18::boolean", "$8") + """

                ORDER BY c.account_id, c.priority
            ), seen AS (
                -- How far each person has been in the thread: read up to, or written themselves.
                SELECT author_id AS account_id, max(number) AS upto FROM post WHERE thread_id = $1 GROUP BY author_id
            ), fate AS (
                -- Coalescing, for those who want mail at once: 'folded' when a mail about this thread is still
                -- unvisited (it links to the first new post, so the person sees this one too), else 'mail' if the
                -- hourly budget below allows.
                SELECT r.account_id, r.kind, a.notify_mode,
                       CASE WHEN a.notify_mode <> 'immediate' THEN 'none'
                            WHEN EXISTS (SELECT 1 FROM notification m
                                         WHERE m.account_id = r.account_id AND m.thread_id = $1 AND m.mailed_at IS NOT NULL
                                           AND m.post_number > greatest(coalesce(rs.last_read_number, 0), coalesce(s.upto, 0)))
                                 THEN 'folded'
                            ELSE 'mail' END AS fate
                FROM recipients r JOIN account a ON a.id = r.account_id
                LEFT JOIN read_state rs ON rs.thread_id = $1 AND rs.account_id = r.account_id
                LEFT JOIN seen s ON s.account_id = r.account_id
            ), budget AS (
                -- Takes one of the person's MAILS_PER_HOUR slots (the times of their last mails). ON CONFLICT DO
                -- UPDATE waits for a concurrent post's claim and then judges the row as that one left it, so replies
                -- committed at the same moment on two nodes cannot both take the last slot. Sorted: rows are
                -- locked in one order by everyone, so two posts never wait for each other.
                INSERT INTO mail_budget AS b (account_id, sent)
                SELECT f.account_id, ARRAY[$9::timestamptz] FROM fate f WHERE f.fate = 'mail' ORDER BY f.account_id
                ON CONFLICT (account_id) DO UPDATE
                    SET sent = (SELECT array_agg(t ORDER BY t) FROM unnest(b.sent || EXCLUDED.sent) AS t
                                WHERE t > EXCLUDED.sent[1] - interval '1 hour')
                    WHERE (SELECT count(*) FROM unnest(b.sent) AS t WHERE t > EXCLUDED.sent[1] - interval '1 hour') < """
            + MAILS_PER_HOUR + """

                RETURNING b.account_id
            ), recorded AS (
                -- Past the budget ('mail' without a slot) the notification stays pending: the hourly digest takes it.
                INSERT INTO notification (account_id, kind, thread_id, post_number, created_at, digested_at, mailed_at)
                SELECT f.account_id, f.kind, $1, $2, $9::timestamptz,
                       CASE WHEN f.notify_mode = 'off' OR f.fate = 'folded' OR g.account_id IS NOT NULL THEN $9::timestamptz END,
                       CASE WHEN g.account_id IS NOT NULL THEN $9::timestamptz END
                FROM fate f LEFT JOIN budget g ON g.account_id = f.account_id
                ON CONFLICT DO NOTHING
                RETURNING id, account_id, kind, mailed_at
            )
            INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, priority)
            SELECT 'notification:' || n.id, a.email,
                   CASE n.kind WHEN 'reply' THEN ($10::text[])[l.i] WHEN 'mention' THEN ($11::text[])[l.i] ELSE ($12::text[])[l.i] END,
                   CASE n.kind WHEN 'reply' THEN ($13::text[])[l.i] WHEN 'mention' THEN ($14::text[])[l.i] ELSE ($15::text[])[l.i] END,
                   $9::timestamptz, $9::timestamptz, 1 /* bulk lane */
            FROM recorded n JOIN account a ON a.id = n.account_id
            -- The texts in the language the person chose, else the first (the course's).
            CROSS JOIN LATERAL (SELECT coalesce(array_position($17::text[], a.language), 1) AS i) l
            WHERE n.mailed_at IS NOT NULL""";

    /**
     * For the course's harvest posts of one meetup, in the publication's transaction: records a {@code harvest}
     * notification per thread for each person who nominated or voted for it and may read it now
     * ({@link ThreadRules#mayBeNotifiedSql}), already digested for those who want mail at once (mailed below) or none,
     * pending for the daily or weekly digest; then one mail per person listing their threads (#THREADS# in the body),
     * in the language they chose, else the course's. The dedupe key (meetup, person) sends it once whatever repeats.
     * Answers how many notifications were recorded.
     */
    private static final String NOTIFY_VOTERS = """
            WITH posted AS (
                SELECT * FROM unnest($1::bigint[], $2::int[]) AS p(thread_id, number)
            ), voters AS (
                SELECT thread_id, account_id FROM meetup_vote WHERE thread_id = ANY($1)
                UNION
                SELECT thread_id, nominated_by FROM meetup_nomination WHERE thread_id = ANY($1)
            ), recorded AS (
                INSERT INTO notification (account_id, kind, thread_id, post_number, created_at, digested_at, mailed_at)
                SELECT a.id, 'harvest', t.id, p.number, $3::timestamptz,
                       CASE WHEN a.notify_mode IN ('immediate', 'off') THEN $3::timestamptz END,
                       CASE WHEN a.notify_mode = 'immediate' THEN $3::timestamptz END
                FROM posted p
                JOIN thread t ON t.id = p.thread_id AND t.course_id = $4 AND t.cohort_id = $5
                JOIN voters v ON v.thread_id = t.id
                JOIN account a ON a.id = v.account_id
                WHERE """ + ThreadRules.mayBeNotifiedSql("$6", "t.module_id = ANY($7)") + """

                ON CONFLICT DO NOTHING
                RETURNING account_id, thread_id, post_number, mailed_at
            ), mailed AS (
                INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, priority)
                SELECT 'harvest:' || $4 || '/' || $5 || ':' || a.id, a.email, ($9::text[])[l.i],
                       replace(($10::text[])[l.i], '#THREADS#', string_agg('- ' || t.title || E'\n  ' || $11 || t.id
                           || '?after=' || (n.post_number - 1) || '#post-' || n.post_number, E'\n' ORDER BY t.id)),
                       $3::timestamptz, $3::timestamptz, 1 /* bulk lane */
                FROM recorded n JOIN account a ON a.id = n.account_id JOIN thread t ON t.id = n.thread_id
                CROSS JOIN LATERAL (SELECT coalesce(array_position($8::text[], a.language), 1) AS i) l
                WHERE n.mailed_at IS NOT NULL
                GROUP BY a.id, a.email, l.i
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM recorded) AS notified, (SELECT count(*) FROM mailed) AS mails""";

    private static final String MODE = "SELECT notify_mode FROM account WHERE id = $1";
    private static final String SET_MODE = "UPDATE account SET notify_mode = $2 WHERE id = $1";

    /**
     * Claims the people whose digest is due (daily or weekly, with something pending; hourly for those who want
     * mail at once but had more than their hourly share) and marks their
     * notifications as digested; answers what each digest should list. Runs in the caller's transaction
     * with SKIP LOCKED, so two nodes never send the same digest.
     */
    private static final String CLAIM_DIGESTS = """
            WITH due AS (
                SELECT a.id FROM account a
                WHERE a.notify_mode IN ('daily', 'weekly', 'immediate')
                  AND coalesce(a.last_digest_at, '-infinity') <= $1::timestamptz - (CASE a.notify_mode WHEN 'daily' THEN interval '1 day'
                      WHEN 'weekly' THEN interval '7 days' ELSE interval '1 hour' END)
                  -- Those who want mail at once have something pending only past their hourly share of mail: it
                  -- goes out as a digest once that hour is over.
                  AND EXISTS (SELECT 1 FROM notification n WHERE n.account_id = a.id AND n.digested_at IS NULL
                              AND (a.notify_mode <> 'immediate' OR n.created_at <= $1::timestamptz - interval '1 hour'))
                LIMIT 200
                FOR UPDATE SKIP LOCKED
            ), touched AS (
                UPDATE account a SET last_digest_at = $1::timestamptz FROM due WHERE a.id = due.id RETURNING a.id, a.email, a.language
            ), marked AS (
                UPDATE notification n SET digested_at = $1::timestamptz FROM due
                WHERE n.account_id = due.id AND n.digested_at IS NULL
                RETURNING n.account_id, n.kind, n.thread_id, n.post_number
            )
            , facilitators AS (
                SELECT f.course_id, array_agg(f.email) AS emails FROM unnest($2::text[], $3::text[]) AS f(course_id, email)
                GROUP BY f.course_id
            )
            SELECT a.email, a.language, m.kind, m.post_number, t.id AS thread_id, t.title, t.course_id, t.cohort_id
            FROM marked m JOIN touched a ON a.id = m.account_id JOIN thread t ON t.id = m.thread_id
            LEFT JOIN facilitators fc ON fc.course_id = t.course_id
            LEFT JOIN post p ON p.thread_id = t.id AND p.number = m.post_number
            -- Someone who left the cohort since (or lost the module) is no longer told what it says; nor, in a
            -- reply-first prompt they have not answered (it may have become one since), of others' answers.
            WHERE """ + ThreadRules.mayStillBeNotifiedSql("coalesce(fc.emails, '{}')") + """

              AND """ + ThreadRules.seesOthersAnswersSql(ThreadRules.replyFirstSql("$4"), "coalesce(fc.emails, '{}')") + """

            ORDER BY a.email, t.id, m.post_number""";

    /** Texts for the mails of one post, per kind, in one language. */
    public record Texts(String lang, String replySubject, String mentionSubject, String followedSubject,
                        String replyBody, String mentionBody, String followedBody) {
    }

    /** One line of a digest; {@code language} is the person's choice (null: none). */
    public record DigestLine(String email, String language, String kind, long threadId, String threadTitle, int postNumber, String courseId,
                             String cohortId) {
    }

    public Future<Void> notifyPost(SqlClient tx, long threadId, int number, long authorId, Integer replyTo, List<String> mentions,
                                   String courseId, String cohortId, List<String> facilitatorEmails, boolean openForCohort,
                                   boolean replyFirst, Instant now, List<Texts> texts) {
        return tx.preparedQuery(NOTIFY_POST).execute(Tuple.tuple()
                        .addValue(threadId).addValue(number).addValue(authorId).addValue(replyTo)
                        .addValue(mentions.toArray(String[]::new)).addValue(courseId).addValue(cohortId)
                        .addValue(facilitatorEmails.toArray(String[]::new)).addValue(now.atOffset(ZoneOffset.UTC))
                        .addValue(texts.stream().map(Texts::replySubject).toArray(String[]::new))
                        .addValue(texts.stream().map(Texts::mentionSubject).toArray(String[]::new))
                        .addValue(texts.stream().map(Texts::followedSubject).toArray(String[]::new))
                        .addValue(texts.stream().map(Texts::replyBody).toArray(String[]::new))
                        .addValue(texts.stream().map(Texts::mentionBody).toArray(String[]::new))
                        .addValue(texts.stream().map(Texts::followedBody).toArray(String[]::new))
                        .addValue(openForCohort)
                        .addValue(texts.stream().map(Texts::lang).toArray(String[]::new))
                        .addValue(replyFirst))
                .mapEmpty();
    }

    /** See {@link #NOTIFY_VOTERS}; {@code langs}, {@code subjects} and {@code bodies} run in parallel, the course's first. */
    public Future<Integer> notifyVoters(SqlClient tx, String courseId, String cohortId, List<DiscussionStore.CoursePost> posts,
                                        List<String> facilitatorEmails, java.util.Collection<String> openModules, Instant now,
                                        List<String> langs, List<String> subjects, List<String> bodies, String threadLink) {
        return tx.preparedQuery(NOTIFY_VOTERS).execute(Tuple.tuple()
                        .addValue(posts.stream().map(DiscussionStore.CoursePost::threadId).toArray(Long[]::new))
                        .addValue(posts.stream().map(DiscussionStore.CoursePost::number).toArray(Integer[]::new))
                        .addValue(now.atOffset(ZoneOffset.UTC)).addValue(courseId).addValue(cohortId)
                        .addValue(facilitatorEmails.toArray(String[]::new)).addValue(openModules.toArray(String[]::new))
                        .addValue(langs.toArray(String[]::new)).addValue(subjects.toArray(String[]::new)).addValue(bodies.toArray(String[]::new))
                        .addValue(threadLink))
                .map(rows -> rows.iterator().next().getLong("notified").intValue());
    }

    public Future<String> mode(SqlClient db, long accountId) {
        return db.preparedQuery(MODE).execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getString(0));
    }

    public Future<Void> setMode(SqlClient db, long accountId, String mode) {
        return db.preparedQuery(SET_MODE).execute(Tuple.of(accountId, mode)).mapEmpty();
    }

    /** {@code facilitators}: course id → the course's facilitators' addresses, lower case. */
    public Future<List<DigestLine>> claimDigests(SqlClient tx, Instant now, java.util.Map<String, List<String>> facilitators,
                                                 List<String> replyFirstKeys) {
        List<String> courses = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        facilitators.forEach((course, list) -> list.forEach(e -> {
            courses.add(course);
            emails.add(e);
        }));
        return tx.preparedQuery(CLAIM_DIGESTS).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), courses.toArray(String[]::new),
                emails.toArray(String[]::new), replyFirstKeys.toArray(String[]::new))).map(rows -> {
            List<DigestLine> lines = new ArrayList<>();
            for (Row r : rows) {
                lines.add(new DigestLine(r.getString("email"), r.getString("language"), r.getString("kind"), r.getLong("thread_id"), r.getString("title"),
                        r.getInteger("post_number"), r.getString("course_id"), r.getString("cohort_id")));
            }
            return lines;
        });
    }
}
