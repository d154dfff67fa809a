-- The end of a meetup, owned by the schema like the registration states of V016:
--   open -> ended (an organiser ends it, from its start; MeetupRules says when)
--   ended -> open (an organiser takes the end back, until the harvest is published; MeetupRules adds a 24 h limit)
-- An ended meetup takes no new places (a registration, a walk-in, a cancelled registration taken up again) and no
-- new live questions. The services refuse these first with a message a person reads; the triggers make sure no
-- code path, and no request racing the end, writes past them (an end takes the meetup's lock, as registrations
-- and walk-ins do). Both refusals use SQLSTATE KM002, which the service answers as 409.

CREATE FUNCTION meetup_ended(p_course text, p_cohort text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM meetup_session WHERE course_id = p_course AND cohort_id = p_cohort AND ended_at IS NOT NULL)
$$;

CREATE FUNCTION meetup_registration_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'cancelled' AND (TG_OP = 'INSERT' OR OLD.status = 'cancelled')
            AND meetup_ended(NEW.course_id, NEW.cohort_id) THEN
        RAISE EXCEPTION 'the meetup has ended: it takes no new registrations' USING ERRCODE = 'KM002';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetup_registration_open BEFORE INSERT OR UPDATE OF status ON meetup_registration
    FOR EACH ROW EXECUTE FUNCTION meetup_registration_open();

CREATE FUNCTION meetup_question_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF meetup_ended(NEW.course_id, NEW.cohort_id) THEN
        RAISE EXCEPTION 'the meetup has ended: it takes no new questions' USING ERRCODE = 'KM002';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetup_question_open BEFORE INSERT ON meetup_question
    FOR EACH ROW EXECUTE FUNCTION meetup_question_open();

-- A published harvest tells the cohort the meetup is over: from then on the end stays.
CREATE FUNCTION meetup_session_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.ended_at IS NOT NULL AND NEW.ended_at IS NULL AND OLD.harvest_published_at IS NOT NULL THEN
        RAISE EXCEPTION 'a meetup whose harvest is published cannot be reopened' USING ERRCODE = 'KM003';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER meetup_session_transition BEFORE UPDATE OF ended_at ON meetup_session
    FOR EACH ROW EXECUTE FUNCTION meetup_session_transition();
