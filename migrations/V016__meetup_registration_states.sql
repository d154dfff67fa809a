-- The states of a meetup registration, owned by the schema rather than by whichever code path writes it:
--   waitlisted -> confirmed (promotion) -> checked in (at the door)
--   waitlisted or confirmed -> cancelled (the person cancels, before the meetup starts or at least before check-in)
--   cancelled -> waitlisted or confirmed (registering again: a fresh place in line and a fresh code)
-- Someone checked in was there: cancelling then would rewrite who attended, so it is refused (an organiser
-- expects the attendance list to stay true; a person who leaves early simply leaves). Cancelling frees what
-- the registration held: its seats and its table choices, so the next round's tables do not count them.

ALTER TABLE meetup_registration ADD CONSTRAINT meetup_registration_checked_in_is_confirmed
    CHECK (checked_in_at IS NULL OR status = 'confirmed') NOT VALID;

CREATE FUNCTION meetup_registration_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        IF OLD.checked_in_at IS NOT NULL THEN
            RAISE EXCEPTION 'a checked-in registration cannot be cancelled' USING ERRCODE = 'KM001';
        END IF;
        DELETE FROM meetup_seat WHERE course_id = OLD.course_id AND cohort_id = OLD.cohort_id AND account_id = OLD.account_id;
        DELETE FROM meetup_table_choice WHERE course_id = OLD.course_id AND cohort_id = OLD.cohort_id AND account_id = OLD.account_id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetup_registration_transition BEFORE UPDATE OF status ON meetup_registration
    FOR EACH ROW EXECUTE FUNCTION meetup_registration_transition();

-- Registrations cancelled after check-in before this rule existed: they were there, so they count as attended.
UPDATE meetup_registration SET status = 'confirmed' WHERE status = 'cancelled' AND checked_in_at IS NOT NULL;
ALTER TABLE meetup_registration VALIDATE CONSTRAINT meetup_registration_checked_in_is_confirmed;
