-- The pulse's principles section counts who accepted the cohort's current guidelines (issue #13, target 6): with
-- 50,000 participants that count read every enrolment of the cohort joined to its account, ~100 ms of a pulse view
-- that should take 300 ms in all. Counted through this index it is a range of it (a few ms), and the count of
-- participants an index-only scan.
CREATE INDEX enrolment_guidelines_accepted ON enrolment (course_id, cohort_id, guidelines_accepted_at) WHERE left_at IS NULL;
