-- Per person and thread: how far they have read, and whether they follow it.
CREATE TABLE read_state (
    thread_id        bigint  NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    account_id       bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    last_read_number integer NOT NULL,
    PRIMARY KEY (account_id, thread_id)
);

CREATE TABLE follow (
    thread_id   bigint      NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (thread_id, account_id)
);
CREATE INDEX follow_account ON follow (account_id);
