-- Drafts of the conclusions document. A draft is immutable once written;
-- only its final flag may go from 0 to 1 (adoption freezes it).

CREATE TABLE drafts (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  n          INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('merge', 'edit', 'amendment')),
  reason     TEXT NOT NULL,
  base       INTEGER,                 -- the draft it was made from
  markdown   TEXT NOT NULL,
  sha256     TEXT NOT NULL,           -- of markdown
  paragraphs TEXT NOT NULL,           -- JSON array of paragraphs
  duplicates TEXT NOT NULL,           -- JSON array of {a, b, score}
  final      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, n)
) WITHOUT ROWID;

CREATE TRIGGER drafts_no_delete BEFORE DELETE ON drafts
BEGIN
  SELECT RAISE(ABORT, 'drafts are never deleted');
END;

CREATE TRIGGER drafts_immutable BEFORE UPDATE ON drafts
WHEN NEW.session_id IS NOT OLD.session_id OR NEW.n IS NOT OLD.n OR NEW.markdown IS NOT OLD.markdown
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.paragraphs IS NOT OLD.paragraphs OR NEW.created_at IS NOT OLD.created_at
  OR NEW.kind IS NOT OLD.kind OR NEW.base IS NOT OLD.base OR NEW.duplicates IS NOT OLD.duplicates
  OR (OLD.final = 1 AND NEW.final = 0)
BEGIN
  SELECT RAISE(ABORT, 'a draft is immutable; only final may be set');
END;
