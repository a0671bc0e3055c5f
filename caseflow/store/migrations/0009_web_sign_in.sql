-- Sign-in to the staff web app: a password per user (argon2id; set first by an admin), failed
-- attempts counted towards a lock, and server-side sessions. Only a session id's SHA-256 is
-- stored (the id is 256 random bits in an HttpOnly cookie), with the form token of that session.
ALTER TABLE users ADD COLUMN password_hash text;
ALTER TABLE users ADD COLUMN password_set_by text;
ALTER TABLE users ADD COLUMN password_set_at timestamptz;
ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until timestamptz;

CREATE TABLE web_sessions (
    id_sha256   text PRIMARY KEY,
    user_name   text        NOT NULL REFERENCES users (name),
    csrf_token  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    ended_at    timestamptz
);
CREATE INDEX web_sessions_user ON web_sessions (user_name);

-- The one-time id of each step form recorded through the web app: the same form posted again
-- (a double click, a reload) answers its first outcome instead of being taken for a stale one.
CREATE TABLE web_form_posts (
    request_id text PRIMARY KEY,
    stream_id  text        NOT NULL,
    posted_at  timestamptz NOT NULL DEFAULT now()
);
