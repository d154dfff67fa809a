-- Guidelines a cohort writes itself (course YAML: cohort_guidelines). Participants propose and vote during
-- a window after the cohort starts; facilitators adopt a set as a new version. Versions are kept whole: an
-- adopted text stays as it was adopted, whatever happens to its proposal later.

CREATE TABLE guideline_proposal (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    author_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    anonymous   boolean     NOT NULL DEFAULT false,
    body        text        NOT NULL,
    votes       integer     NOT NULL DEFAULT 0,     -- kept with the votes, so the list sorts without counting
    created_at  timestamptz NOT NULL,
    withdrawn_at timestamptz
);
CREATE INDEX guideline_proposal_cohort ON guideline_proposal (course_id, cohort_id, votes DESC, id);

CREATE TABLE guideline_vote (
    proposal_id bigint      NOT NULL REFERENCES guideline_proposal (id) ON DELETE CASCADE,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (proposal_id, account_id)
);
CREATE INDEX guideline_vote_account ON guideline_vote (account_id);

-- A facilitator's "proposals open until" for one cohort, overriding the course file's window.
CREATE TABLE guideline_window (
    course_id       text        NOT NULL,
    cohort_id       text        NOT NULL,
    proposals_until timestamptz NOT NULL,
    set_by          bigint      NOT NULL REFERENCES account (id),
    PRIMARY KEY (course_id, cohort_id)
);

CREATE TABLE guideline_version (
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    version     integer     NOT NULL CHECK (version > 0),
    adopted_by  bigint      NOT NULL REFERENCES account (id),
    adopted_at  timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, version)
);

-- proposal_id NULL: one of the course file's own guidelines.
CREATE TABLE guideline_version_item (
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    version     integer     NOT NULL,
    position    integer     NOT NULL,
    body        text        NOT NULL,
    proposal_id bigint      REFERENCES guideline_proposal (id) ON DELETE SET NULL,
    author_id   bigint      REFERENCES account (id) ON DELETE SET NULL,
    anonymous   boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (course_id, cohort_id, version, position),
    FOREIGN KEY (course_id, cohort_id, version) REFERENCES guideline_version (course_id, cohort_id, version) ON DELETE CASCADE
);
