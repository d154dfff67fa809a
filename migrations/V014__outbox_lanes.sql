-- Outbox lanes, short renewable claims, and coalesced notification mail.

-- 0 = transactional (sign-in links, tickets, confirmations, waitlist promotions: someone is waiting for it now),
-- 1 = bulk (notifications, digests, module openings, reminders). The default is the fast lane so that a mail
-- written by an older statement that names no lane is never stuck behind a backlog; bulk producers say so.
ALTER TABLE outbox
    ADD COLUMN priority   smallint NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
    -- which node holds the claim (with claimed_until as its lease, renewed while that node works on it)
    ADD COLUMN claimed_by text;

-- The claim reads due, unsent mail lane by lane, oldest first: a backlog of bulk mail never slows the fast lane.
-- (outbox_due stays: /health asks for the oldest due mail over both lanes.)
CREATE INDEX outbox_due_lane ON outbox (priority, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Notification mail is coalesced: mailed_at marks the notification that went out by mail at once (at most one per
-- thread and person until they visit it, and a few per person per hour); the rest fold into it or the digest.
ALTER TABLE notification ADD COLUMN mailed_at timestamptz;
-- Per person, when their last notification mails went out (the last hour's worth): the hourly budget. A row per
-- person rather than a count over notification, so that posts committed at the same moment queue on it.
CREATE TABLE mail_budget (
    account_id bigint        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    sent       timestamptz[] NOT NULL
);

-- Mail already waiting when this runs keeps its place behind what people wait for.
UPDATE outbox SET priority = 1
WHERE sent_at IS NULL AND failed_at IS NULL
  AND (dedupe_key LIKE 'notification:%' OR dedupe_key LIKE 'digest:%' OR dedupe_key LIKE 'release:%'
       OR dedupe_key LIKE 'feedback:%' OR dedupe_key LIKE 'review-reminder:%' OR dedupe_key LIKE 'meetup.mail.reminder%');
