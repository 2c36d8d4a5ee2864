-- Secret ballots, second form.
--
-- A ballot is changed with a change code that only its voter received (kept
-- here as its SHA-256), never with the receipt, which is published at the
-- close. Rows cast before this migration have none and cannot be changed.
ALTER TABLE secret_ballots ADD COLUMN change_hash TEXT;

-- When a secret poll closes, secret_voted and secret_ballots are emptied and
-- written again in key order (with secure_delete on), so that where a row
-- sits in the file says nothing about when it was cast. While that rebuild
-- runs, inside the closing transaction, this table holds its one row and the
-- guards below let the rows of closed polls be deleted and written back.
CREATE TABLE secret_rebuild (
  running INTEGER PRIMARY KEY CHECK (running = 1)
) WITHOUT ROWID;

DROP TRIGGER secret_ballots_closed;
CREATE TRIGGER secret_ballots_closed BEFORE INSERT ON secret_ballots
WHEN (SELECT state FROM polls WHERE id = NEW.poll_id) IS NOT 'open'
  AND NOT EXISTS (SELECT 1 FROM secret_rebuild)
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;

DROP TRIGGER secret_ballots_closed_delete;
CREATE TRIGGER secret_ballots_closed_delete BEFORE DELETE ON secret_ballots
WHEN (SELECT state FROM polls WHERE id = OLD.poll_id) IS NOT 'open'
  AND NOT EXISTS (SELECT 1 FROM secret_rebuild)
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;
