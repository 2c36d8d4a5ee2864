-- Amendments, polls and ballots.

CREATE TABLE amendments (
  id              INTEGER PRIMARY KEY,
  session_id      TEXT NOT NULL REFERENCES sessions(id),
  draft           INTEGER NOT NULL,
  target          TEXT NOT NULL,          -- paragraph pid
  kind            TEXT NOT NULL CHECK (kind IN ('replace', 'insert_after', 'delete')),
  text            TEXT NOT NULL DEFAULT '',
  original        TEXT NOT NULL,          -- the target's Markdown when proposed
  rationale       TEXT NOT NULL DEFAULT '',
  proposer        INTEGER NOT NULL REFERENCES people(id),
  status          TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN
                    ('proposed', 'admitted', 'ruled_out', 'withdrawn', 'voting', 'adopted', 'rejected', 'outdated')),
  decision_reason TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  decided_at      INTEGER,
  result_draft    INTEGER
);
CREATE INDEX amendments_session ON amendments(session_id, target);

CREATE TABLE polls (
  id            INTEGER PRIMARY KEY,
  session_id    TEXT NOT NULL REFERENCES sessions(id),
  subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('amendment', 'adoption')),
  subject_id    INTEGER NOT NULL,          -- amendment id or draft number
  method        TEXT NOT NULL CHECK (method IN ('electronic', 'show_of_hands', 'consensus')),
  rule          TEXT NOT NULL CHECK (rule IN ('simple', 'two_thirds', 'absolute', 'consensus')),
  quorum        INTEGER,
  secret        INTEGER NOT NULL DEFAULT 0,
  closes_at     INTEGER,
  override_slot INTEGER NOT NULL DEFAULT 0,
  reason        TEXT NOT NULL DEFAULT '',
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'open', 'closed')),
  created_by    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  opened_at     INTEGER,
  closed_at     INTEGER,
  eligible      INTEGER,                   -- snapshot at opening
  hands_yes     INTEGER,                   -- show_of_hands counts entered by the president
  hands_no      INTEGER,
  hands_abstain INTEGER,
  result        TEXT                       -- JSON, fixed at close
);
CREATE INDEX polls_session ON polls(session_id, state);
-- At most one open poll per session, whatever the clients do.
CREATE UNIQUE INDEX polls_one_open ON polls(session_id) WHERE state = 'open';

-- The terms of a poll are fixed at creation, its result at close.
CREATE TRIGGER polls_terms_fixed BEFORE UPDATE ON polls
WHEN NEW.subject_kind IS NOT OLD.subject_kind OR NEW.subject_id IS NOT OLD.subject_id
  OR NEW.method IS NOT OLD.method OR NEW.rule IS NOT OLD.rule OR NEW.quorum IS NOT OLD.quorum
  OR NEW.secret IS NOT OLD.secret OR NEW.closes_at IS NOT OLD.closes_at
  OR NEW.override_slot IS NOT OLD.override_slot OR NEW.reason IS NOT OLD.reason
  OR (OLD.result IS NOT NULL AND NEW.result IS NOT OLD.result)
  OR (OLD.state = 'closed')
BEGIN
  SELECT RAISE(ABORT, 'poll terms are fixed at creation and its result at close');
END;

-- Who may vote: people with the participant role when the poll opened.
CREATE TABLE poll_voters (
  poll_id   INTEGER NOT NULL REFERENCES polls(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  PRIMARY KEY (poll_id, person_id)
) WITHOUT ROWID;

-- Named polls: one ballot per person per poll; a later ballot replaces it.
CREATE TABLE ballots (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  voter   INTEGER NOT NULL REFERENCES people(id),
  choice  TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
  receipt TEXT NOT NULL UNIQUE,
  cast_at INTEGER NOT NULL,
  PRIMARY KEY (poll_id, voter)
) WITHOUT ROWID;

-- Secret polls: who has voted and which choices were cast are kept apart.
-- Both tables are keyed so that row order reveals neither time nor person:
-- secret_voted by person id, secret_ballots by a random receipt.
CREATE TABLE secret_voted (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  voter   INTEGER NOT NULL REFERENCES people(id),
  PRIMARY KEY (poll_id, voter)
) WITHOUT ROWID;

CREATE TABLE secret_ballots (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  receipt TEXT NOT NULL,
  choice  TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
  PRIMARY KEY (poll_id, receipt)
) WITHOUT ROWID;

CREATE TABLE objections (
  poll_id   INTEGER NOT NULL REFERENCES polls(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  at        INTEGER NOT NULL,
  PRIMARY KEY (poll_id, person_id)
) WITHOUT ROWID;

-- A ballot closes with its poll.
CREATE TRIGGER ballots_closed BEFORE INSERT ON ballots
WHEN (SELECT state FROM polls WHERE id = NEW.poll_id) IS NOT 'open'
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;
CREATE TRIGGER ballots_closed_update BEFORE UPDATE ON ballots
WHEN (SELECT state FROM polls WHERE id = NEW.poll_id) IS NOT 'open'
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;
CREATE TRIGGER secret_ballots_closed BEFORE INSERT ON secret_ballots
WHEN (SELECT state FROM polls WHERE id = NEW.poll_id) IS NOT 'open'
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;
CREATE TRIGGER secret_ballots_closed_delete BEFORE DELETE ON secret_ballots
WHEN (SELECT state FROM polls WHERE id = OLD.poll_id) IS NOT 'open'
BEGIN
  SELECT RAISE(ABORT, 'the poll is not open');
END;
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never deleted');
END;
