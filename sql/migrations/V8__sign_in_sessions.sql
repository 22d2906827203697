-- Sign-in that resists guessing and can be undone.
--
--   * auth_sessions: one row per sign-in. Every access token names its session (claim "sid") and is
--     accepted only while the session is neither revoked nor expired, so sign-out, sign-out-everywhere
--     and a password change take effect at once, on REST and on open WebSockets.
--   * refresh_tokens: a session's refresh tokens, rotated on every use. Only a SHA-256 of each token is
--     stored. Presenting a token that was already used means it was copied: the whole session is revoked.
--   * sign_in_throttle: failed sign-ins per account (keyed by a hash of the lower-cased e-mail, so unknown
--     and known accounts are throttled alike) and per client address, with the time until which further
--     attempts are refused (429 + Retry-After).

CREATE TABLE auth_sessions (
    id           UUID        PRIMARY KEY,
    user_id      INTEGER     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    revoked_why  TEXT CHECK (revoked_why IN ('sign_out', 'sign_out_everywhere', 'password_changed', 'token_reuse', 'erased'))
);
CREATE INDEX idx_auth_sessions_user ON auth_sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    token_hash TEXT        PRIMARY KEY,  -- hex SHA-256 of the token, never the token
    session_id UUID        NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    issued_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at    TIMESTAMPTZ
);
CREATE INDEX idx_refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE sign_in_throttle (
    key          TEXT        PRIMARY KEY,  -- 'account:<sha-256 of lower(email)>' or 'address:<client address>'
    failures     INTEGER     NOT NULL,
    last_failure TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);
