-- Cohorts started on the web get what course YAML allows: self-paced (no start needed then, as in YAML), and
-- their own meetup date, venue and capacity. Facilitators name a cohort's meetup organisers on the web, for
-- YAML and web cohorts alike; they count as organisers beside those in the course file.

ALTER TABLE web_cohort
    ALTER COLUMN starts_local DROP NOT NULL,
    ADD COLUMN pace                text      NOT NULL DEFAULT 'fixed' CHECK (pace IN ('fixed', 'self')),
    ADD COLUMN meetup_starts_local timestamp,            -- local date-time in the course time zone
    ADD COLUMN meetup_venue        text      CHECK (length(meetup_venue) BETWEEN 1 AND 200),
    ADD COLUMN meetup_capacity     integer   CHECK (meetup_capacity > 0),
    ADD CONSTRAINT web_cohort_fixed_starts CHECK (pace = 'self' OR starts_local IS NOT NULL);

-- Looked up by (course, cohort) for the meetup's organiser standing and by course for the course page:
-- both are prefixes of the primary key. Emails are stored lower-case; naming the same person twice is one row.
CREATE TABLE cohort_organiser (
    course_id  text        NOT NULL,
    cohort_id  text        NOT NULL,
    email      text        NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    named_by   bigint      NOT NULL REFERENCES account (id),
    named_at   timestamptz NOT NULL,
    PRIMARY KEY (course_id, cohort_id, email)
);
