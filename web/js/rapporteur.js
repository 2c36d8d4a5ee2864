// The rapporteur's page: write the breakout's fragments in Markdown, preview
// them as the server renders them, save versions with a note, browse and
// compare versions, and resolve a save that raced another one.
//
// Unsent text is never lost: every keystroke keeps the editor's content in
// localStorage ("unsent"), and a save that got no answer is retried with the
// same Idempotency-Key (after a reload too), so the server keeps exactly one
// version whatever the Wi-Fi does.
import { get, newKey, post, put, sessionPath } from './api.js';
import { busy, fill, h, renderDiff, say, setServerHtml } from './dom.js';
import { fmtDateTime, t } from './i18n.js';
import { boot, hasRole, personName } from './page.js';

const RETRY_MS = 4000;
const S = {
  sid: '',
  session: null,
  me: null,
  breakout: '',
  fragments: [],
  frag: null,  // the latest saved version: {id, version, title, body}
  versions: [],
  conflict: null,  // {mine, current, merge}
  sending: false,
  retryTimer: null,
  previewTimer: null,
  saveState: 'saved',
};

const el = (id) => document.getElementById(id);
const status = () => el('status');
const fragPath = (fid, rest = '') => sessionPath(S.sid, `/fragments/${encodeURIComponent(fid)}${rest}`);
const canWrite = () => S.session.phase === 'drafting';

// ---- unsent text in localStorage ------------------------------------------
// {base, title, body, note, key}: key is set once a save was sent and stays
// the same for every retry of that same content.
const storeKey = (fid) => `rapporteur.unsent.${S.sid}.${fid}`;
function loadUnsent(fid = S.frag && S.frag.id) {
  try {
    return JSON.parse(localStorage.getItem(storeKey(fid)) || 'null');
  } catch {
    return null;
  }
}
function keepUnsent(u) {
  try {
    localStorage.setItem(storeKey(S.frag.id), JSON.stringify(u));
  } catch {
    say(status(), t('rap.storage_full'), 'warn');
  }
}
function dropUnsent() {
  localStorage.removeItem(storeKey(S.frag.id));
}

function setSaveState(state) {
  S.saveState = state;
  const box = el('save-state');
  box.dataset.state = state;
  const v = S.frag ? S.frag.version : 0;
  box.textContent = t(`rap.state_${state}`, { v });
  drawFragments();
}

// ---- fragments list --------------------------------------------------------
async function loadFragments() {
  S.fragments = await get(sessionPath(S.sid, `/breakouts/${encodeURIComponent(S.breakout)}/fragments`));
  drawFragments();
}

function drawFragments() {
  const list = el('fragments');
  if (!S.fragments.length) {
    fill(list, h('li', { class: 'muted', text: t('rap.no_fragments') }));
    return;
  }
  fill(list, S.fragments.map((f) => {
    const open = S.frag && S.frag.id === f.id;
    const unsent = loadUnsent(f.id);
    return h('li', {},
      h('button', { type: 'button', class: open ? 'primary' : '', 'aria-current': open ? 'true' : null,
        onclick: () => openFragment(f.id) }, f.title),
      ' ',
      h('span', { class: 'muted' }, t('rap.version_n', { v: f.version }), ' · ', fmtDateTime(f.updated_at), ' · ',
        personName(f.author)),
      unsent ? h('span', { class: 'badge warn', text: t('rap.badge_unsent') }) : null);
  }));
}

async function createFragment(ev) {
  ev.preventDefault();
  const title = el('new-title').value.trim();
  if (!title) return;
  await busy(ev.submitter, status(), async () => {
    const f = await post(sessionPath(S.sid, `/breakouts/${encodeURIComponent(S.breakout)}/fragments`),
      { title, body: t('rap.template') }, newKey());
    el('new-title').value = '';
    await loadFragments();
    await openFragment(f.id);
    say(status(), t('rap.created', { title }), 'ok');
  });
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

async function openFragment(fid) {
  clearTimeout(S.retryTimer);
  hideConflict();
  const f = await get(fragPath(fid));
  S.frag = { id: f.id, version: f.version, title: f.title, body: f.body };
  const url = new URL(location.href);
  url.searchParams.set('fragment', String(f.id));
  history.replaceState(null, '', url);
  el('editor-card').hidden = false;
  el('history').hidden = false;
  const u = loadUnsent();
  if (u && u.body === f.body && u.title === f.title) dropUnsent();
  const unsent = loadUnsent();
  if (unsent) {
    fillEditor(unsent);
    setSaveState('unsaved');
    say(status(), t('rap.restored'), 'warn');
    refreshPreview();
    if (unsent.key) send(unsent);  // a save that got no answer: same key again
  } else {
    fillEditor({ title: f.title, body: f.body });
    setSaveState('saved');
    setServerHtml(el('preview'), f.html || '');
  }
  await loadVersions();
}

function onEdit() {
  if (!S.frag) return;
  const cur = editorContent();
  if (cur.title === S.frag.title && cur.body === S.frag.body) {
    dropUnsent();
    setSaveState('saved');
  } else {
    // New content: a new save needs a new key.
    keepUnsent({ base: S.frag.version, ...cur, key: null });
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

function save(ev) {
  if (ev) ev.preventDefault();
  if (!S.frag || S.sending) return;
  if (S.conflict) {
    el('conflict').scrollIntoView();
    el('take-merge').focus();
    return;
  }
  const u = loadUnsent();
  if (!u) {
    setSaveState('saved');
    return;
  }
  if (!u.key) {
    u.key = newKey();
    keepUnsent(u);
  }
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
    S.frag = { id: fid, version: res.version, title: res.title ?? u.title, body: res.body ?? u.body };
    const now = loadUnsent();
    if (now && now.key === u.key) {
      dropUnsent();
      el('note').value = '';
      setSaveState('saved');
      say(status(), t('rap.saved', { v: res.version }), 'ok');
    } else if (now) {
      // Typed on while the save travelled: what is new stays unsent.
      keepUnsent({ ...now, base: res.version, key: null });
      setSaveState('unsaved');
    }
    await Promise.all([loadFragments(), loadVersions()]);
  } catch (e) {
    if (e.code === 'network' || e.status >= 500) {
      setSaveState('retrying');
      S.retryTimer = setTimeout(retry, RETRY_MS);
    } else if (e.code === 'version_conflict') {
      await showConflict(e.body || {}, u);
    } else {
      keepUnsent({ ...u, key: null });
      setSaveState('unsaved');
      say(status(), e.display, 'error');
    }
  } finally {
    S.sending = false;
  }
}

// Sends the latest unsent text again (same key when it has not changed).
function retry() {
  if (!S.frag || S.conflict) return;
  const u = loadUnsent();
  if (!u) return;
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
  S.conflict = { mine: { ...mine, key: null }, current, merge };
  keepUnsent(S.conflict.mine);
  el('conflict').hidden = false;
  el('conflict-intro').textContent = t('rap.conflict_intro', { base: mine.base, latest: current.version });
  fill(el('conflict-diff'), renderDiff(src.diff));
  el('merge-note').textContent = t(merge.clean ? 'rap.merge_clean' : 'rap.merge_unclean');
  el('merge-body').value = merge.body ?? '';
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
  S.frag = { id: S.frag.id, version: current.version, title: current.title ?? S.frag.title, body: current.body };
  hideConflict();
  if (choice === 'discard') {
    dropUnsent();
    fillEditor({ title: S.frag.title, body: S.frag.body });
    setSaveState('saved');
    say(status(), t('rap.discarded', { v: current.version }), 'ok');
    refreshPreview();
  } else {
    const body = choice === 'merge' ? merge.body : mine.body;
    fillEditor({ title: mine.title, body, note: mine.note });
    keepUnsent({ base: current.version, title: mine.title, body, note: mine.note, key: null });
    refreshPreview();
    if (choice === 'merge' && !merge.clean) {
      setSaveState('unsaved');
      say(status(), t('rap.merge_review'), 'warn');
      el('body').focus();
    } else {
      save();
    }
  }
  loadVersions();
}

// ---- history ---------------------------------------------------------------
async function loadVersions() {
  if (!S.frag) return;
  S.versions = await get(fragPath(S.frag.id, '/versions'));
  drawVersions();
}

function drawVersions() {
  const rows = [...S.versions].sort((a, b) => b.version - a.version);
  fill(el('versions'), rows.map((v) => h('tr', {},
    h('td', { text: v.version }),
    h('td', { text: fmtDateTime(v.created_at) }),
    h('td', { text: personName(v.author) }),
    h('td', { text: v.note || '' }),
    h('td', {}, h('button', { type: 'button', onclick: () => viewVersion(v.version),
      'aria-label': t('rap.view_n', { v: v.version }), text: t('rap.view') })))));
  for (const [id, pick] of [['diff-from', 1], ['diff-to', 0]]) {
    const select = el(id);
    const keep = select.value;
    fill(select, rows.map((v) => h('option', { value: String(v.version), text: t('rap.version_n', { v: v.version }) })));
    select.value = keep && rows.some((v) => String(v.version) === keep) ? keep : String((rows[Math.min(pick, rows.length - 1)] || {}).version ?? '');
  }
}

async function viewVersion(n) {
  await busy(null, status(), async () => {
    const v = await get(fragPath(S.frag.id, `/versions/${n}`));
    const body = h('div', { class: 'preview' });
    if (v.html !== undefined) setServerHtml(body, v.html);
    else body.append(h('pre', { text: v.body }));
    fill(el('version-view'), h('h3', { text: t('rap.version_n', { v: n }) }), body);
  });
}

async function compare(ev) {
  ev.preventDefault();
  const from = el('diff-from').value;
  const to = el('diff-to').value;
  await busy(ev.submitter, status(), async () => {
    const d = await get(fragPath(S.frag.id, `/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`));
    fill(el('version-view'), h('h3', { text: t('rap.diff_title', { from, to }) }), renderDiff(d.hunks || d));
  });
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
  const ctx = await boot();
  if (!ctx) return;
  Object.assign(S, ctx);
  pickBreakout();
  if (!S.breakout) {
    say(status(), t('rap.no_breakout'), 'error');
    return;
  }
  if (!canWrite()) {
    say(status(), t('rap.read_only', { phase: t(`phase.${S.session.phase}`) }), 'warn');
    el('new-fragment').hidden = true;
    el('save').disabled = true;
  }
  el('new-fragment').addEventListener('submit', createFragment);
  el('editor').addEventListener('submit', save);
  el('editor').addEventListener('input', onEdit);
  el('refresh-preview').addEventListener('click', refreshPreview);
  el('compare').addEventListener('submit', compare);
  el('take-merge').addEventListener('click', () => resolve('merge'));
  el('keep-mine').addEventListener('click', () => resolve('mine'));
  el('discard-mine').addEventListener('click', () => resolve('discard'));
  el('breakout').addEventListener('change', async () => {
    S.breakout = el('breakout').value;
    const url = new URL(location.href);
    url.searchParams.set('breakout', S.breakout);
    url.searchParams.delete('fragment');
    history.replaceState(null, '', url);
    S.frag = null;
    el('editor-card').hidden = true;
    el('history').hidden = true;
    pickBreakout();
    await busy(null, status(), loadFragments);
  });
  window.addEventListener('online', retry);
  window.addEventListener('langchange', () => {
    drawFragments();
    drawVersions();
    if (S.frag) setSaveState(S.saveState);
  });
  await busy(null, status(), async () => {
    await loadFragments();
    const wanted = Number(new URLSearchParams(location.search).get('fragment'));
    const first = S.fragments.find((f) => f.id === wanted) || S.fragments[0];
    if (first) await openFragment(first.id);
  });
}

main();
