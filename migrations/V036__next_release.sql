-- When the release job next has to look at a self-paced participant: the opening time of their next module not
-- yet released; NULL for "look now" (new, re-joined, or never looked at); 'infinity' once every module is released.
-- The job read every self-paced enrolment with its releases on every round (every 10 s on every node: 0.3-0.7 s
-- of database time with 70,000 participants); it now reads those due and, once per node and whenever a course
-- file changes a cohort's schedule, all of one cohort.
ALTER TABLE enrolment ADD COLUMN next_release_at timestamptz;
CREATE INDEX enrolment_next_release ON enrolment (course_id, cohort_id, next_release_at) WHERE left_at IS NULL;
-- One participant's releases (the job reads them for those it looks at; the unique key leads with the module).
CREATE INDEX module_release_participant ON module_release (participant_id, course_id, cohort_id) WHERE participant_id IS NOT NULL;
