-- "Review next" in one call. The candidates come ranked from the picker (ReviewPicker, in Java, from a snapshot of
-- the module's pool shared by the reviewers asking at the same moment); this function does everything that must
-- see the database as it is now, holding its locks only inside the database:
--   1. one reviewer at a time (a double click waits for the first and gets the same claim);
--   2. someone who has not submitted may not review; a reviewer with a live claim gets it back;
--   3. the ranked candidates are tried in order, passing over what this reviewer reviewed or holds and what
--      another reviewer is claiming this very moment (SKIP LOCKED); the chosen one's taken slots are counted again
--      once it holds its lock, and the claim is inserted;
--   4. only when no candidate is left for this reviewer, an extra review of the least reviewed work.
-- Each statement in a volatile PL/pgSQL function takes its own snapshot (READ COMMITTED), so the count after the
-- lock sees every claim committed before the lock was granted: two reviewers never both take the last slot.
--
-- Returns one row: outcome 'claimed' or 'held' (the live claim the reviewer already had) with the review, its
-- submission, whether it is extra and its lease; else 'submit-first', 'busy' (every candidate tried was being
-- claimed by someone else) or 'none' (nothing with room).
CREATE FUNCTION review_next(p_course text, p_cohort text, p_module text, p_reviewer bigint, p_ranked bigint[],
                            p_extras bigint[], p_now timestamptz, p_lease timestamptz, p_k integer, p_tries integer)
RETURNS TABLE (outcome text, claimed_review bigint, claimed_submission bigint, claimed_extra boolean, claimed_until timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_id bigint;
    v_active integer;
    v_review bigint;
    v_tried integer := 0;
    v_skipped boolean := false;
    v_extra boolean := false;
    v_list bigint[];
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
    -- What this reviewer reviewed or holds is not theirs to take again.
    SELECT array_agg(c.id ORDER BY c.ord) INTO v_list FROM unnest(p_ranked) WITH ORDINALITY AS c(id, ord)
    WHERE NOT EXISTS (SELECT 1 FROM review t WHERE t.reviewer_id = p_reviewer AND t.submission_id = c.id
                      AND (t.completed_at IS NOT NULL OR t.lease_until > p_now));
    IF v_list IS NULL THEN
        v_extra := true;
        SELECT array_agg(c.id ORDER BY c.ord) INTO v_list FROM unnest(p_extras) WITH ORDINALITY AS c(id, ord)
        WHERE NOT EXISTS (SELECT 1 FROM review t WHERE t.reviewer_id = p_reviewer AND t.submission_id = c.id
                          AND (t.completed_at IS NOT NULL OR t.lease_until > p_now));
        IF v_list IS NULL THEN
            RETURN QUERY SELECT 'none'::text, NULL::bigint, NULL::bigint, NULL::boolean, NULL::timestamptz;
            RETURN;
        END IF;
        v_list := v_list[1:1]; -- an extra goes to the least reviewed work only
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
    RETURN QUERY SELECT CASE WHEN v_skipped THEN 'busy' ELSE 'none' END, NULL::bigint, NULL::bigint, NULL::boolean, NULL::timestamptz;
END;
$$;
