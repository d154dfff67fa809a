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

-- Registers one person for one meetup in a single call, so the meetup's lock is held only inside the database
-- (no round trip to the application while others wait). The lock serialises decisions per meetup over all
-- nodes; in a volatile function under READ COMMITTED every statement takes a fresh snapshot, so the count
-- below sees every registration committed before the lock was granted. A seat while there is one and nobody
-- waits, else the end of the line; the matching mail (the waitlist one has #POSITION# in its text) and the live
-- event go in the same transaction. Answers no id when the person is registered already.
CREATE FUNCTION meetup_register(
        p_course text, p_cohort text, p_account bigint, p_capacity integer, p_code text, p_now timestamptz,
        p_to text, p_wait_key text, p_wait_subject text, p_wait_body text,
        p_seat_key text, p_seat_subject text, p_seat_body text, p_seat_attachment text, p_seat_attachment_type text,
        p_channel text, p_event text,
        OUT r_id bigint, OUT r_status text, OUT r_seq bigint, OUT r_code text, OUT r_position bigint, OUT r_confirmed_before bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_line boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('meetup'), hashtext(p_course || '/' || p_cohort));
    SELECT count(*) INTO r_confirmed_before FROM meetup_registration
    WHERE course_id = p_course AND cohort_id = p_cohort AND status = 'confirmed';
    SELECT EXISTS (SELECT 1 FROM meetup_registration WHERE course_id = p_course AND cohort_id = p_cohort AND status = 'waitlisted')
    INTO v_line;
    INSERT INTO meetup_registration AS m (course_id, cohort_id, account_id, status, seq, code, created_at, updated_at)
    VALUES (p_course, p_cohort, p_account,
            CASE WHEN (p_capacity IS NULL OR r_confirmed_before < p_capacity) AND NOT v_line THEN 'confirmed' ELSE 'waitlisted' END,
            nextval('meetup_arrival'), p_code, p_now, p_now)
    ON CONFLICT (course_id, cohort_id, account_id) DO UPDATE SET status = EXCLUDED.status, seq = EXCLUDED.seq, code = EXCLUDED.code,
        updated_at = EXCLUDED.updated_at, walk_in = false, checked_in_at = NULL, promoted_at = NULL
    WHERE m.status = 'cancelled'
    RETURNING m.id, m.status, m.seq, m.code INTO r_id, r_status, r_seq, r_code;
    IF r_id IS NULL THEN
        RETURN;
    END IF;
    IF r_status = 'waitlisted' THEN
        SELECT count(*) + 1 INTO r_position FROM meetup_registration
        WHERE course_id = p_course AND cohort_id = p_cohort AND status = 'waitlisted' AND seq < r_seq;
        INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at)
        VALUES (p_wait_key || r_id || ':' || r_seq, p_to, p_wait_subject, replace(p_wait_body, '#POSITION#', r_position::text), p_now, p_now)
        ON CONFLICT (dedupe_key) DO NOTHING;
    ELSE
        r_position := 0;
        INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, attachment_name, attachment_type, attachment_body)
        VALUES (p_seat_key || r_id || ':' || r_seq, p_to, p_seat_subject, p_seat_body, p_now, p_now, 'meetup.ics', p_seat_attachment_type,
                p_seat_attachment)
        ON CONFLICT (dedupe_key) DO NOTHING;
    END IF;
    PERFORM pg_notify(p_channel, p_event);
END
$$;
