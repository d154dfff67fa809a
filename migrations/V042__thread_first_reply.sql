-- When a thread got its first reply, kept on the thread (issue #13, target 6). The pulse shows how many threads are
-- still unanswered and the median time to a first reply; with 10,000 threads it looked up each thread's first reply
-- on every view (60-80 ms of the page), and the list of the oldest unanswered threads probed every thread too.
--
-- A thread's first reply is its earliest post after the opening one that is not deleted and was written by someone
-- other than the thread's author (every post in a prompt's thread, which has no author, is a reply). The pulse took
-- the lowest-numbered such post, which is the earliest but for replies written in the same instant. Kept by triggers
-- on post (and on the thread's author), so every writer keeps it right with no code of its own. A new post can only
-- make it earlier: one update of the thread by its key, which writes nothing for a later reply. A post deleted,
-- restored, moved or re-attributed counts the thread's replies again (rare; a thread of 5,000 posts in ~2 ms), and
-- the thread is written only when the time moved. Edits and reactions do not run it.
--
-- Concurrent writers: each path locks the thread's row before it counts, and counts in a statement of its own, so it
-- sees every reply committed before it got the lock (two deletions at once, or a deletion beside a new reply, would
-- otherwise each count without the other's change and leave a deleted reply's time, or none, for good). A reply
-- already holds that lock (it numbers itself on the thread). Lock order is that of every post path: the post's row,
-- then its thread's; a move locks both threads in the order of their ids.
ALTER TABLE thread ADD COLUMN first_reply_at timestamptz;

CREATE FUNCTION thread_first_reply(p_thread bigint, p_author bigint) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT min(p.created_at) FROM post p
    WHERE p.thread_id = p_thread AND p.number > 1 AND p.deleted_at IS NULL AND p.author_id IS DISTINCT FROM p_author
$$;

-- Counts again, for a thread whose row the caller has locked (the count is a statement of its own: a fresh snapshot).
CREATE FUNCTION thread_first_reply_keep(p_thread bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE thread t SET first_reply_at = f.at
    FROM (SELECT thread_first_reply(t2.id, t2.author_id) AS at FROM thread t2 WHERE t2.id = p_thread) f
    WHERE t.id = p_thread AND t.first_reply_at IS DISTINCT FROM f.at
$$;

CREATE FUNCTION post_first_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- An opening post is never a reply.
        IF NEW.number > 1 AND NEW.deleted_at IS NULL THEN
            PERFORM 1 FROM thread WHERE id = NEW.thread_id FOR NO KEY UPDATE;
            UPDATE thread t SET first_reply_at = NEW.created_at
            WHERE t.id = NEW.thread_id AND t.author_id IS DISTINCT FROM NEW.author_id
              AND (t.first_reply_at IS NULL OR t.first_reply_at > NEW.created_at);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.thread_id <> OLD.thread_id THEN
        PERFORM 1 FROM thread WHERE id IN (OLD.thread_id, NEW.thread_id) ORDER BY id FOR NO KEY UPDATE;
        PERFORM thread_first_reply_keep(OLD.thread_id);
        PERFORM thread_first_reply_keep(NEW.thread_id);
        RETURN NULL;
    END IF;
    PERFORM 1 FROM thread WHERE id = OLD.thread_id FOR NO KEY UPDATE;
    PERFORM thread_first_reply_keep(OLD.thread_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER post_first_reply_written AFTER INSERT OR DELETE ON post
    FOR EACH ROW EXECUTE FUNCTION post_first_reply();

CREATE TRIGGER post_first_reply_changed AFTER UPDATE OF thread_id, number, author_id, deleted_at, created_at ON post
    FOR EACH ROW
    WHEN (OLD.thread_id IS DISTINCT FROM NEW.thread_id OR OLD.number IS DISTINCT FROM NEW.number
          OR OLD.author_id IS DISTINCT FROM NEW.author_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
          OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION post_first_reply();

-- Who counts as "someone else" depends on the thread's author.
CREATE FUNCTION thread_first_reply_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.first_reply_at := thread_first_reply(NEW.id, NEW.author_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER thread_first_reply_author BEFORE UPDATE OF author_id ON thread
    FOR EACH ROW WHEN (OLD.author_id IS DISTINCT FROM NEW.author_id) EXECUTE FUNCTION thread_first_reply_author();

UPDATE thread t SET first_reply_at = f.at
FROM (SELECT id, thread_first_reply(id, author_id) AS at FROM thread) f
WHERE f.id = t.id AND f.at IS NOT NULL;
