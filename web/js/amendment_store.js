// The amendment a participant is writing, kept on the device until it is
// sent or cancelled: a phone that discards the tab in the background, a
// reload or a lost connection must not take the words with it. Per browser
// tab (sessionStorage), like the rapporteur's unsent text.
//
// Kept: {draft, target, kind, text, rationale}, where `target` is the
// paragraph as the person read it and `draft` the draft it was read in.

const keyOf = (sid) => `participant.amendment.${sid}`;
const KINDS = ['replace', 'insert_after', 'delete'];

export function readAmendment(sid) {
  try {
    const kept = JSON.parse(sessionStorage.getItem(keyOf(sid)) || 'null');
    if (!kept || !kept.target || typeof kept.target.pid !== 'string' || !Number.isInteger(kept.draft)) return null;
    return {
      draft: kept.draft,
      target: kept.target,
      kind: KINDS.includes(kept.kind) ? kept.kind : 'replace',
      text: typeof kept.text === 'string' ? kept.text : '',
      rationale: typeof kept.rationale === 'string' ? kept.rationale : '',
    };
  } catch {
    return null;
  }
}

// Returns false when the device refused to keep it (storage full or off).
export function keepAmendment(sid, amendment) {
  try {
    sessionStorage.setItem(keyOf(sid), JSON.stringify(amendment));
    return true;
  } catch {
    return false;
  }
}

export function dropAmendment(sid) {
  try {
    sessionStorage.removeItem(keyOf(sid));
  } catch {
    // storage off: nothing was kept either
  }
}
