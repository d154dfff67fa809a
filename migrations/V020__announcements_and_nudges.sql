-- Acting on the cohort pulse: a facilitator's announcements (to the whole cohort or to a roster filter) and
-- gentle nudges to people not seen for a while. One row per message sent, one row per person it went to;
-- mail goes through the outbox with a key per message and person, so it is queued once whichever node sends.

CREATE TABLE announcement (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   text        NOT NULL,
    cohort_id   text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('announcement', 'nudge')),
    -- whom it was for: 'all' or a roster filter ('unseen', 'never-posted', 'owes-reviews'); a nudge: 'quiet'
    audience    text        NOT NULL,
    quiet_days  smallint    CHECK (quiet_days BETWEEN 1 AND 60),    -- a nudge: not seen for this many days
    subject     text        NOT NULL,
    body        text        NOT NULL,                               -- Markdown, rendered sanitised like posts
    sent_by     bigint      REFERENCES account (id) ON DELETE SET NULL,
    sent_at     timestamptz NOT NULL,
    recipients  integer     NOT NULL DEFAULT 0,   -- people it went to (banner and, by their choice, mail)
    mailed      integer     NOT NULL DEFAULT 0,   -- of whom this many by mail ("never" means never)
    skipped     integer     NOT NULL DEFAULT 0    -- a nudge: already nudged this week
);
-- The sent log and the cohort home's banner: a cohort's latest first.
CREATE INDEX announcement_cohort ON announcement (course_id, cohort_id, sent_at DESC);

CREATE TABLE announcement_recipient (
    announcement_id bigint NOT NULL REFERENCES announcement (id) ON DELETE CASCADE,
    account_id      bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, account_id)
);
-- The banner: is this person among the recipients of the cohort's recent announcements?
CREATE INDEX announcement_recipient_account ON announcement_recipient (account_id, announcement_id);

-- At most one nudge per person, cohort and ISO week (week = its Monday in the course's time zone): the
-- unique key decides, so two facilitators (or two nodes) nudging at once still nudge each person once.
CREATE TABLE nudge_week (
    course_id       text   NOT NULL,
    cohort_id       text   NOT NULL,
    account_id      bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    week            date   NOT NULL CHECK (extract(isodow FROM week) = 1),
    announcement_id bigint NOT NULL REFERENCES announcement (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, cohort_id, account_id, week)
);

-- The roster's "last seen": the latest last_at of each person in a cohort, read as one backward index-only probe
-- per person (~5,000 probes for a cohort of 5,000, whatever the length of the term) instead of aggregating every
-- row of the term. The price: an upsert that moves last_at updates this index too.
CREATE INDEX activity_day_last_seen ON activity_day (course_id, cohort_id, account_id, last_at);
