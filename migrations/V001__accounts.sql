-- People, how they sign in, and their sessions. Every secret (sign-in link, session, API token)
-- is stored as a SHA-256 hash: a copy of this database signs nobody in.

CREATE TABLE account (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text        NOT NULL,
    name        text,
    language    text,                      -- chosen UI language; NULL follows the course
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX account_email_key ON account (lower(email));

CREATE TABLE signin_token (
    token_hash   bytea       PRIMARY KEY,
    email        text        NOT NULL,
    requested_ip text        NOT NULL,
    return_to    text,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
-- Rate limits count recent requests per address and per IP.
CREATE INDEX signin_token_email_recent ON signin_token (lower(email), created_at);
CREATE INDEX signin_token_ip_recent ON signin_token (requested_ip, created_at);

CREATE TABLE session (
    token_hash   bytea       PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE api_token (
    token_hash   bytea       PRIMARY KEY,
    account_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    label        text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX api_token_account ON api_token (account_id);

-- A repeated form post (double click, reload) with the same key is answered with the first result.
CREATE TABLE idempotency_key (
    account_id   bigint      NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    location     text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, key)
);
