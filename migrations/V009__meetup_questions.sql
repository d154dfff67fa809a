-- Threads nominated as questions for the closing meetup, and participants' votes on them.
CREATE TABLE meetup_nomination (
    thread_id     bigint      PRIMARY KEY REFERENCES thread (id) ON DELETE CASCADE,
    nominated_by  bigint      NOT NULL REFERENCES account (id),
    created_at    timestamptz NOT NULL,
    vote_count    integer     NOT NULL DEFAULT 0
);

CREATE TABLE meetup_vote (
    thread_id   bigint      NOT NULL REFERENCES meetup_nomination (thread_id) ON DELETE CASCADE,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (thread_id, account_id)
);
