-- Circles (course YAML: circles): small groups of 4-6 formed inside a cohort by the meetup's mixer, each with
-- a conversation only its members and the cohort's facilitators read. Circle posts live here, not in the
-- discussion tables, so search, feeds, mails, live events and person pages cannot reach them.

-- Participants who asked to be placed in a circle, and the background they chose to be mixed by (if any).
CREATE TABLE circle_optin (
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    background  text,
    opted_at    timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, account_id)
);

-- Numbered per cohort: two nodes forming at once cannot make the same circle twice.
CREATE TABLE circle (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    number      integer     NOT NULL CHECK (number > 0),
    formed_by   bigint      REFERENCES account (id) ON DELETE SET NULL,
    formed_at   timestamptz NOT NULL,
    UNIQUE (course_id, cohort_id, number)
);

-- left_at set: the person left; the row stays so the circle's history (their posts) keeps its author.
CREATE TABLE circle_member (
    circle_id   bigint      NOT NULL REFERENCES circle (id) ON DELETE CASCADE,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    account_id  bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    background  text,       -- what the mixer used for this person when they were placed
    joined_at   timestamptz NOT NULL,
    left_at     timestamptz,
    PRIMARY KEY (circle_id, account_id)
);
-- At most one circle at a time per person and cohort; also the lookup "my circle".
CREATE UNIQUE INDEX circle_member_current ON circle_member (course_id, cohort_id, account_id) WHERE left_at IS NULL;
CREATE INDEX circle_member_account ON circle_member (account_id);

CREATE TABLE circle_post (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    circle_id   bigint      NOT NULL REFERENCES circle (id) ON DELETE CASCADE,
    author_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX circle_post_circle ON circle_post (circle_id, id);
CREATE INDEX circle_post_author ON circle_post (author_id);
