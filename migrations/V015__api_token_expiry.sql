-- API tokens get an id people can name when they revoke one (the hash is never shown), and an end:
-- a token that leaks from an old script or laptop stops working by itself.
ALTER TABLE api_token ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE api_token ADD CONSTRAINT api_token_id_key UNIQUE (id);

ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
-- Tokens made before expiry existed keep working for the default lifetime, counted from now, so no
-- script breaks the day this migration runs.
UPDATE api_token SET expires_at = greatest(created_at, now()) + interval '90 days';
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;

