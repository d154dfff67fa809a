-- The cohort pulse: what people did, counted per person, cohort, module and day, and how many
-- were online per minute. Only facts inside a cohort someone belongs to are recorded here;
-- nothing about what anyone reads elsewhere. Rows go with the account (ON DELETE CASCADE).

-- One row per person, cohort, module and local day (the course's time zone). Writers add to the
-- counters with one upsert per day and kind (batched on hot pages), never a row per event.
-- module_id '' holds activity that belongs to no module (cohort home, meetup).
CREATE TABLE activity_day (
    course_id     text        NOT NULL,
    cohort_id     text        NOT NULL,
    account_id    bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    day           date        NOT NULL,
    module_id     text        NOT NULL DEFAULT '',
    visits        integer     NOT NULL DEFAULT 0,   -- opened a page of the cohort
    reads         integer     NOT NULL DEFAULT 0,   -- opened a module or a thread
    reactions     integer     NOT NULL DEFAULT 0,
    threads       integer     NOT NULL DEFAULT 0,   -- started a thread
    replies       integer     NOT NULL DEFAULT 0,   -- posted in a thread someone else started
    submissions   integer     NOT NULL DEFAULT 0,
    reviews       integer     NOT NULL DEFAULT 0,
    registrations integer     NOT NULL DEFAULT 0,   -- for the meetup
    attendances   integer     NOT NULL DEFAULT 0,   -- checked in at the meetup
    last_at       timestamptz NOT NULL,             -- the latest moment counted in this row
    PRIMARY KEY (course_id, cohort_id, day, account_id, module_id)
);
-- The roster and "last seen": one person's days in a cohort.
CREATE INDEX activity_day_person ON activity_day (course_id, cohort_id, account_id, day);

-- Presence: each node writes, once a minute, how many distinct people had an event stream of the
-- cohort open on it. The cohort's online count at a minute is the sum over nodes of that minute.
CREATE TABLE presence_minute (
    course_id text        NOT NULL,
    cohort_id text        NOT NULL,
    minute    timestamptz NOT NULL,   -- truncated to the minute, the same instant on every node
    node      text        NOT NULL,
    people    integer     NOT NULL CHECK (people >= 0),
    PRIMARY KEY (course_id, cohort_id, minute, node)
);
