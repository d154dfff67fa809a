-- Every node's release job reads which cohort-wide releases exist every 10 s. Releases to single participants of a
-- self-paced cohort are in the same table (210,000 rows in src/bench/scale.sh against 9 cohort-wide ones), so that
-- read was a scan of all of them: 20-60 ms of the database every 10 s on every node. Now it reads this index.
CREATE INDEX module_release_cohort ON module_release (course_id, cohort_id, module_id) WHERE participant_id IS NULL;
