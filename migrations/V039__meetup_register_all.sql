-- Registers several people for one meetup under one taking of its lock (issue #13, the registration burst).
--
-- With one call per person, 2,000 people registering at once meant 2,000 hand-overs of the meetup's lock, and of
-- the database-wide lock PostgreSQL takes to order NOTIFYs at commit; on a busy machine each hand-over waits for
-- the next backend to be scheduled, so the burst was a queue of hand-overs rather than work. A node now sends the
-- registrations that arrived while its previous call ran as one call: the same decisions, in arrival order, one
-- lock, one commit, one live event.
--
-- A registration sent with an idempotency key (every form post, API calls with Idempotency-Key) claims its key in
-- the same loop and transaction, with the answer it is given (a registration's answer does not depend on how it
-- came out: the form's redirect, or the API's "read the registration again"): a key used before (in this call or
-- earlier, and not older than p_key_cutoff) is a repeat, r_repeat, and nothing is registered for it.
--
-- The arrays are parallel, one element per person in arrival order. Each answer row carries the element's place
-- (r_ord, from 1) and no id when that person was registered already (or the key was a repeat). The counts are taken once under the lock and
-- then kept as the loop decides: a new registration's arrival number comes from a sequence, so it is after every
-- registration already in line, and its place in line is the number waiting before it plus one.
CREATE FUNCTION meetup_register_all(
        p_course text, p_cohort text, p_capacity integer,
        p_wait_key text, p_seat_key text, p_seat_attachment_type text, p_channel text, p_event text,
        p_accounts bigint[], p_nows timestamptz[], p_codes text[], p_to text[], p_wait_subjects text[], p_wait_bodies text[],
        p_seat_subjects text[], p_seat_bodies text[], p_seat_attachments text[],
        p_key_cutoff timestamptz, p_keys text[], p_key_paths text[], p_answer_statuses integer[], p_answer_locations text[])
RETURNS TABLE (r_ord integer, r_repeat boolean, r_id bigint, r_status text, r_seq bigint, r_code text, r_position bigint,
               r_confirmed_before bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_confirmed bigint;
    v_waiting bigint;
    v_any boolean := false;
    v_claimed boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('meetup'), hashtext(p_course || '/' || p_cohort));
    SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*) FILTER (WHERE status = 'waitlisted')
    INTO v_confirmed, v_waiting
    FROM meetup_registration WHERE course_id = p_course AND cohort_id = p_cohort AND status IN ('confirmed', 'waitlisted');
    FOR i IN 1 .. coalesce(array_length(p_accounts, 1), 0) LOOP
        r_ord := i;
        r_confirmed_before := v_confirmed;
        r_position := NULL;
        r_id := NULL; r_status := NULL; r_seq := NULL; r_code := NULL;
        r_repeat := false;
        IF p_keys[i] IS NOT NULL THEN
            v_claimed := NULL;
            INSERT INTO idempotency_key AS k (account_id, key, path, created_at, status, location)
            VALUES (p_accounts[i], p_keys[i], p_key_paths[i], p_nows[i], p_answer_statuses[i], p_answer_locations[i])
            ON CONFLICT (account_id, key) DO UPDATE
               SET path = EXCLUDED.path, created_at = EXCLUDED.created_at, status = EXCLUDED.status,
                   location = EXCLUDED.location, body = NULL
             WHERE k.created_at < p_key_cutoff
            RETURNING true INTO v_claimed;
            IF v_claimed IS NULL THEN
                r_repeat := true;
                RETURN NEXT;
                CONTINUE;
            END IF;
        END IF;
        INSERT INTO meetup_registration AS m (course_id, cohort_id, account_id, status, seq, code, created_at, updated_at)
        VALUES (p_course, p_cohort, p_accounts[i],
                CASE WHEN (p_capacity IS NULL OR v_confirmed < p_capacity) AND v_waiting = 0 THEN 'confirmed' ELSE 'waitlisted' END,
                nextval('meetup_arrival'), p_codes[i], p_nows[i], p_nows[i])
        ON CONFLICT (course_id, cohort_id, account_id) DO UPDATE SET status = EXCLUDED.status, seq = EXCLUDED.seq, code = EXCLUDED.code,
            updated_at = EXCLUDED.updated_at, walk_in = false, checked_in_at = NULL, promoted_at = NULL
        WHERE m.status = 'cancelled'
        RETURNING m.id, m.status, m.seq, m.code INTO r_id, r_status, r_seq, r_code;
        IF r_id IS NOT NULL THEN
            v_any := true;
            IF r_status = 'waitlisted' THEN
                v_waiting := v_waiting + 1;
                r_position := v_waiting;
                INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at)
                VALUES (p_wait_key || r_id || ':' || r_seq, p_to[i], p_wait_subjects[i],
                        replace(p_wait_bodies[i], '#POSITION#', r_position::text), p_nows[i], p_nows[i])
                ON CONFLICT (dedupe_key) DO NOTHING;
            ELSE
                v_confirmed := v_confirmed + 1;
                r_position := 0;
                INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, attachment_name, attachment_type, attachment_body)
                VALUES (p_seat_key || r_id || ':' || r_seq, p_to[i], p_seat_subjects[i], p_seat_bodies[i], p_nows[i], p_nows[i], 'meetup.ics',
                        p_seat_attachment_type, p_seat_attachments[i])
                ON CONFLICT (dedupe_key) DO NOTHING;
            END IF;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF v_any THEN
        PERFORM pg_notify(p_channel, p_event);
    END IF;
END
$$;

-- Every registration goes through meetup_register_all now (a single one is a call with one element).
DROP FUNCTION meetup_register(text, text, bigint, integer, text, timestamptz, text, text, text, text, text, text, text, text, text, text, text);
