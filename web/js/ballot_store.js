// A participant's ballot on this device, kept in localStorage per poll so
// that it survives a reload and a lost connection:
//   counted: {choice, receipt, change_code}  the server answered with a receipt
//   pending: {choice, key, change_code, tried} pressed, not yet answered; `key`
//            is its Idempotency-Key, the same on every retry and after a reload
//   refused: {choice, why, message}           the server said no (why: closed,
//            other_device, lost_answer, bad_code, no_right, other)
// A pressed choice is shown as pressed only when it is `counted`.
import { newKey, post, sessionPath } from './api.js';

const RETRY_MAX_MS = 10000;

export function ballotKey(sid, pollId) {
  return `rapporteur.ballot.${sid}.${pollId}`;
}

export function readBallot(sid, pollId) {
  let raw = null;
  try {
    raw = JSON.parse(localStorage.getItem(ballotKey(sid, pollId)) || 'null');
  } catch {
    raw = null;
  }
  const rec = { counted: null, pending: null, refused: null };
  if (!raw || typeof raw !== 'object') return rec;
  if ('counted' in raw || 'pending' in raw || 'refused' in raw) {
    return { counted: raw.counted || null, pending: raw.pending && typeof raw.pending === 'object' ? raw.pending : null, refused: raw.refused || null };
  }
  // The older record ({choice, receipt, change_code} or {choice, pending: true}).
  if (raw.receipt) rec.counted = { choice: raw.choice, receipt: raw.receipt, change_code: raw.change_code || null };
  if (raw.pending === true && raw.choice) rec.pending = { choice: raw.choice, key: newKey(), change_code: null, tried: true };
  return rec;
}

export function writeBallot(sid, pollId, rec) {
  localStorage.setItem(ballotKey(sid, pollId), JSON.stringify(rec));
}

// Records a pressed choice as pending (a fresh key: a new choice is a new
// request) and forgets an earlier refusal.
export function pressChoice(sid, pollId, choice, changeCode = null) {
  const rec = readBallot(sid, pollId);
  rec.pending = { choice, key: newKey(), change_code: changeCode, tried: false };
  rec.refused = null;
  writeBallot(sid, pollId, rec);
  return rec;
}

// Ballot senders: one loop per poll, woken early by the browser's `online`
// event or by a new press.
const running = new Map();  // poll id -> wake function
const retrying = new Set();  // poll ids whose last attempt failed on the way

export function isRetrying(pollId) {
  return retrying.has(pollId);
}

function pause(pollId, ms) {
  return new Promise((resolve) => {
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    window.addEventListener('online', done);
    running.set(pollId, done);
  });
}

// Sends the pending ballot of `pollId` until the server answers: a receipt,
// or a refusal (the poll closed, already voted, ...). `classify(error,
// pending)` names a refusal; `onChange()` redraws after every step.
export async function sendPending(sid, pollId, { classify, onChange }) {
  if (running.has(pollId)) {
    const wake = running.get(pollId);
    if (wake) wake();
    return;
  }
  running.set(pollId, null);
  let attempt = 0;
  let lastKey = null;
  try {
    for (;;) {
      const rec = readBallot(sid, pollId);
      const p = rec.pending;
      if (!p) return;
      if (p.key !== lastKey) attempt = 0;
      lastKey = p.key;
      const body = { choice: p.choice };
      // A secret ballot is changed with the code this device received.
      const code = p.change_code || (rec.counted && rec.counted.change_code);
      if (code) body.change_code = code;
      let error = null;
      let res = null;
      const retried = !!p.tried;
      try {
        p.tried = true;
        writeBallot(sid, pollId, { ...rec, pending: p });
        res = await post(sessionPath(sid, `/polls/${pollId}/ballots`), body, p.key);
      } catch (e) {
        error = e;
      }
      const now = readBallot(sid, pollId);
      const same = now.pending && now.pending.key === p.key;
      if (res) {
        retrying.delete(pollId);
        now.counted = { choice: res.choice || p.choice, receipt: res.receipt, change_code: res.change_code || null };
        if (same) now.pending = null;
        writeBallot(sid, pollId, now);
        onChange();
        continue;
      }
      const transient = error.code === 'network' || error.status >= 500 || error.status === 408 || error.status === 429;
      if (!transient) {
        retrying.delete(pollId);
        if (same) {
          // Naming the refusal asks the server; a choice pressed meanwhile
          // is a new pending ballot, which the refusal must not overwrite.
          const reason = await classify(error, { ...p, retried });
          const latest = readBallot(sid, pollId);
          if (latest.pending && latest.pending.key === p.key) {
            latest.pending = null;
            latest.refused = { choice: p.choice, ...reason, message: error.display };
            writeBallot(sid, pollId, latest);
          }
        }
        onChange();
        continue;
      }
      // Not answered: wait (1 s, 2 s, 4 s, ... at most 10 s) and send again
      // with the same key, for as long as it takes.
      retrying.add(pollId);
      onChange();
      attempt++;
      await pause(pollId, Math.min(RETRY_MAX_MS, 1000 * 2 ** (attempt - 1)));
    }
  } finally {
    running.delete(pollId);
  }
}
