// The delegate's page (made for a phone): the current draft with its
// paragraph numbers and sources, amendments (proposed with a diff preview
// before sending), and voting (ballot.js) with large buttons, a receipt, and
// the right to change the vote until the poll closes.
import { get, newKey, post, sessionPath } from './api.js';
import { drawPoll, initBallot, promptOnce, resumePending, setServerNow } from './ballot.js';
import { dropAmendment, keepAmendment, readAmendment } from './amendment_store.js';
import { readBallot } from './ballot_store.js';
import { busy, fill, h, renderDiff, say, wordDiff } from './dom.js';
import { amendmentHunks, amendmentTitle, openPollId, paraLabel, renderDraft, statusClass } from './doc.js';
import { confirmStep } from './confirm.js';
import { t } from './i18n.js';
import { watchLive } from './live.js';
import { boot, hasRole, newReissuesOf } from './page.js';
import { isAmendable, numberParagraphs, sourceLine } from './participant_paras.js';

const S = {
  sid: '',
  session: null,
  me: null,
  live: null,
  handled: null,  // the last live state handled in full (see onLive)
  draft: null,
  amendments: [],
  poll: null,
  target: null,  // the paragraph being amended
  // The current draft's paragraphs, numbered as this page shows them.
  paragraphs: () => numberParagraphs(S.draft ? S.draft.paragraphs : []),
};
const el = (id) => document.getElementById(id);
const canVote = () => hasRole(S.me, 'participant');

// ---- draft and amendments -----------------------------------------------------
async function loadDraft() {
  try {
    S.draft = await get(sessionPath(S.sid, '/drafts/current'));
  } catch (e) {
    if (e.status !== 404) throw e;
    S.draft = null;
  }
  drawDraft();
  if (!S.restored) restoreAmendment();
  followTarget();
}

function drawDraft() {
  el('session-title').textContent = S.session.title;
  el('phase').textContent = t(`phase.${S.live ? S.live.phase : S.session.phase}`);
  if (!S.draft) {
    el('draft-meta').textContent = t('draft.none');
    fill(el('draft'));
    return;
  }
  el('draft-meta').textContent = S.draft.final ? t('draft.final_meta', { sha: S.draft.sha256.slice(0, 12) }) : t('draft.meta', { n: S.draft.n });
  const amending = (S.live ? S.live.phase : S.session.phase) === 'amending';
  fill(el('draft'), renderDraft({ ...S.draft, paragraphs: S.paragraphs() }, {
    headingLevel: 'h3',
    extra: (p) => (isAmendable(p) ? [
      sourceLine(p, S.session),
      amending && canVote()
        ? h('button', { type: 'button', onclick: () => startAmendment(p), text: t('part.amend'),
          'aria-label': t('part.amend_label', { target: p.spoken }) })
        : null,
    ] : null),
  }));
}

async function loadAmendments() {
  try {
    S.amendments = await get(sessionPath(S.sid, '/amendments'));
  } catch (e) {
    if (e.status !== 404) throw e;
    S.amendments = [];
  }
  drawAmendments();
}

function drawAmendments() {
  const list = el('amendments');
  const paras = S.paragraphs();
  if (!S.amendments.length) {
    fill(list, h('li', { class: 'muted', text: t('part.no_amendments') }));
    return;
  }
  const me = S.me && S.me.person ? S.me.person.id : null;
  fill(list, S.amendments.map((a) => {
    const mine = a.proposer === me || (a.proposer && a.proposer.id === me);
    const canWithdraw = mine && ['proposed', 'admitted'].includes(a.status);
    return h('li', {},
      h('p', {}, h('strong', { text: amendmentTitle(a, paras) }), ' ',
        h('span', { class: `badge ${statusClass(a.status)}`, text: t(`amend.status_${a.status}`) }),
        mine ? h('span', { class: 'muted', text: ` ${t('part.yours')}` }) : null),
      renderDiff(amendmentHunks(a)),
      a.rationale ? h('p', { class: 'muted' }, t('amend.rationale'), ' ', a.rationale) : null,
      canWithdraw ? h('button', { type: 'button', class: 'danger', text: t('part.withdraw'),
        onclick: (ev) => busy(ev.currentTarget, el('status'), async () => {
          await post(sessionPath(S.sid, `/amendments/${a.id}/withdraw`), {}, newKey());
          await loadAmendments();
        }) }) : null);
  }));
}

// Whether the open amendment card holds words the person wrote.
function amendmentEdited() {
  if (!S.target) return false;
  return el('amend-text').value !== (S.target.markdown || '') || el('amend-rationale').value !== ''
    || amendKind() !== 'replace';
}

async function startAmendment(p) {
  if (S.target && S.target.pid === p.pid) {
    // The amendment to this paragraph is already being written: back to it.
    el('amend-card').scrollIntoView();
    el('amend-text').focus();
    return;
  }
  if (amendmentEdited()) {
    const ok = await confirmStep({ title: t('part.replace_amend_title'),
      body: t('part.replace_amend_body', { target: paraLabel(S.target), other: paraLabel(p) }),
      confirm: t('part.replace_amend_ok', { other: paraLabel(p) }), back: t('part.replace_amend_back') });
    if (!ok) return;
    // A new draft may have come while the question was asked: the paragraph as it reads now.
    p = S.paragraphs().find((x) => x.pid === p.pid);
    if (!p) return;
  }
  // The draft the person reads as they write: sent with the amendment, so
  // that the server refuses it if the paragraph has changed since.
  openAmendment({ draft: S.draft.n, target: p, kind: 'replace', text: p.markdown || '', rationale: '' });
  el('amend-text').focus();
}

function openAmendment({ draft, target, kind, text, rationale }) {
  S.target = target;
  S.targetDraft = draft;
  S.targetGone = false;
  el('amend-changed').hidden = true;
  el('amend-send').disabled = false;
  el('amend-card').hidden = false;
  el('amend-target').textContent = t('part.amending', { target: paraLabel(target) });
  el('amend-text').value = text;
  el('amend-rationale').value = rationale;
  const radio = document.querySelector(`input[name="kind"][value="${kind}"]`);
  (radio || document.querySelector('input[name="kind"][value="replace"]')).checked = true;
  updateAmendPreview();
  keepOpenAmendment();
  el('amend-card').scrollIntoView();
}

function keepOpenAmendment() {
  if (!S.target) return;
  keepAmendment(S.sid, { draft: S.targetDraft, target: S.target, kind: amendKind(),
    text: el('amend-text').value, rationale: el('amend-rationale').value });
}

function closeAmendment() {
  S.target = null;
  el('amend-card').hidden = true;
  dropAmendment(S.sid);
}

// An amendment this tab was writing before a reload, reopened as it was
// (once the draft is known; a new draft since is then said as any other).
function restoreAmendment() {
  S.restored = true;
  const kept = readAmendment(S.sid);
  if (!kept) return;
  const amending = (S.live ? S.live.phase : S.session.phase) === 'amending';
  if (!amending || !canVote() || !S.draft) {
    dropAmendment(S.sid);
    return;
  }
  openAmendment(kept);
}

// A new draft while an amendment is being written (another amendment
// adopted, a new merge): the person's words stay; if the paragraph they
// amend has changed or gone, they are told, and the preview compares their
// text with the paragraph as it now reads, so that sending it is a choice
// made against the new text, never a silent undoing of it.
function followTarget() {
  if (!S.target || !S.draft || S.targetDraft === S.draft.n) return;
  const now = S.paragraphs().find((p) => p.pid === S.target.pid);
  const note = el('amend-changed');
  if (!now) {
    // Gone: nothing to send it against. The draft it was written on is kept,
    // so that a reload finds it gone again.
    S.targetGone = true;
    note.hidden = false;
    note.textContent = t('part.amend_target_gone', { target: paraLabel(S.target), n: S.draft.n });
    el('amend-send').disabled = true;
    return;
  }
  const changed = (now.markdown || '') !== (S.target.markdown || '');
  S.targetDraft = S.draft.n;
  S.target = now;
  // Its number may have moved (a paragraph inserted before it).
  el('amend-target').textContent = t('part.amending', { target: paraLabel(now) });
  if (!changed) {
    keepOpenAmendment();
    return;
  }
  note.hidden = false;
  note.textContent = t('part.amend_target_changed', { target: paraLabel(now), n: S.draft.n });
  updateAmendPreview();
  keepOpenAmendment();
}

function amendKind() {
  return document.querySelector('input[name="kind"]:checked').value;
}

function updateAmendPreview() {
  if (!S.target) return;
  const kind = amendKind();
  el('text-field').hidden = kind === 'delete';
  const original = S.target.markdown || '';
  const text = el('amend-text').value;
  const hunks = kind === 'delete' ? [{ op: 'delete', text: original }]
    : kind === 'insert_after' ? [{ op: 'equal', text: `${original}\n\n` }, { op: 'insert', text }]
      : wordDiff(original, text);
  fill(el('amend-diff'), renderDiff(hunks));
}

async function sendAmendment(ev) {
  ev.preventDefault();
  const kind = amendKind();
  const body = { draft: S.targetDraft, target: S.target.pid, kind, rationale: el('amend-rationale').value };
  if (kind !== 'delete') body.text = el('amend-text').value;
  await busy(ev.submitter, el('status'), async () => {
    let a;
    try {
      a = await post(sessionPath(S.sid, '/amendments'), body, newKey());
    } catch (e) {
      // The paragraph changed before this page heard of the new draft: the
      // draft is fetched, and the person told, as if it had come first.
      if (e.status !== 409) throw e;
      const sentAgainst = S.targetDraft;
      await loadDraft();
      if (S.targetGone || S.targetDraft !== sentAgainst) return;
      throw e;
    }
    say(el('status'), t('part.amendment_sent', { id: a.id }), 'ok');
    closeAmendment();
    await loadAmendments();
  });
  // busy() enables the button again; a paragraph found gone meanwhile keeps it off.
  el('amend-send').disabled = !!S.targetGone;
}

// ---- voting (ballot.js) -----------------------------------------------------
async function loadPoll(id) {
  if (id === null) {
    // The poll closed: show its result once, then hide the buttons.
    if (S.poll && S.poll.state === 'open') S.poll = await get(sessionPath(S.sid, `/polls/${S.poll.id}`)).catch(() => null);
  } else {
    S.poll = await get(sessionPath(S.sid, `/polls/${id}`));
  }
  drawPoll();
  // A ballot left unanswered (a lost connection, a reload) is sent again,
  // with its first key, until the server answers.
  resumePending();
}

// ---- live updates ------------------------------------------------------------
// Handles one live state (watchLive hands them over one at a time). `before`
// is the last state handled in full: after a failed load it stays, so the
// same state, handed over again, loads what failed.
async function onLive(state) {
  const before = S.handled;
  S.live = state;
  setServerNow(state.now);
  // A reissue while this page is open: this token has just stopped working.
  const reissued = before ? newReissuesOf(S.me, before, state) : [];
  if (reissued.length) say(el('status'), t('part.token_reissued', { at: reissued[reissued.length - 1].at.slice(11, 16) }), 'error');
  try {
    // The draft, the amendments and the poll are fetched together (one round
    // trip, not three in a row); each is drawn as it comes, and the parts that
    // name another's content (a poll's amendment, an amendment's paragraph)
    // are drawn again once all are in.
    const loads = [];
    if (!before || before.current_draft !== state.current_draft || before.phase !== state.phase) loads.push(loadDraft());
    if (!before || before.seq !== state.seq) loads.push(loadAmendments());
    const pid = openPollId(state);
    if (!before || pid !== openPollId(before) || (pid !== null && before.seq !== state.seq)) loads.push(loadPoll(pid));
    await Promise.all(loads);
    if (loads.length > 1) {
      drawAmendments();
      drawPoll();
    }
    if (pid !== null) promptOnce();
    // Reloaded after a poll closed with this device's ballot unanswered: ask
    // the server once more, its answer says whether the ballot was counted.
    const last = state.last_poll;
    if (!before && pid === null && last && readBallot(S.sid, last.id).pending) await loadPoll(last.id);
    S.handled = state;
    return true;
  } catch (e) {
    say(el('status'), e.display, 'error');
    return false;
  }
}

async function main() {
  const ctx = await boot();
  if (!ctx) return;
  Object.assign(S, ctx);
  drawDraft();
  el('amend-form').addEventListener('submit', sendAmendment);
  el('amend-form').addEventListener('input', () => {
    updateAmendPreview();
    keepOpenAmendment();
  });
  el('amend-cancel').addEventListener('click', closeAmendment);
  initBallot(S, canVote);
  window.addEventListener('langchange', () => {
    drawDraft();
    drawAmendments();
    drawPoll();
    if (S.target) updateAmendPreview();
  });
  watchLive(S.sid, onLive, {
    onConnection: (ok) => {
      el('connection').textContent = ok ? '' : t('common.offline');
    },
  });
}

main();
