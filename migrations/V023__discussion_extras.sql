-- Discussion extras: the answer that helped a thread's question ("solved"), the orders a module's thread list can
-- be read in (each with its index), and the facilitators' alerts about flags and reported reviews.

-- The post the question's author (or a facilitator) marked as the answer that helped: one per thread.
ALTER TABLE thread ADD COLUMN solved_number integer;
ALTER TABLE thread ADD COLUMN solved_at     timestamptz;
ALTER TABLE thread ADD COLUMN solved_by     bigint REFERENCES account (id);
-- "Most helpful": the helpful reactions on the thread's posts, moved in the same statement as the reaction.
ALTER TABLE thread ADD COLUMN helpful_count integer NOT NULL DEFAULT 0;
UPDATE thread t SET helpful_count = s.total
FROM (SELECT thread_id, sum(helpful_count) AS total FROM post GROUP BY thread_id) s
WHERE s.thread_id = t.id AND s.total > 0;

-- One index per order of the module's thread list (thread_module_list, V004, serves "latest activity").
CREATE INDEX thread_module_newest ON thread (course_id, cohort_id, module_id, created_at DESC, id DESC);
CREATE INDEX thread_module_helpful ON thread (course_id, cohort_id, module_id, helpful_count DESC, id DESC);
-- "Unanswered": no reply yet (the question is the only post).
CREATE INDEX thread_module_unanswered ON thread (course_id, cohort_id, module_id, created_at DESC, id DESC) WHERE post_count <= 1;
-- "Mine" and "following" start from the person's own threads (index-only: a few rows each), then take the
-- module's among them by primary key.
CREATE INDEX thread_author ON thread (author_id, id) WHERE author_id IS NOT NULL;
CREATE INDEX follow_account_thread ON follow (account_id, thread_id);
DROP INDEX follow_account;  -- (V007) the index above serves what it did

-- A facilitator told of a flag or a reported review: one row per event and facilitator (so at most one mail line
-- each, however often the job runs), mailed in batches so that a burst of flags becomes one mail.
CREATE TABLE moderation_alert (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_key    text        NOT NULL,          -- 'flag:<post id>:<flagger id>' or 'report:<review id>'
    to_email     text        NOT NULL,          -- the facilitator's address, lower case
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('flag', 'report')),
    path         text        NOT NULL,          -- where the facilitator acts on it
    title        text        NOT NULL,          -- the thread's title or the assignment's
    reason       text,
    created_at   timestamptz NOT NULL,
    done_at      timestamptz,                   -- mailed, or passed over because the facilitator chose no mail
    mailed       boolean,
    CONSTRAINT moderation_alert_once UNIQUE (event_key, to_email)
);
-- The job: alerts still waiting, per facilitator; and when each facilitator was last mailed.
CREATE INDEX moderation_alert_pending ON moderation_alert (to_email, created_at) WHERE done_at IS NULL;
CREATE INDEX moderation_alert_done ON moderation_alert (to_email, done_at DESC) WHERE mailed;
