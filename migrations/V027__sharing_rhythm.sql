-- A personal sharing rhythm (off by default): a participant's own goal to share once a week, every two weeks or
-- once a month in a cohort, counted in periods from when they set it. Nobody else sees it.
CREATE TABLE sharing_goal (
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    period_days integer     NOT NULL CHECK (period_days IN (7, 14, 30)),
    set_at      timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, account_id)
);

-- At most one friendly reminder per missed period, whichever node notices first.
CREATE TABLE sharing_reminder (
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    account_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    period_start timestamptz NOT NULL,
    sent_at      timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, account_id, period_start)
);
