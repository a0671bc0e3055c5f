-- Users of the API and CLI, and their bearer tokens. Only a token's SHA-256 is stored: a token is
-- 256 random bits, so a fast hash is enough (no dictionary to guess from), and a leaked table
-- gives no usable token.
CREATE TABLE users (
    name       text PRIMARY KEY,
    role       text        NOT NULL,
    outlet     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL
);
CREATE TABLE api_tokens (
    token_sha256 text PRIMARY KEY,
    user_name    text        NOT NULL REFERENCES users (name),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);
