-- The cohort pulse (issue 11) reads a whole cohort's activity and presence on every view.

-- One person's days in a cohort (the roster, "last seen") and the pulse's sums per person and week: the same keys
-- as before, now carrying the counters the pulse adds up, so both are answered from the index alone in key order.
DROP INDEX IF EXISTS activity_day_person;
CREATE INDEX activity_day_person ON activity_day (course_id, cohort_id, account_id, day)
    INCLUDE (reads, reactions, threads, replies, reviews, last_at);

-- The peak online: the sum over nodes per minute, read in minute order without visiting the table.
CREATE INDEX presence_minute_people ON presence_minute (course_id, cohort_id, minute) INCLUDE (people);

-- Discussion health: a cohort's threads without walking every module's list.
CREATE INDEX thread_cohort_created ON thread (course_id, cohort_id, created_at, id);
-- The most helpful posts: only posts someone marked helpful, most marked first.
CREATE INDEX post_helpful ON post (helpful_count DESC, id) WHERE helpful_count > 0 AND deleted_at IS NULL AND hidden_at IS NULL;
