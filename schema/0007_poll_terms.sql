-- Polls: a duration, hidden results, cancellation.
--
-- duration_seconds: a poll may be created with a duration instead of a
-- closing time; its closes_at is then set when it opens (open time plus the
-- duration). hide_results: while the poll is open no one (the president
-- included) sees its counts, only how many ballots were cast. cancelled_at:
-- a poll that was never opened may be cancelled; it stays here as a record
-- and never opens.
ALTER TABLE polls ADD COLUMN duration_seconds INTEGER;
ALTER TABLE polls ADD COLUMN hide_results INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN cancelled_at INTEGER;

-- Secret polls always hid their counts while open: say so in the new column.
DROP TRIGGER polls_terms_fixed;
UPDATE polls SET hide_results = 1 WHERE secret = 1;

-- The terms of a poll are fixed at creation, its result at close; the one
-- change of closes_at allowed is the one its duration makes at the opening,
-- and a cancelled poll changes no more.
CREATE TRIGGER polls_terms_fixed BEFORE UPDATE ON polls
WHEN NEW.subject_kind IS NOT OLD.subject_kind OR NEW.subject_id IS NOT OLD.subject_id
  OR NEW.method IS NOT OLD.method OR NEW.rule IS NOT OLD.rule OR NEW.quorum IS NOT OLD.quorum
  OR NEW.secret IS NOT OLD.secret
  OR NEW.override_slot IS NOT OLD.override_slot OR NEW.reason IS NOT OLD.reason
  OR NEW.duration_seconds IS NOT OLD.duration_seconds OR NEW.hide_results IS NOT OLD.hide_results
  OR (NEW.closes_at IS NOT OLD.closes_at AND NOT (OLD.state = 'pending' AND NEW.state = 'open'
      AND OLD.closes_at IS NULL AND OLD.duration_seconds IS NOT NULL
      AND NEW.closes_at IS NEW.opened_at + OLD.duration_seconds * 1000))
  OR (OLD.result IS NOT NULL AND NEW.result IS NOT OLD.result)
  OR (OLD.state = 'closed')
  OR (OLD.cancelled_at IS NOT NULL)
  OR (NEW.cancelled_at IS NOT NULL AND (OLD.state IS NOT 'pending' OR NEW.state IS NOT 'pending'))
BEGIN
  SELECT RAISE(ABORT, 'poll terms are fixed at creation and its result at close');
END;
