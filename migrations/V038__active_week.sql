-- How many days each participant was active in their latest week with activity, on the enrolment itself: the
-- roster ordered by "days active this week" had to count the week's days of every person first (a pass over the
-- week's activity, 240-330 ms in a cohort of 50,000); with the count on the enrolment it picks its page first like
-- any order by name. Weeks start on Monday (activity_day.day is already the course's local day). The roster shows
-- active_days only when active_week is the current week, so a count from an earlier week reads as 0.
ALTER TABLE enrolment ADD COLUMN active_week date, ADD COLUMN active_days smallint NOT NULL DEFAULT 0;

UPDATE enrolment e SET active_week = s.week, active_days = s.days
FROM (SELECT DISTINCT ON (course_id, cohort_id, account_id) course_id, cohort_id, account_id,
             date_trunc('week', day)::date AS week, count(DISTINCT day) AS days
      FROM activity_day GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 DESC) s
WHERE e.course_id = s.course_id AND e.cohort_id = s.cohort_id AND e.account_id = s.account_id;

-- A new activity row may be a new day (several rows share a day, one per module): the person's latest week is
-- counted again through activity_day_person, once per person written in the statement (a flush writes a few hundred
-- at most). Rows of a week older than the kept one change only "last seen". Updates never add a day, so only inserts
-- count. This function keeps last_seen_at on inserts too (enrolment_last_seen still does on updates); enrolments are
-- locked in key order first, as there.
CREATE FUNCTION enrolment_activity_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM enrolment e
    WHERE (e.course_id, e.cohort_id, e.account_id) IN (SELECT course_id, cohort_id, account_id FROM written)
    ORDER BY e.course_id, e.cohort_id, e.account_id
    FOR UPDATE OF e;
    UPDATE enrolment e SET last_seen_at = greatest(e.last_seen_at, w.last_at), active_week = greatest(e.active_week, w.week),
           active_days = CASE WHEN e.active_week > w.week THEN e.active_days ELSE
               (SELECT count(DISTINCT d.day) FROM activity_day d
                WHERE d.course_id = e.course_id AND d.cohort_id = e.cohort_id AND d.account_id = e.account_id
                  AND d.day >= w.week AND d.day < w.week + 7) END
    FROM (SELECT course_id, cohort_id, account_id, max(last_at) AS last_at, max(date_trunc('week', day))::date AS week
          FROM written GROUP BY 1, 2, 3) w
    WHERE e.course_id = w.course_id AND e.cohort_id = w.cohort_id AND e.account_id = w.account_id;
    RETURN NULL;
END;
$$;

DROP TRIGGER activity_day_seen_added ON activity_day;
CREATE TRIGGER activity_day_added AFTER INSERT ON activity_day
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION enrolment_activity_added();
