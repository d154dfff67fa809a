-- A personal calendar address. Calendar apps send no cookie and no token, so the secret is in the URL;
-- only its hash is kept. Making a new address replaces the old one; turning it off deletes the row.
CREATE TABLE calendar_feed (
    account_id   bigint      PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    secret_hash  bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
