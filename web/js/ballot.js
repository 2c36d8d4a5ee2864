// The voting card of the participant's page: the poll's subject and terms,
// the Yes/No/Abstain buttons, what became of this device's ballot (counted
// with a receipt, pending, refused and why), the time left before the poll
// closes, and a "vote now" prompt the first time a poll is seen open.
import { get, newKey, post, sessionPath } from './api.js';
import { isRetrying, pressChoice, readBallot, sendPending, writeBallot } from './ballot_store.js';
import { busy, fill, h, renderDiff, say } from './dom.js';
import { amendmentHunks, amendmentTitle } from './doc.js';
import { fmtCountdown, t } from './i18n.js';

const el = (id) => document.getElementById(id);
let S = null;  // the page's state (sid, me, live, draft, amendments, poll)
let canVote = () => false;
let clockOffset = 0;  // server time minus this device's time, in ms
let ticker = null;

export function initBallot(state, canVoteFn) {
  S = state;
  canVote = canVoteFn;
  for (const b of el('vote-buttons').querySelectorAll('button')) b.addEventListener('click', () => vote(b.dataset.choice));
  el('change-code-form').addEventListener('submit', sendWithCode);
  // Back online: every unanswered ballot is sent again at once.
  window.addEventListener('online', () => resumePending());
}

// The live state's `now` (whole seconds, so the true time is up to 1 s later)
// against this device's clock: countdowns then follow the server's clock.
export function setServerNow(iso) {
  const at = Date.parse(iso || '');
  if (!Number.isNaN(at)) clockOffset = at + 500 - Date.now();
}

const serverNow = () => Date.now() + clockOffset;

// Why the server refused a ballot, for the message shown to the person.
async function classify(error, pending) {
  if (error.status === 403) return { why: 'no_right' };
  if (error.status !== 409) return { why: 'other' };
  let poll = S.poll;
  try {
    poll = await get(sessionPath(S.sid, `/polls/${pending.pollId || S.poll.id}`));
  } catch {
    // keep what the page knows
  }
  if (!poll || poll.state !== 'open' || (poll.closes_at && Date.parse(poll.closes_at) <= serverNow())) return { why: 'closed' };
  if (poll.secret && pending.change_code) return { why: 'bad_code' };
  // A secret ballot this device sent before without an answer may have been
  // counted then (the answer lost on the way back); else another device
  // holding the same join link voted first.
  if (poll.secret) return { why: pending.retried || pending.tried_before ? 'lost_answer' : 'other_device' };
  return { why: 'other' };
}

function send(pollId) {
  return sendPending(S.sid, pollId, {
    classify: (e, p) => classify(e, { ...p, pollId }),
    onChange: () => {
      if (S.poll && S.poll.id === pollId) drawPoll();
    },
  });
}

// Sends the ballot still pending for the poll on screen (after a reload, on
// reconnection, and when the poll closed while it was unanswered: the
// server's answer then tells whether it was counted).
export function resumePending() {
  if (!S || !S.poll || !canVote()) return;
  if (readBallot(S.sid, S.poll.id).pending) send(S.poll.id);
}

async function vote(choice) {
  const poll = S.poll;
  if (!poll || poll.state !== 'open' || timeIsUp(poll)) return;
  const before = readBallot(S.sid, poll.id).pending;
  const rec = pressChoice(S.sid, poll.id, choice);
  // Sent before without an answer: a refusal may mean that it was counted.
  if (before && before.tried) {
    rec.pending.tried_before = true;
    writeBallot(S.sid, poll.id, rec);
  }
  drawPoll();
  send(poll.id);
}

// A secret ballot replaced from another device with the change code shown
// on the device that cast it.
async function sendWithCode(ev) {
  ev.preventDefault();
  const poll = S.poll;
  const code = el('change-code').value.trim();
  const rec = readBallot(S.sid, poll ? poll.id : 0);
  if (!poll || !code || !rec.refused) return;
  pressChoice(S.sid, poll.id, rec.refused.choice, code);
  el('change-code').value = '';
  drawPoll();
  send(poll.id);
}

function pollSubject(poll) {
  const s = poll.subject || {};
  if (s.amendment !== undefined) {
    const a = S.amendments.find((x) => x.id === s.amendment);
    return a ? h('div', {}, h('p', { text: amendmentTitle(a, S.paragraphs()) }), renderDiff(amendmentHunks(a)))
      : h('p', { text: t('poll.on_amendment', { id: s.amendment }) });
  }
  return h('p', { class: 'big', text: t('poll.on_adoption', { n: s.adoption }) });
}

function timeIsUp(poll) {
  return poll.state === 'open' && !!poll.closes_at && Date.parse(poll.closes_at) <= serverNow();
}

// The remaining time of an open poll with a closing time, every second.
function drawCountdown() {
  const poll = S.poll;
  const box = el('poll-countdown');
  const open = poll && poll.state === 'open';
  if (!open || !poll.closes_at) {
    box.hidden = true;
    clearInterval(ticker);
    ticker = null;
    return;
  }
  const left = Date.parse(poll.closes_at) - serverNow();
  box.hidden = false;
  if (left <= 0) {
    fill(box, t('vote.time_up'));
    box.dataset.kind = 'warn';
    if (!el('vote-buttons').hidden) drawPoll();
    return;
  }
  fill(box, t('vote.closes_in'), ' ', h('span', { class: 'countdown', text: fmtCountdown(left) }));
  box.dataset.kind = left < 30000 ? 'warn' : 'info';
  if (!ticker) ticker = setInterval(drawCountdown, 1000);
}

function refusalText(r) {
  const choice = t(`vote.${r.choice}`);
  if (['closed', 'other_device', 'lost_answer', 'bad_code', 'no_right'].includes(r.why)) return t(`vote.refused_${r.why}`, { choice });
  return t('vote.refused_other', { choice, message: r.message || '' });
}

export function drawPoll() {
  const poll = S.poll;
  const box = el('vote');
  if (!poll) {
    box.hidden = true;
    drawCountdown();
    return;
  }
  box.hidden = false;
  fill(el('poll-subject'), pollSubject(poll));
  el('poll-terms').textContent = t('poll.terms', {
    method: t(`poll.method_${poll.method}`),
    rule: t(`poll.rule_${poll.rule}`),
    secret: poll.secret ? t('poll.secret') : t('poll.named'),
  });
  const open = poll.state === 'open' && !timeIsUp(poll);
  const electronic = poll.method === 'electronic';
  const rec = readBallot(S.sid, poll.id);
  const { counted, pending, refused } = rec;
  el('vote-buttons').hidden = !(open && electronic && canVote());
  for (const b of el('vote-buttons').querySelectorAll('button')) {
    // Pressed only with a receipt; a choice on its way is marked apart.
    b.setAttribute('aria-pressed', String(!!counted && counted.choice === b.dataset.choice));
    if (pending && pending.choice === b.dataset.choice) b.dataset.state = 'pending';
    else delete b.dataset.state;
  }
  if (counted || pending || refused || !open) hidePrompt();
  const state = el('ballot-state');
  const lines = [];
  let kind = 'info';
  if (!canVote()) {
    lines.push(t('vote.no_right'));
  } else if (!electronic && poll.state === 'open') {
    lines.push(h('p', { text: t(`vote.other_method_${poll.method}`) }));
    if (poll.method === 'consensus') {
      lines.push(h('button', { type: 'button', class: 'danger', text: t('vote.object'),
        onclick: (ev) => busy(ev.currentTarget, state, async () => {
          await post(sessionPath(S.sid, `/polls/${poll.id}/objection`), {}, newKey());
          say(state, t('vote.objected'), 'ok');
        }) }));
    }
  } else {
    if (counted) {
      kind = 'ok';
      lines.push(h('p', {}, t('vote.counted', { choice: t(`vote.${counted.choice}`) }), ' ',
        h('span', { class: 'muted' }, t('vote.receipt')), ' ', h('span', { class: 'receipt', text: counted.receipt }),
        open ? h('span', { class: 'muted' }, ' ', t('vote.can_change')) : null,
        ' ', h('a', { href: `/app/receipt.html?session=${encodeURIComponent(S.sid)}`, text: t('vote.check_receipt') })));
      if (open && counted.change_code) {
        lines.push(h('p', { class: 'muted' }, t('vote.change_code'), ' ', h('span', { class: 'receipt change-code', text: counted.change_code })));
      }
    }
    if (pending) {
      kind = 'warn';
      const choice = t(`vote.${pending.choice}`);
      const key = counted ? 'vote.changing' : 'vote.pending';
      lines.push(h('p', { class: 'pending-line' }, t(key, { choice }), ' ',
        isRetrying(poll.id) ? t('vote.waiting') : t('vote.sending')));
    } else if (refused) {
      kind = 'error';
      lines.push(h('p', { class: 'refused', text: refusalText(refused) }));
    } else if (!counted && open) {
      lines.push(t('vote.not_yet'));
    }
  }
  // Redrawn on every live change: touched only when its words change, so
  // that screen readers hear it once (it is an assertive live region).
  const next = h('div', {}, ...lines);
  if (next.textContent !== state.textContent || state.dataset.kind !== kind) {
    fill(state, ...next.childNodes);
    state.dataset.kind = kind;
  }
  // The change-code form: after a secret ballot was refused because the
  // person had already voted from another device.
  const codeForm = el('change-code-form');
  const offerCode = open && !pending && refused && ['other_device', 'lost_answer', 'bad_code'].includes(refused.why);
  codeForm.hidden = !offerCode;
  if (offerCode) el('change-code-submit').textContent = t('vote.code_send', { choice: t(`vote.${refused.choice}`) });
  fill(el('poll-result'), poll.result ? resultView(poll.result) : (poll.state === 'closed' ? h('p', { text: t('vote.closed') }) : null));
  drawCountdown();
}

function resultView(r) {
  return h('p', { class: 'big' }, t(`poll.outcome_${r.outcome}`), ' ',
    h('span', { class: 'muted', text: t('poll.counts', { yes: r.yes, no: r.no, abstain: r.abstain }) }));
}

// ---- "vote now" ---------------------------------------------------------------
const promptKey = (pollId) => `rapporteur.prompted.${S.sid}.${pollId}`;

function hidePrompt() {
  el('vote-prompt').hidden = true;
}

// The first time this device sees a poll open that it may vote in (and has
// not voted in): the card is brought into view, a prompt shows above the
// buttons and screen readers hear it once.
export function promptOnce() {
  const poll = S.poll;
  if (!poll || poll.state !== 'open' || !canVote() || poll.method === 'show_of_hands') return;
  if (readBallot(S.sid, poll.id).counted) return;
  try {
    if (localStorage.getItem(promptKey(poll.id))) return;
    localStorage.setItem(promptKey(poll.id), '1');
  } catch {
    // without storage the prompt may come again after a reload
  }
  const text = t(poll.method === 'consensus' ? 'vote.prompt_consensus' : 'vote.prompt');
  el('vote-prompt').textContent = text;
  el('vote-prompt').hidden = false;
  el('announce').textContent = text;
  el('vote').scrollIntoView({ block: 'start' });
}
