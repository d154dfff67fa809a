-- Idempotency on every state change a retry can repeat (issue 10): a key now remembers the whole first
-- answer (status, Location and JSON body) and the path it was used on, so a repeat of an API call gets the
-- same status and body, and the same key on another path is refused instead of answering for the wrong action.
-- Rows written before this migration keep only a location (a form's redirect) and no path.
ALTER TABLE idempotency_key
    ADD COLUMN path   text,
    ADD COLUMN status integer,
    ADD COLUMN body   text,
    ALTER COLUMN location DROP NOT NULL;

-- Keys expire after a day: the periodic job deletes by age.
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
