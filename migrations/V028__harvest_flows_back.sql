-- Issue 12, items 6 and 7: the meetup's harvest flows back into the discussions, a follow-up prompt opens a set time
-- after the meetup, and the live Q&A says why questions were hidden.

-- One post of the harvest per agenda thread, ever: the publication claims the thread here in its own transaction and
-- posts only what it claimed, so a retried or repeated publication (on any node) posts nothing twice.
CREATE TABLE meetup_harvest_post (
    thread_id    bigint      PRIMARY KEY REFERENCES thread (id) ON DELETE CASCADE,
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    post_number  integer,                 -- set once posted, in the same transaction
    posted_at    timestamptz NOT NULL
);

-- The follow-up thread of a cohort's meetup ("what changed since the café?"), opened once per cohort by whichever
-- node's job comes first.
CREATE TABLE meetup_follow_up (
    course_id  text        NOT NULL,
    cohort_id  text        NOT NULL,
    thread_id  bigint      REFERENCES thread (id) ON DELETE SET NULL,
    opened_at  timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id)
);

-- Voters of an agenda question are told its harvest arrived in the thread.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('reply', 'mention', 'followed', 'harvest'));

-- Why an organiser hid a live question; the room sees the category and the count, never the text. Questions hidden
-- before this existed keep no reason (shown as hidden without one).
ALTER TABLE meetup_question ADD COLUMN hidden_reason text
    CHECK (hidden_reason IN ('off-topic', 'duplicate', 'disrespectful', 'personal'));
ALTER TABLE meetup_question ADD CONSTRAINT meetup_question_reason_when_hidden CHECK (hidden_reason IS NULL OR state = 'hidden');
-- The room's count of hidden questions per reason.
CREATE INDEX meetup_question_hidden ON meetup_question (course_id, cohort_id, hidden_reason) WHERE state = 'hidden';
