-- "Review next" claims in one call: the candidates come ranked from the picker (ReviewPicker, in Java); this
-- function tries them in that order, skipping any another reviewer is claiming this very moment, counts the
-- chosen one's taken slots again once it holds its lock, and inserts the claim. It replaces a round trip per
-- candidate tried (lock, count, insert) with one, so the lock is held only inside the database.
--
-- Each statement in a volatile PL/pgSQL function takes its own snapshot (READ COMMITTED), so the count after the
-- lock sees every claim committed before the lock was granted: two reviewers never both take the last slot.
--
-- Returns one row: claim_status 'claimed' with the review and submission, 'busy' when every candidate left to try was
-- being claimed by someone else, or 'none' when each one it could lock had no room left.
CREATE FUNCTION review_claim(p_ids bigint[], p_reviewer bigint, p_now timestamptz, p_lease timestamptz, p_k integer,
                             p_extra boolean)
RETURNS TABLE (claim_status text, claimed_review bigint, claimed_submission bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_id bigint;
    v_active integer;
    v_review bigint;
    v_skipped boolean := false;
BEGIN
    FOREACH v_id IN ARRAY p_ids LOOP
        PERFORM 1 FROM submission s WHERE s.id = v_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            v_skipped := true;
            CONTINUE;
        END IF;
        v_skipped := false;
        SELECT count(*) INTO v_active FROM review r
        WHERE r.submission_id = v_id AND (r.completed_at IS NOT NULL OR r.lease_until > p_now)
          AND r.flag_state IS DISTINCT FROM 'removed';
        IF NOT p_extra AND v_active >= p_k THEN
            CONTINUE;
        END IF;
        INSERT INTO review AS r (submission_id, reviewer_id, claimed_at, lease_until, extra)
        VALUES (v_id, p_reviewer, p_now, p_lease, p_extra)
        ON CONFLICT (submission_id, reviewer_id) DO UPDATE
            SET claimed_at = EXCLUDED.claimed_at, lease_until = EXCLUDED.lease_until, extra = EXCLUDED.extra
            WHERE r.completed_at IS NULL AND r.lease_until <= EXCLUDED.claimed_at
        RETURNING r.id INTO v_review;
        IF v_review IS NOT NULL THEN
            RETURN QUERY SELECT 'claimed'::text, v_review, v_id;
            RETURN;
        END IF;
    END LOOP;
    RETURN QUERY SELECT CASE WHEN v_skipped THEN 'busy' ELSE 'none' END, NULL::bigint, NULL::bigint;
END;
$$;
