-- Transactional outbox: mail is written in the same transaction as the change that causes it and
-- sent afterwards by whichever node claims it. dedupe_key stops the same notice being queued twice.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key    text        UNIQUE,
    to_email      text        NOT NULL,
    subject       text        NOT NULL,
    body_text     text        NOT NULL,
    created_at    timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts      integer     NOT NULL DEFAULT 0,
    claimed_until timestamptz,
    last_error    text,
    sent_at       timestamptz,
    failed_at     timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_recent ON outbox (created_at DESC);

-- Entries of a cohort's Atom feed (module openings now; featured threads and harvests later).
CREATE TABLE feed_entry (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id     text        NOT NULL,
    cohort_id     text        NOT NULL,
    kind          text        NOT NULL,
    title         text        NOT NULL,
    path          text        NOT NULL,
    summary       text        NOT NULL,
    published_at  timestamptz NOT NULL
);
CREATE INDEX feed_entry_cohort ON feed_entry (course_id, cohort_id, published_at DESC);
