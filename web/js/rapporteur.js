// The rapporteur's page: write the breakout's fragments in Markdown, preview
// them as the server renders them, save versions with a note, browse and
// compare versions, and resolve a save that raced another one.
//
// Unsent text is never lost: every keystroke keeps the editor's content in
// this tab's sessionStorage (rapporteur_store.js), and a save that got no
// answer is retried with the same Idempotency-Key (after a reload too), so
// the server keeps exactly one version whatever the Wi-Fi does. A save sends
// exactly what the editor shows, on the version the text was written on: a
// save from another tab or person meanwhile is a conflict shown to the
// person, never an overwrite. "Saved" is shown only when the server holds
// the editor's text.
import { get, newKey, post, put, sessionPath } from './api.js';
import { fill, h, setServerHtml, wordDiff } from './dom.js';
import { t } from './i18n.js';
import { watchLive } from './live.js';
import { boot, hasRole } from './page.js';
import { closedReason, showClosed, wireClosed } from './rapporteur_closed.js';
import { historyView } from './rapporteur_history.js';
import { fragmentList } from './rapporteur_list.js';
import { renderHunks } from './rapporteur_hunks.js';
import { attempt, tell, tellError } from './rapporteur_status.js';
import * as store from './rapporteur_store.js';

const RETRY_MS = 4000;
const S = {
  sid: '',
  session: null,
  me: null,
  breakout: '',
  fragments: [],
  frag: null,  // the latest version this tab knows: {id, version, title, body, html}
  conflict: null,  // {mine, current, merge}
  sending: false,
  offline: false,  // the last read came from this tab's copy, not the server
  retryTimer: null,
  previewTimer: null,
  saveState: 'saved',
  stopLive: null,  // stops following the live state
  seq: undefined,  // the live state's sequence number last seen
};

const el = (id) => document.getElementById(id);
const fragPath = (fid, rest = '') => sessionPath(S.sid, `/fragments/${encodeURIComponent(fid)}${rest}`);
const canWrite = () => S.session.phase === 'drafting';
const fragments = fragmentList(S, (fid) => openFragment(fid));
const versionsView = historyView((rest) => fragPath(S.frag.id, rest));
// Why Save is off, in the person's language (the phase read when it is shown).
const tellClosed = () => tell(() => closedReason(S.session.phase), 'warn');

// ---- unsent text of this tab ------------------------------------------------
const loadUnsent = (fid = S.frag && S.frag.id) => store.loadUnsent(S.sid, fid);
function keepUnsent(u) {
  if (!store.keepUnsent(S.sid, S.frag.id, u)) tell('rap.storage_full', {}, 'warn');
}
const dropUnsent = () => store.dropUnsent(S.sid, S.frag.id);
const sameText = (a, b) => !!a && !!b && a.title === b.title && a.body === b.body;

function setSaveState(state) {
  S.saveState = state;
  const box = el('save-state');
  box.dataset.state = state;
  const v = S.frag ? S.frag.version : 0;
  box.textContent = t(`rap.state_${state}`, { v });
  fragments.draw();
}

// ---- editor ----------------------------------------------------------------
function editorContent() {
  return { title: el('title').value, body: el('body').value, note: el('note').value };
}

function fillEditor({ title, body, note = '' }) {
  el('title').value = title;
  el('body').value = body;
  el('note').value = note;
}

// The latest version from the server, or offline this tab's last copy of it.
async function readFragment(fid) {
  try {
    const f = await get(fragPath(fid));
    const copy = { id: f.id, version: f.version, title: f.title, body: f.body, html: f.html || '' };
    store.keepServerCopy(S.sid, copy);
    S.offline = false;
    return copy;
  } catch (e) {
    const kept = e.code === 'network' ? store.loadServerCopy(S.sid, fid) : null;
    if (!kept) throw e;
    S.offline = true;
    return kept;
  }
}

async function openFragment(fid) {
  clearTimeout(S.retryTimer);
  hideConflict();
  S.frag = await readFragment(fid);
  const url = new URL(location.href);
  url.searchParams.set('fragment', String(S.frag.id));
  history.replaceState(null, '', url);
  el('editor-card').hidden = false;
  el('savebar').hidden = false;
  el('history').hidden = false;
  // The server already holds this tab's text (a save whose answer was lost).
  if (sameText(loadUnsent(), S.frag)) dropUnsent();
  const unsent = loadUnsent();
  if (unsent) {
    fillEditor(unsent);
    setSaveState('unsaved');
    tell(S.offline ? 'rap.offline' : 'rap.restored', {}, 'warn');
    refreshPreview();
    if (unsent.key && !S.offline && canWrite()) send(unsent);  // a save that got no answer: same key again
  } else {
    fillEditor(S.frag);
    setSaveState('saved');
    setServerHtml(el('preview'), S.frag.html || '');
  }
  showClosed(S.session.phase);
  if (!S.offline) await versionsView.load();
}

function onEdit() {
  if (!S.frag || !canWrite()) return;
  const cur = editorContent();
  if (sameText(cur, S.frag) && !S.conflict) {
    dropUnsent();
    setSaveState('saved');
  } else {
    // New content: a new save needs a new key. It stays based on the version
    // the text was first written on, whatever this tab read since.
    const before = loadUnsent();
    keepUnsent({ base: before ? before.base : S.frag.version, ...cur, key: null });
    if (S.saveState !== 'conflict') setSaveState('unsaved');
  }
  clearTimeout(S.previewTimer);
  S.previewTimer = setTimeout(refreshPreview, 700);
}

async function refreshPreview() {
  const box = el('preview');
  try {
    const res = await post(sessionPath(S.sid, '/preview'), { markdown: el('body').value });
    setServerHtml(box, res.html);
  } catch (e) {
    fill(box, h('p', { class: 'muted', text: t('rap.preview_failed', { why: e.display }) }));
  }
}

// Saves exactly what the editor shows.
function save(ev) {
  if (ev) ev.preventDefault();
  if (!S.frag || S.sending) return;
  if (!canWrite()) {
    tellClosed();
    return;
  }
  if (S.conflict) {
    el('conflict').scrollIntoView();
    el('take-merge').focus();
    return;
  }
  const cur = editorContent();
  if (sameText(cur, S.frag)) {
    dropUnsent();
    setSaveState('saved');
    return;
  }
  const before = loadUnsent();
  const unchanged = sameText(before, cur) && (before.note || '') === cur.note;
  const u = unchanged ? before : { base: before ? before.base : S.frag.version, ...cur, key: null };
  if (!u.key) u.key = newKey();
  keepUnsent(u);
  send(u);
}

async function send(u) {
  if (S.sending) return;
  S.sending = true;
  clearTimeout(S.retryTimer);
  setSaveState('saving');
  const fid = S.frag.id;
  try {
    const body = { base_version: u.base, body: u.body, title: u.title };
    if (u.note) body.note = u.note;
    const res = await put(fragPath(fid), body, u.key);
    if (!S.frag || S.frag.id !== fid) return;
    S.offline = false;
    S.frag = { id: fid, version: res.version, title: res.title ?? u.title, body: res.body ?? u.body, html: res.html || '' };
    store.keepServerCopy(S.sid, S.frag);
    const cur = editorContent();
    if (sameText(cur, S.frag)) {
      dropUnsent();
      el('note').value = '';
      setSaveState('saved');
      tell('rap.saved', { v: res.version }, 'ok');
    } else {
      // Typed on while the save travelled: what is new stays unsent, on top
      // of the version just made.
      keepUnsent({ ...cur, base: res.version, key: null });
      setSaveState('unsaved');
    }
    await Promise.all([fragments.load(), versionsView.load()]);
  } catch (e) {
    if (e.code === 'network' || e.status >= 500) {
      setSaveState('retrying');
      S.retryTimer = setTimeout(retry, RETRY_MS);
    } else if (e.code === 'version_conflict') {
      await showConflict(e.body || {}, u);
    } else {
      keepUnsent({ base: u.base, ...editorContent(), key: null });
      setSaveState('unsaved');
      // A save refused because drafting is over says so in the person's
      // language; the server's own words are for other refusals.
      if (!(e.code === 'conflict' && await phaseClosed())) tellError(e);
    }
  } finally {
    S.sending = false;
  }
}

// Sends this tab's unsent text again (same key when it has not changed).
function retry() {
  if (!S.frag || S.conflict || S.sending || !canWrite()) return;
  const u = loadUnsent();
  if (!u) return;
  if (!sameText(u, editorContent())) return;  // typed since: the next Save sends it
  if (!u.key) {
    u.key = newKey();
    keepUnsent(u);
  }
  send(u);
}

// ---- conflict --------------------------------------------------------------
async function showConflict(answer, mine) {
  const src = { ...(answer.error || {}), ...answer };
  let current = src.current;
  if (!current || typeof current !== 'object' || current.body === undefined) current = await get(fragPath(S.frag.id));
  const merge = src.merge || { clean: false, body: mine.body };
  // What the editor shows now is kept (typing may have gone on during the save).
  S.conflict = { mine: { ...mine, ...editorContent(), key: null }, current, merge };
  keepUnsent(S.conflict.mine);
  el('conflict').hidden = false;
  el('conflict-intro').textContent = t('rap.conflict_intro', { base: mine.base, latest: current.version });
  fill(el('conflict-diff'), renderHunks(src.diff));
  el('merge-note').textContent = t(merge.clean ? 'rap.merge_clean' : 'rap.merge_unclean');
  el('merge-body').value = merge.body ?? '';
  fill(el('merge-diff'), renderHunks(wordDiff(mine.body, merge.body ?? '')));
  setSaveState('conflict');
  el('conflict').scrollIntoView();
  el('conflict-h').setAttribute('tabindex', '-1');
  el('conflict-h').focus();
}

function hideConflict() {
  S.conflict = null;
  el('conflict').hidden = true;
}

function resolve(choice) {
  const { current, merge } = S.conflict;
  // "Mine" is what the editor shows now (typing may have gone on meanwhile).
  const mine = { ...S.conflict.mine, ...editorContent() };
  S.frag = { id: S.frag.id, version: current.version, title: current.title ?? S.frag.title, body: current.body, html: current.html || '' };
  store.keepServerCopy(S.sid, S.frag);
  hideConflict();
  if (choice === 'discard') {
    dropUnsent();
    fillEditor(S.frag);
    setSaveState('saved');
    tell('rap.discarded', { v: current.version }, 'ok');
    refreshPreview();
  } else {
    const body = choice === 'merge' ? merge.body : mine.body;
    fillEditor({ title: mine.title, body, note: mine.note });
    keepUnsent({ base: current.version, title: mine.title, body, note: mine.note, key: null });
    refreshPreview();
    if (choice === 'merge' && !merge.clean) {
      setSaveState('unsaved');
      tell('rap.merge_review', {}, 'warn');
      el('body').focus();
    } else {
      save();
    }
  }
  versionsView.load();
}

// ---- phase -----------------------------------------------------------------
function applyPhase(phase) {
  const changed = phase !== S.session.phase;
  S.session.phase = phase;
  showClosed(phase);
  if (phase === 'drafting') return;
  clearTimeout(S.retryTimer);
  // The phase only moves forward: once drafting is over this page has
  // nothing more to follow, and leaves the server to the voting phones.
  if (S.stopLive) S.stopLive();
  S.stopLive = null;
  if (changed) tellClosed();
}

// After a refused save: true when the refusal was the session leaving drafting.
async function phaseClosed() {
  try {
    const session = await get(sessionPath(S.sid));
    if (session.phase === 'drafting') return false;
    applyPhase(session.phase);
    tellClosed();
    return true;
  } catch {
    return false;
  }
}

// The live state (polled): the phase as soon as it changes, and the
// fragment list when anything happened in the session.
function onLive(state) {
  if (state.phase && state.phase !== S.session.phase) applyPhase(state.phase);
  if (S.seq !== undefined && state.seq !== S.seq && canWrite() && S.breakout) fragments.load().catch(() => {});
  S.seq = state.seq;
}

// Back online: read the server again and send what waits.
async function onOnline() {
  if (!S.frag) return;
  try {
    const latest = await readFragment(S.frag.id);
    if (S.offline) return;  // the server is not reachable yet: the next 'online' or Save tries again
    await fragments.load();
    if (!S.sending && !S.conflict) {
      if (!loadUnsent() && !sameText(editorContent(), latest)) {
        fillEditor(latest);
        setServerHtml(el('preview'), latest.html || '');
      }
      S.frag = latest;
      if (!loadUnsent()) setSaveState('saved');
      else tell('rap.back_online', {}, 'ok');
    }
    await versionsView.load();
  } catch {
    return;  // still unreachable: the next 'online' or Save tries again
  }
  retry();
}

// ---- start -----------------------------------------------------------------
function pickBreakout() {
  const mine = S.me && S.me.breakout;
  const staff = hasRole(S.me, 'secretariat', 'president');
  const wanted = new URLSearchParams(location.search).get('breakout');
  const ids = S.session.breakouts.map((b) => b.id);
  if (staff) {
    el('breakout-pick').hidden = false;
    fill(el('breakout'), S.session.breakouts.map((b) => h('option', { value: b.id, text: b.title })));
    S.breakout = ids.includes(wanted) ? wanted : mine || ids[0] || '';
    el('breakout').value = S.breakout;
  } else {
    S.breakout = mine || '';
  }
  const b = S.session.breakouts.find((x) => x.id === S.breakout);
  el('breakout-title').textContent = b ? b.title : '';
}

async function main() {
  const ctx = await boot({ offline: true });
  if (!ctx) return;
  Object.assign(S, ctx);
  pickBreakout();
  if (!S.breakout) {
    tell('rap.no_breakout', {}, 'error');
    return;
  }
  showClosed(S.session.phase);
  if (!canWrite()) tellClosed();
  el('new-fragment').addEventListener('submit', fragments.create);
  el('editor').addEventListener('submit', save);
  el('editor').addEventListener('input', onEdit);
  el('refresh-preview').addEventListener('click', refreshPreview);
  el('take-merge').addEventListener('click', () => resolve('merge'));
  el('keep-mine').addEventListener('click', () => resolve('mine'));
  el('discard-mine').addEventListener('click', () => resolve('discard'));
  wireClosed();
  el('breakout').addEventListener('change', async () => {
    S.breakout = el('breakout').value;
    const url = new URL(location.href);
    url.searchParams.set('breakout', S.breakout);
    url.searchParams.delete('fragment');
    history.replaceState(null, '', url);
    S.frag = null;
    el('editor-card').hidden = true;
    el('savebar').hidden = true;
    el('history').hidden = true;
    pickBreakout();
    await attempt(null, fragments.load);
  });
  window.addEventListener('online', onOnline);
  window.addEventListener('langchange', () => {
    fragments.draw();
    versionsView.draw();
    if (S.frag) setSaveState(S.saveState);
    showClosed(S.session.phase);
  });
  await attempt(null, async () => {
    await fragments.load();
    const wanted = Number(new URLSearchParams(location.search).get('fragment'));
    const first = S.fragments.find((f) => f.id === wanted) || S.fragments[0];
    if (first) await openFragment(first.id);
  });
  if (canWrite()) S.stopLive = watchLive(S.sid, onLive);
}

main();
