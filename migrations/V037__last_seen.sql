-- When each participant was last seen in their cohort, on the enrolment itself: the roster's "not seen for 7 days"
-- filter and its "last seen" order read one column instead of the latest activity day of every person (50,000
-- probes, 0.3 s per query in a cohort of 50,000). Kept by the database from activity_day, whoever writes it.
ALTER TABLE enrolment ADD COLUMN last_seen_at timestamptz;

UPDATE enrolment e SET last_seen_at = s.last_at
FROM (SELECT course_id, cohort_id, account_id, max(last_at) AS last_at FROM activity_day GROUP BY 1, 2, 3) s
WHERE e.course_id = s.course_id AND e.cohort_id = s.cohort_id AND e.account_id = s.account_id;

-- One statement per flush (never a row at a time). Enrolments are locked in key order first, so two nodes flushing
-- the same people wait for each other instead of deadlocking within one trigger; an INSERT ... ON CONFLICT fires the
-- insert trigger and then the update trigger, each in order (the recorder treats a deadlock between them as
-- transient and writes the counts in its next flush).
CREATE FUNCTION enrolment_last_seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM enrolment e
    WHERE (e.course_id, e.cohort_id, e.account_id) IN (SELECT course_id, cohort_id, account_id FROM written)
    ORDER BY e.course_id, e.cohort_id, e.account_id
    FOR UPDATE OF e;
    UPDATE enrolment e SET last_seen_at = w.last_at
    FROM (SELECT course_id, cohort_id, account_id, max(last_at) AS last_at FROM written GROUP BY 1, 2, 3) w
    WHERE e.course_id = w.course_id AND e.cohort_id = w.cohort_id AND e.account_id = w.account_id
      AND (e.last_seen_at IS NULL OR e.last_seen_at < w.last_at);
    RETURN NULL;
END;
$$;

CREATE TRIGGER activity_day_seen_added AFTER INSERT ON activity_day
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION enrolment_last_seen();
CREATE TRIGGER activity_day_seen_changed AFTER UPDATE ON activity_day
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION enrolment_last_seen();
