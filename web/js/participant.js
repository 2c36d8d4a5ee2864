// The delegate's page (made for a phone): the current draft with its
// paragraph numbers, amendments (proposed with a diff preview before
// sending), and voting with large buttons, a receipt, and the right to
// change the vote until the poll closes.
import { get, newKey, post, sessionPath } from './api.js';
import { busy, fill, h, renderDiff, say, wordDiff } from './dom.js';
import { amendmentHunks, amendmentTitle, openPollId, paraLabel, renderDraft, statusClass } from './doc.js';
import { t } from './i18n.js';
import { watchLive } from './live.js';
import { boot, hasRole, newReissuesOf } from './page.js';

const S = {
  sid: '',
  session: null,
  me: null,
  live: null,
  draft: null,
  amendments: [],
  poll: null,
  target: null,  // the paragraph being amended
};
const el = (id) => document.getElementById(id);
const canVote = () => hasRole(S.me, 'participant');
const ballotKey = (pollId) => `rapporteur.ballot.${S.sid}.${pollId}`;

function myBallot(pollId) {
  try {
    return JSON.parse(localStorage.getItem(ballotKey(pollId)) || 'null');
  } catch {
    return null;
  }
}

// ---- draft and amendments -----------------------------------------------------
async function loadDraft() {
  try {
    S.draft = await get(sessionPath(S.sid, '/drafts/current'));
  } catch (e) {
    if (e.status !== 404) throw e;
    S.draft = null;
  }
  drawDraft();
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
  fill(el('draft'), renderDraft(S.draft, {
    headingLevel: 'h3',
    extra: (p) => (amending && canVote() && p.kind !== 'heading'
      ? h('button', { type: 'button', onclick: () => startAmendment(p), text: t('part.amend'),
        'aria-label': t('part.amend_label', { target: paraLabel(p) }) })
      : null),
  }));
}

async function loadAmendments() {
  if (!S.draft) {
    S.amendments = [];
  } else {
    try {
      S.amendments = await get(sessionPath(S.sid, '/amendments'));
    } catch (e) {
      if (e.status !== 404) throw e;
      S.amendments = [];
    }
  }
  drawAmendments();
}

function drawAmendments() {
  const list = el('amendments');
  const paras = S.draft ? S.draft.paragraphs : [];
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

function startAmendment(p) {
  S.target = p;
  el('amend-card').hidden = false;
  el('amend-target').textContent = t('part.amending', { target: paraLabel(p) });
  el('amend-text').value = p.markdown || '';
  el('amend-rationale').value = '';
  document.querySelector('input[name="kind"][value="replace"]').checked = true;
  updateAmendPreview();
  el('amend-card').scrollIntoView();
  el('amend-text').focus();
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
  const body = { draft: S.draft.n, target: S.target.pid, kind, rationale: el('amend-rationale').value };
  if (kind !== 'delete') body.text = el('amend-text').value;
  await busy(ev.submitter, el('status'), async () => {
    const a = await post(sessionPath(S.sid, '/amendments'), body, newKey());
    say(el('status'), t('part.amendment_sent', { id: a.id }), 'ok');
    S.target = null;
    el('amend-card').hidden = true;
    await loadAmendments();
  });
}

// ---- voting -------------------------------------------------------------------
async function loadPoll(id) {
  if (id === null) {
    // The poll closed: show its result once, then hide the buttons.
    if (S.poll && S.poll.state === 'open') S.poll = await get(sessionPath(S.sid, `/polls/${S.poll.id}`)).catch(() => null);
  } else {
    S.poll = await get(sessionPath(S.sid, `/polls/${id}`));
  }
  drawPoll();
}

function pollSubject(poll) {
  const s = poll.subject || {};
  if (s.amendment !== undefined) {
    const a = S.amendments.find((x) => x.id === s.amendment);
    return a ? h('div', {}, h('p', { text: amendmentTitle(a, S.draft ? S.draft.paragraphs : []) }), renderDiff(amendmentHunks(a)))
      : h('p', { text: t('poll.on_amendment', { id: s.amendment }) });
  }
  return h('p', { class: 'big', text: t('poll.on_adoption', { n: s.adoption }) });
}

function drawPoll() {
  const poll = S.poll;
  const box = el('vote');
  if (!poll) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  fill(el('poll-subject'), pollSubject(poll));
  el('poll-terms').textContent = t('poll.terms', {
    method: t(`poll.method_${poll.method}`),
    rule: t(`poll.rule_${poll.rule}`),
    secret: poll.secret ? t('poll.secret') : t('poll.named'),
  });
  const open = poll.state === 'open';
  const electronic = poll.method === 'electronic';
  const mine = myBallot(poll.id);
  el('vote-buttons').hidden = !(open && electronic && canVote());
  for (const b of el('vote-buttons').querySelectorAll('button')) {
    b.setAttribute('aria-pressed', String(!!mine && mine.choice === b.dataset.choice));
  }
  const state = el('ballot-state');
  if (!canVote()) say(state, t('vote.no_right'), 'info');
  else if (!electronic && open) {
    fill(state, h('p', { text: t(`vote.other_method_${poll.method}`) }),
      poll.method === 'consensus' ? h('button', { type: 'button', class: 'danger', text: t('vote.object'),
        onclick: (ev) => busy(ev.currentTarget, state, async () => {
          await post(sessionPath(S.sid, `/polls/${poll.id}/objection`), {}, newKey());
          say(state, t('vote.objected'), 'ok');
        }) }) : null);
    state.dataset.kind = 'info';
  }
  else if (mine && mine.receipt) {
    fill(state, h('span', {}, t('vote.counted', { choice: t(`vote.${mine.choice}`) }), ' ',
      h('span', { class: 'muted' }, t('vote.receipt')), ' ', h('span', { class: 'receipt', text: mine.receipt }),
      open ? h('span', { class: 'muted' }, ' ', t('vote.can_change')) : null,
      ' ', h('a', { href: `/app/receipt.html?session=${encodeURIComponent(S.sid)}`, text: t('vote.check_receipt') })));
    state.dataset.kind = 'ok';
  } else if (mine && mine.pending) say(state, t('vote.sending'), 'warn');
  else if (open) say(state, t('vote.not_yet'), 'info');
  else say(state, '', 'info');
  fill(el('poll-result'), poll.result ? resultView(poll.result) : null);
}

function resultView(r) {
  return h('p', { class: 'big' }, t(`poll.outcome_${r.outcome}`), ' ',
    h('span', { class: 'muted', text: t('poll.counts', { yes: r.yes, no: r.no, abstain: r.abstain }) }));
}

async function vote(choice) {
  const poll = S.poll;
  if (!poll || poll.state !== 'open') return;
  const before = myBallot(poll.id);
  const key = newKey();
  localStorage.setItem(ballotKey(poll.id), JSON.stringify({ ...(before || {}), choice, pending: true }));
  drawPoll();
  const body = { choice };
  // A secret ballot is changed with the code only this device received.
  if (before && before.change_code) body.change_code = before.change_code;
  // A lost answer is retried with the same key: the server counts it once.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await post(sessionPath(S.sid, `/polls/${poll.id}/ballots`), body, key);
      localStorage.setItem(ballotKey(poll.id), JSON.stringify({ choice: res.choice || choice, receipt: res.receipt,
        ...(res.change_code ? { change_code: res.change_code } : {}) }));
      drawPoll();
      return;
    } catch (e) {
      if (e.code !== 'network' && e.status < 500) {
        localStorage.setItem(ballotKey(poll.id), JSON.stringify(before || {}));
        say(el('ballot-state'), e.display, 'error');
        await loadPoll(openPollId(S.live));
        return;
      }
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
  }
  say(el('ballot-state'), t('vote.failed'), 'error');
}

// ---- live updates ------------------------------------------------------------
async function onLive(state) {
  const before = S.live;
  S.live = state;
  // A reissue while this page is open: this token has just stopped working.
  const reissued = before ? newReissuesOf(S.me, before, state) : [];
  if (reissued.length) say(el('status'), t('part.token_reissued', { at: reissued[reissued.length - 1].at.slice(11, 16) }), 'error');
  try {
    if (!before || before.current_draft !== state.current_draft || before.phase !== state.phase) await loadDraft();
    if (!before || before.seq !== state.seq) await loadAmendments();
    const pid = openPollId(state);
    if (!before || pid !== openPollId(before) || (pid !== null && before.seq !== state.seq)) await loadPoll(pid);
  } catch (e) {
    say(el('status'), e.display, 'error');
  }
}

async function main() {
  const ctx = await boot();
  if (!ctx) return;
  Object.assign(S, ctx);
  drawDraft();
  el('amend-form').addEventListener('submit', sendAmendment);
  el('amend-form').addEventListener('input', updateAmendPreview);
  el('amend-cancel').addEventListener('click', () => {
    S.target = null;
    el('amend-card').hidden = true;
  });
  for (const b of el('vote-buttons').querySelectorAll('button')) b.addEventListener('click', () => vote(b.dataset.choice));
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
