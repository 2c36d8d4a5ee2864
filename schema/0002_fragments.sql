-- Breakout fragments: versioned Markdown written by the rapporteurs.
--
-- A fragment belongs to one breakout of one session; its text lives only in
-- fragment_versions, one immutable row per save. The latest version is the
-- highest number; the primary key (fragment_id, version) makes two saves of
-- the same next version impossible, whatever the application does.

CREATE TABLE fragments (
  id          INTEGER PRIMARY KEY,
  session_id  TEXT NOT NULL,
  breakout_id TEXT NOT NULL,
  created_at  INTEGER NOT NULL,            -- UTC ms
  FOREIGN KEY (session_id, breakout_id) REFERENCES breakouts(session_id, id)
);
CREATE INDEX fragments_breakout ON fragments(session_id, breakout_id, created_at, id);

CREATE TABLE fragment_versions (
  fragment_id INTEGER NOT NULL REFERENCES fragments(id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  author      INTEGER REFERENCES people(id),  -- NULL: the administrator
  author_name TEXT NOT NULL,                  -- as it was when saved
  created_at  INTEGER NOT NULL,               -- UTC ms
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  PRIMARY KEY (fragment_id, version)
);  -- a rowid table: bodies of up to 64 KiB are too big for WITHOUT ROWID

-- Versions are history: never rewritten, never removed.
CREATE TRIGGER fragment_versions_no_update BEFORE UPDATE ON fragment_versions
BEGIN
  SELECT RAISE(ABORT, 'fragment versions are immutable');
END;

CREATE TRIGGER fragment_versions_no_delete BEFORE DELETE ON fragment_versions
BEGIN
  SELECT RAISE(ABORT, 'fragment versions are never deleted');
END;

-- A fragment keeps its identity and place, and is never removed.
CREATE TRIGGER fragments_no_update BEFORE UPDATE OF id, session_id, breakout_id, created_at ON fragments
BEGIN
  SELECT RAISE(ABORT, 'a fragment never moves');
END;

CREATE TRIGGER fragments_no_delete BEFORE DELETE ON fragments
BEGIN
  SELECT RAISE(ABORT, 'fragments are never deleted');
END;
