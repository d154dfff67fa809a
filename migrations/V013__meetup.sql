-- The closing live meetup of a cohort: registration and waitlist, agenda, tables and rounds, check-in,
-- live Q&A, table notes and the published harvest. A meetup is identified by its cohort.

-- One row per person and meetup. seq is the arrival order, taken under the meetup's lock, so the
-- first `capacity` arrivals are confirmed and the rest wait in line in the order they came.
CREATE SEQUENCE meetup_arrival;
CREATE TABLE meetup_registration (
    id             bigserial   PRIMARY KEY,
    course_id      text        NOT NULL,
    cohort_id      text        NOT NULL,
    account_id     bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status         text        NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    seq            bigint      NOT NULL,
    code           text        NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    promoted_at    timestamptz,
    checked_in_at  timestamptz,
    walk_in        boolean     NOT NULL DEFAULT false,
    UNIQUE (course_id, cohort_id, account_id)
);
CREATE INDEX meetup_registration_line ON meetup_registration (course_id, cohort_id, status, seq);

-- The questions talked through at the tables, in order; one table per item.
CREATE TABLE meetup_agenda_item (
    id          bigserial   PRIMARY KEY,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    position    integer     NOT NULL,
    title       text        NOT NULL,
    thread_id   bigint      REFERENCES thread (id) ON DELETE SET NULL,
    insights    text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    UNIQUE (course_id, cohort_id, thread_id)
);
CREATE INDEX meetup_agenda_order ON meetup_agenda_item (course_id, cohort_id, position);

-- The live state: which round runs since when; when it ended; whether the harvest is out.
CREATE TABLE meetup_session (
    course_id             text        NOT NULL,
    cohort_id             text        NOT NULL,
    round                 integer     NOT NULL DEFAULT 0,
    round_started_at      timestamptz,
    round_minutes         integer,
    ended_at              timestamptz,
    harvest_intro         text        NOT NULL DEFAULT '',
    harvest_published_at  timestamptz,
    PRIMARY KEY (course_id, cohort_id)
);

-- A registrant's wish for a round's table, and where they sit (table = position in the agenda, from 0).
CREATE TABLE meetup_table_choice (
    course_id    text    NOT NULL,
    cohort_id    text    NOT NULL,
    round        integer NOT NULL,
    account_id   bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    table_index  integer NOT NULL,
    PRIMARY KEY (course_id, cohort_id, round, account_id)
);

CREATE TABLE meetup_seat (
    course_id    text    NOT NULL,
    cohort_id    text    NOT NULL,
    round        integer NOT NULL,
    account_id   bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    table_index  integer NOT NULL,
    PRIMARY KEY (course_id, cohort_id, round, account_id)
);

-- Shared notes of a table during the rounds.
CREATE TABLE meetup_note (
    id           bigserial   PRIMARY KEY,
    course_id    text        NOT NULL,
    cohort_id    text        NOT NULL,
    table_index  integer     NOT NULL,
    round        integer     NOT NULL,
    author_id    bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX meetup_note_table ON meetup_note (course_id, cohort_id, table_index, id);
CREATE INDEX meetup_note_author ON meetup_note (author_id, created_at);

-- Live Q&A: questions from the room, one vote per person, marked answered or hidden by organisers.
CREATE TABLE meetup_question (
    id          bigserial   PRIMARY KEY,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    author_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    body        text        NOT NULL,
    votes       integer     NOT NULL DEFAULT 0,
    state       text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'hidden')),
    created_at  timestamptz NOT NULL
);
CREATE INDEX meetup_question_cohort ON meetup_question (course_id, cohort_id, votes DESC, id);
CREATE INDEX meetup_question_author ON meetup_question (author_id, created_at);

CREATE TABLE meetup_question_vote (
    question_id  bigint NOT NULL REFERENCES meetup_question (id) ON DELETE CASCADE,
    account_id   bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (question_id, account_id)
);
