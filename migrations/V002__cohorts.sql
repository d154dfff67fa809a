-- Cohorts come from course YAML or are started by a facilitator from the web (stored here).
-- Module state is computed from the YAML, the start and the clock; only facts are stored.

CREATE TABLE web_cohort (
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    starts_local timestamp   NOT NULL,     -- local date-time in the course time zone
    enrolment    text        NOT NULL CHECK (enrolment IN ('open', 'invite', 'closed')),
    capacity     integer     CHECK (capacity > 0),
    created_by   bigint      NOT NULL REFERENCES account (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id)
);

CREATE TABLE enrolment (
    course_id     text        NOT NULL,
    cohort_id     text        NOT NULL,
    account_id    bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    joined_at     timestamptz NOT NULL,    -- self-paced cohorts count module openings from here
    guidelines_accepted_at timestamptz NOT NULL,
    left_at       timestamptz,             -- NULL while enrolled; re-joining clears it
    PRIMARY KEY (course_id, cohort_id, account_id)
);
CREATE INDEX enrolment_account ON enrolment (account_id) WHERE left_at IS NULL;

CREATE TABLE cohort_invite (
    code         text        PRIMARY KEY,
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    created_by   bigint      NOT NULL REFERENCES account (id),
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX cohort_invite_cohort ON cohort_invite (course_id, cohort_id);

-- One row per module opening actually carried out: the unique key makes the release happen once,
-- whichever node gets there first. participant_id is NULL for a whole cohort, set in self-paced ones.
CREATE TABLE module_release (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id      text        NOT NULL,
    cohort_id      text        NOT NULL,
    module_id      text        NOT NULL,
    participant_id bigint      REFERENCES account (id) ON DELETE CASCADE,
    opens_at       timestamptz NOT NULL,
    released_at    timestamptz NOT NULL,
    CONSTRAINT module_release_once UNIQUE NULLS NOT DISTINCT (course_id, cohort_id, module_id, participant_id)
);
