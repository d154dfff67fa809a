-- Who is told about new posts: replies to your post, @mentions, new posts in threads you follow.
-- Each person chooses immediate mail, a daily or weekly digest, or nothing.
ALTER TABLE account ADD COLUMN notify_mode text NOT NULL DEFAULT 'immediate'
    CHECK (notify_mode IN ('immediate', 'daily', 'weekly', 'off'));
ALTER TABLE account ADD COLUMN last_digest_at timestamptz;

CREATE TABLE notification (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('reply', 'mention', 'followed')),
    thread_id    bigint      NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    post_number  integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    digested_at  timestamptz,             -- included in a digest (or mailed at once)
    CONSTRAINT notification_once UNIQUE (account_id, thread_id, post_number)
);
-- The digest job: pending notifications per person.
CREATE INDEX notification_pending ON notification (account_id) WHERE digested_at IS NULL;
