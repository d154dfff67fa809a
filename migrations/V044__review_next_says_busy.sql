-- review_next (V040) told a reviewer "nothing needs a review right now" whenever every candidate it tried was full,
-- though the ranking it was given went on: a ranking is made from a snapshot of the module's pool shared by the
-- reviewers asking at that moment, and when a thousand ask at once the first twenty of a stale ranking can all have
-- filled up under the lock (1 to 20 reviewers a wave in the "review next" benchmark, while hundreds of submissions
-- still needed reviews). With candidates left in the ranking that it did not try (its tries used up) the answer is
-- now "busy": other reviewers are claiming, try again in a second, which finds them; given only the head of the
-- ranking, "more", so that the caller sends the whole lists and the answer is decided on them. Only the outcome of
-- that case changes; the function is otherwise V040's, written whole as PostgreSQL replaces a function.
CREATE OR REPLACE FUNCTION review_next(p_course text, p_cohort text, p_module text, p_reviewer bigint, p_ranked bigint[], p_ranked_all boolean,
                            p_extras bigint[], p_extras_all boolean, p_now timestamptz, p_lease timestamptz, p_k integer,
                            p_tries integer)
RETURNS TABLE (outcome text, claimed_review bigint, claimed_submission bigint, claimed_extra boolean, claimed_until timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_id bigint;
    v_active integer;
    v_review bigint;
    v_tried integer := 0;
    v_skipped boolean := false;
    v_extra boolean := false;
    v_untried boolean := false;
    v_list bigint[] := '{}';
    v_mine bigint[];
    v_held record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('review-next'), hashtext(p_course || '/' || p_cohort || '/' || p_module || '/' || p_reviewer));
    IF NOT EXISTS (SELECT 1 FROM submission s WHERE s.course_id = p_course AND s.cohort_id = p_cohort AND s.module_id = p_module
                   AND s.author_id = p_reviewer AND s.submitted_at IS NOT NULL) THEN
        RETURN QUERY SELECT 'submit-first'::text, NULL::bigint, NULL::bigint, NULL::boolean, NULL::timestamptz;
        RETURN;
    END IF;
    SELECT r.id, r.submission_id, r.extra, r.lease_until INTO v_held FROM review r JOIN submission o ON o.id = r.submission_id
    WHERE r.reviewer_id = p_reviewer AND o.course_id = p_course AND o.cohort_id = p_cohort AND o.module_id = p_module
      AND r.completed_at IS NULL AND r.lease_until > p_now
    ORDER BY r.id LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'held'::text, v_held.id, v_held.submission_id, v_held.extra, v_held.lease_until;
        RETURN;
    END IF;
    -- What this reviewer reviewed or holds is not theirs to take again: a handful of ids, read once through
    -- review_reviewer. Only the first p_tries candidates left are kept: no more are ever tried.
    SELECT coalesce(array_agg(t.submission_id), '{}') INTO v_mine FROM review t
    WHERE t.reviewer_id = p_reviewer AND (t.completed_at IS NOT NULL OR t.lease_until > p_now);
    FOREACH v_id IN ARRAY p_ranked LOOP
        CONTINUE WHEN v_id = ANY (v_mine);
        IF cardinality(v_list) >= p_tries THEN
            v_untried := true;
            EXIT;
        END IF;
        v_list := v_list || v_id;
    END LOOP;
    IF cardinality(v_list) < p_tries AND NOT p_ranked_all THEN
        RETURN QUERY SELECT 'more'::text, NULL::bigint, NULL::bigint, NULL::boolean, NULL::timestamptz;
        RETURN;
    END IF;
    IF cardinality(v_list) = 0 THEN
        v_extra := true;
        -- an extra goes to the least reviewed work only
        FOREACH v_id IN ARRAY p_extras LOOP
            IF v_id <> ALL (v_mine) THEN
                v_list := ARRAY[v_id];
                EXIT;
            END IF;
        END LOOP;
        IF cardinality(v_list) = 0 THEN
            RETURN QUERY SELECT CASE WHEN p_extras_all THEN 'none' ELSE 'more' END, NULL::bigint, NULL::bigint, NULL::boolean,
                NULL::timestamptz;
            RETURN;
        END IF;
    END IF;
    FOREACH v_id IN ARRAY v_list LOOP
        EXIT WHEN v_tried >= p_tries;
        v_tried := v_tried + 1;
        PERFORM 1 FROM submission s WHERE s.id = v_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            v_skipped := true;
            CONTINUE;
        END IF;
        v_skipped := false;
        SELECT count(*) INTO v_active FROM review r
        WHERE r.submission_id = v_id AND (r.completed_at IS NOT NULL OR r.lease_until > p_now)
          AND r.flag_state IS DISTINCT FROM 'removed';
        IF NOT v_extra AND v_active >= p_k THEN
            CONTINUE;
        END IF;
        INSERT INTO review AS r (submission_id, reviewer_id, claimed_at, lease_until, extra)
        VALUES (v_id, p_reviewer, p_now, p_lease, v_extra)
        ON CONFLICT (submission_id, reviewer_id) DO UPDATE
            SET claimed_at = EXCLUDED.claimed_at, lease_until = EXCLUDED.lease_until, extra = EXCLUDED.extra
            WHERE r.completed_at IS NULL AND r.lease_until <= EXCLUDED.claimed_at
        RETURNING r.id INTO v_review;
        IF v_review IS NOT NULL THEN
            RETURN QUERY SELECT 'claimed'::text, v_review, v_id, v_extra, p_lease;
            RETURN;
        END IF;
    END LOOP;
    -- Every candidate tried was full under the lock (the ranking was made from a snapshot others have claimed from
    -- since): with candidates left untried that is "busy, try again", not "nothing to review"; with only the head of
    -- the ranking given, "more" (the caller sends the whole lists, and this decides on those).
    RETURN QUERY SELECT CASE WHEN v_skipped OR (v_untried AND NOT v_extra) THEN 'busy'
                             WHEN NOT p_ranked_all AND NOT v_extra THEN 'more' ELSE 'none' END,
        NULL::bigint, NULL::bigint, NULL::boolean, NULL::timestamptz;
END;
$$;
