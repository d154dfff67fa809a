-- The course's own principles in discussions (issue 12): reply first, working out loud, mistakes may be shared.

-- Working out loud: a post's author may mark it as work in progress or as asking for help.
ALTER TABLE post ADD COLUMN mark text CHECK (mark IN ('wip', 'help'));
-- The thread list's mark filter and a cohort's open help requests look only at marked posts.
CREATE INDEX post_marked ON post (thread_id, number) WHERE mark IS NOT NULL;

-- Reply first: "has this person posted in this thread yet?", asked by pages, search and mail recipients.
CREATE INDEX post_thread_author ON post (thread_id, author_id);

-- "Me too" beside "helpful" (where mistakes are shared); the count moves in the same statement as the row.
ALTER TABLE post ADD COLUMN me_too_count integer NOT NULL DEFAULT 0;
ALTER TABLE reaction DROP CONSTRAINT reaction_kind_check;
ALTER TABLE reaction ADD CONSTRAINT reaction_kind_check CHECK (kind IN ('helpful', 'me-too'));
