-- What people do with posts: edit (history kept), delete (soft, a visible marker stays),
-- mark as helpful, and facilitators' endorsement.

ALTER TABLE post ADD COLUMN helpful_count integer NOT NULL DEFAULT 0;
ALTER TABLE post ADD COLUMN endorsed_at timestamptz;
ALTER TABLE post ADD COLUMN deleted_by bigint REFERENCES account (id);

CREATE TABLE post_revision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint      NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    body        text        NOT NULL,              -- the text before the edit
    edited_by   bigint      NOT NULL REFERENCES account (id),
    edited_at   timestamptz NOT NULL
);
CREATE INDEX post_revision_post ON post_revision (post_id, id);

-- One "helpful" per person and post; post.helpful_count moves in the same statement.
CREATE TABLE reaction (
    post_id     bigint      NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('helpful')),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
);
