-- Full-text search in the course's language: each post keeps the text search configuration it was
-- written under ('dutch' for nl, 'english' for en, 'simple' otherwise), so the stored vector can be
-- a generated column and the index serves every language.
ALTER TABLE thread ADD COLUMN search_config regconfig NOT NULL DEFAULT 'simple';
ALTER TABLE thread ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector(search_config, title)) STORED;
ALTER TABLE post ADD COLUMN search_config regconfig NOT NULL DEFAULT 'simple';
ALTER TABLE post ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector(search_config, body)) STORED;
CREATE INDEX thread_search ON thread USING gin (search);
CREATE INDEX post_search ON post USING gin (search);
