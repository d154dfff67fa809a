-- Peer review of module assignments: submissions, reviews (claims that become reviews), grades.

-- One per author and assignment. The draft is what the author is writing; body is what was submitted.
-- The dates that decide a submission's life are fixed when it is submitted, from the author's own
-- schedule (self-paced participants each have their own): pool_from is when reviewers may take it
-- (the submission deadline, or the moment of a late submission), grade_due is the author's review
-- deadline, needed is the assignment's reviews_per_submission.
CREATE TABLE submission (
    id            bigserial   PRIMARY KEY,
    course_id     text        NOT NULL,
    cohort_id     text        NOT NULL,
    module_id     text        NOT NULL,
    author_id     bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    draft         text        NOT NULL DEFAULT '',
    body          text,
    submitted_at  timestamptz,
    updated_at    timestamptz NOT NULL,
    late          boolean     NOT NULL DEFAULT false,
    pool_from     timestamptz,
    grade_due     timestamptz,
    needed        smallint,
    -- Finished reviews of this work, and finished reviews its author wrote in this assignment: kept as
    -- counters so "review next" does not count every review of the assignment on each request.
    reviews_received integer  NOT NULL DEFAULT 0,
    reviews_given    integer  NOT NULL DEFAULT 0,
    UNIQUE (course_id, cohort_id, module_id, author_id),
    CHECK ((submitted_at IS NULL) = (body IS NULL))
);

-- The grading and reminder jobs look for submissions by their dates.
CREATE INDEX submission_grade_due ON submission (grade_due) WHERE submitted_at IS NOT NULL;

-- A claim (lease_until in the future, no completed_at) or a finished review (completed_at set).
-- One reviewer reviews a submission at most once. An expired claim that was never finished is
-- deleted when its reviewer asks for the next one.
CREATE TABLE review (
    id             bigserial   PRIMARY KEY,
    submission_id  bigint      NOT NULL REFERENCES submission (id) ON DELETE CASCADE,
    reviewer_id    bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    claimed_at     timestamptz NOT NULL,
    lease_until    timestamptz NOT NULL,
    extra          boolean     NOT NULL DEFAULT false,
    scores         jsonb,
    comment        text,
    completed_at   timestamptz,
    updated_at     timestamptz,
    helpful        smallint    CHECK (helpful BETWEEN 1 AND 5),
    flag_state     text        CHECK (flag_state IN ('pending', 'kept', 'removed')),
    flag_reason    text,
    flagged_at     timestamptz,
    UNIQUE (submission_id, reviewer_id)
);

CREATE INDEX review_reviewer ON review (reviewer_id, submission_id);
-- Open claims are few at any moment; "review next" counts them per submission.
CREATE INDEX review_open ON review (submission_id) WHERE completed_at IS NULL;

-- Grades, computed once after the author's review deadline; a facilitator may override.
CREATE TABLE grade (
    submission_id    bigint      PRIMARY KEY REFERENCES submission (id) ON DELETE CASCADE,
    reviews          integer     NOT NULL,
    max_points       double precision NOT NULL,
    median           double precision,
    corrected        double precision,
    low              double precision,
    high             double precision,
    trusted          boolean     NOT NULL,
    reason           text,
    criteria         jsonb       NOT NULL DEFAULT '{}',
    computed_at      timestamptz NOT NULL,
    override_points  double precision,
    override_note    text,
    override_by      bigint      REFERENCES account (id),
    override_at      timestamptz
);

-- An author's own scores for their work, when the assignment asks for it (self_assessment: true). Kept
-- apart from reviews: it is shown beside the peer grade and never counts in it.
CREATE TABLE self_assessment (
    submission_id  bigint      PRIMARY KEY REFERENCES submission (id) ON DELETE CASCADE,
    scores         jsonb       NOT NULL,
    comment        text,
    updated_at     timestamptz NOT NULL
);

-- "Reviews are waiting for you" reminders, at most three per author and assignment.
CREATE TABLE review_reminder (
    submission_id  bigint      PRIMARY KEY REFERENCES submission (id) ON DELETE CASCADE,
    sent           integer     NOT NULL,
    last_sent_at   timestamptz NOT NULL
);
