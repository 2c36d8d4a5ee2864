-- Sessions, their agenda and breakouts, people with hashed tokens, the event
-- log (hash chain) and idempotent replies.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  date        TEXT NOT NULL,
  timezone    TEXT NOT NULL,
  place       TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  phase       TEXT NOT NULL DEFAULT 'drafting' CHECK (phase IN ('drafting', 'amending', 'adopted')),
  created_at  INTEGER NOT NULL,
  next_pid    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE slots (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  id         TEXT NOT NULL,
  position   INTEGER NOT NULL,
  start      TEXT NOT NULL,
  end        TEXT NOT NULL,
  title      TEXT NOT NULL,
  kind       TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, id)
) WITHOUT ROWID;

CREATE TABLE breakouts (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  id         TEXT NOT NULL,
  position   INTEGER NOT NULL,
  title      TEXT NOT NULL,
  PRIMARY KEY (session_id, id)
) WITHOUT ROWID;

CREATE TABLE people (
  id         INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  name       TEXT NOT NULL,
  roles      TEXT NOT NULL,            -- comma-separated role names
  breakout   TEXT,                     -- for rapporteurs
  token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 of the token; the token is never stored
  present_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX people_session ON people(session_id);

CREATE TABLE events (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  seq        INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  actor      TEXT,
  type       TEXT NOT NULL,
  data       TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE idempotency (
  actor       TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,   -- SHA-256 of method, path and body
  created_at  INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (actor, key)
) WITHOUT ROWID;
