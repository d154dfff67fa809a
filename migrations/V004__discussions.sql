-- Discussions: threads per cohort and module, posts numbered within their thread.

CREATE TABLE thread (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id      text        NOT NULL,
    cohort_id      text        NOT NULL,
    module_id      text        NOT NULL,
    title          text        NOT NULL,
    author_id      bigint      REFERENCES account (id),   -- NULL: a prompt the course opened
    anonymous      boolean     NOT NULL DEFAULT false,
    prompt_index   integer,                               -- which prompt of the module, for prompt threads
    pinned         boolean     NOT NULL DEFAULT false,
    closed_at      timestamptz,
    post_count     integer     NOT NULL DEFAULT 0,        -- also the last post number handed out
    created_at     timestamptz NOT NULL,
    last_posted_at timestamptz NOT NULL
);
-- A prompt thread is opened once per cohort, whichever node releases the module first.
CREATE UNIQUE INDEX thread_prompt_once ON thread (course_id, cohort_id, module_id, prompt_index)
    WHERE prompt_index IS NOT NULL;
-- The module page: pinned first, then latest activity.
CREATE INDEX thread_module_list ON thread (course_id, cohort_id, module_id, pinned DESC, last_posted_at DESC, id DESC);

CREATE TABLE post (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id   bigint      NOT NULL REFERENCES thread (id) ON DELETE CASCADE,
    number      integer     NOT NULL,
    author_id   bigint      REFERENCES account (id),      -- NULL: the course's own prompt
    anonymous   boolean     NOT NULL DEFAULT false,
    reply_to    integer,                                  -- number of the post this answers
    body        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    edited_at   timestamptz,
    deleted_at  timestamptz,
    CONSTRAINT post_number_once UNIQUE (thread_id, number)
);
-- Posting rate limit: recent posts per author.
CREATE INDEX post_author_recent ON post (author_id, created_at);
