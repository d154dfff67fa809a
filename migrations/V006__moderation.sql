-- Moderation: flags with a reason, posts hidden (by enough flags or by a facilitator) until reviewed,
-- and participants silenced in one cohort.

ALTER TABLE post ADD COLUMN flag_count integer NOT NULL DEFAULT 0;
ALTER TABLE post ADD COLUMN hidden_at timestamptz;
ALTER TABLE post ADD COLUMN hidden_by bigint REFERENCES account (id);    -- NULL: hidden by flags
ALTER TABLE post ADD COLUMN reviewed_at timestamptz;                     -- a facilitator decided; flags no longer hide it
-- The moderation queue: flagged or hidden posts not yet reviewed.
CREATE INDEX post_needs_review ON post (thread_id) WHERE reviewed_at IS NULL AND (flag_count > 0 OR hidden_at IS NOT NULL);

CREATE TABLE flag (
    post_id     bigint      NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    reason      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (post_id, account_id)
);

CREATE TABLE silence (
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    silenced_by bigint      NOT NULL REFERENCES account (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, account_id)
);
