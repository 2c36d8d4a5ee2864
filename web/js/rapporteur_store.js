// What the rapporteur's page keeps on the device, per browser tab.
//
// Unsent text lives in sessionStorage: every tab has its own copy (two tabs
// on one fragment never send or drop each other's text), and a reload of
// the same tab, online or offline, gets it back. Beside it the tab keeps the
// last version it read from the server, so that an offline reload can still
// show the fragment and tell what is saved from what is not.

function read(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

// Returns false when the device refused to keep it (storage full or off).
function write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function remove(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // storage off: nothing was kept either
  }
}

const unsentKey = (sid, fid) => `rapporteur.unsent.${sid}.${fid}`;
const serverKey = (sid, fid) => `rapporteur.fragment.${sid}.${fid}`;
const listKey = (sid, bid) => `rapporteur.fragments.${sid}.${bid}`;

// Unsent text: {base, title, body, note, key}. `base` is the version the
// text was written on; `key` is the Idempotency-Key once a save was sent,
// the same for every retry of that same content.
export function loadUnsent(sid, fid) {
  const mine = read(unsentKey(sid, fid));
  return mine || adoptShared(sid, fid);
}

// Earlier versions of the page kept unsent text in localStorage, shared by
// all tabs: the first tab that opens the fragment takes it over, so text
// written before an upgrade is not lost.
function adoptShared(sid, fid) {
  try {
    const shared = JSON.parse(localStorage.getItem(unsentKey(sid, fid)) || 'null');
    if (!shared) return null;
    if (write(unsentKey(sid, fid), shared)) localStorage.removeItem(unsentKey(sid, fid));
    return shared;
  } catch {
    return null;
  }
}
export const keepUnsent = (sid, fid, u) => write(unsentKey(sid, fid), u);
export const dropUnsent = (sid, fid) => remove(unsentKey(sid, fid));

// The last version of a fragment this tab read: {id, version, title, body, html}.
export const loadServerCopy = (sid, fid) => read(serverKey(sid, fid));
export const keepServerCopy = (sid, f) => write(serverKey(sid, f.id), f);

// The last fragment list of a breakout this tab read.
export const loadFragmentList = (sid, bid) => read(listKey(sid, bid));
export const keepFragmentList = (sid, bid, list) => write(listKey(sid, bid), list);
