// The public receipt check: a voter (or anyone they show it to) pastes a
// ballot's receipt and learns whether it was counted in a closed poll. The
// server answers only for closed polls and never with a secret ballot's
// choice or a voter's name (rapporteur/receipts.h); this page shows what it
// answers. The receipt is sent in the path of a GET made by fetch, never
// put in the page's address, so it stays out of the browser's history.
import { get, sessionPath } from './api.js';
import { fill, h } from './dom.js';
import { fmtTime, t } from './i18n.js';
import { boot } from './page.js';

const S = { sid: '', session: null, answer: null };
const el = (id) => document.getElementById(id);

function subjectText(subject) {
  if (subject && subject.adoption !== undefined) return t('poll.on_adoption', { n: subject.adoption });
  if (subject && subject.amendment !== undefined) return t('poll.on_amendment', { id: subject.amendment });
  return '';
}

function draw() {
  const box = el('receipt-answer');
  const a = S.answer;
  if (!a) {
    fill(box);
    return;
  }
  if (a.kind === 'counted') {
    const { poll } = a.data;
    const r = poll.result || {};
    fill(box, h('div', { class: 'card receipt-ok' },
      h('h2', { text: t('receipt.counted') }),
      h('p', { text: t('receipt.counted_in', { id: poll.id, subject: subjectText(poll.subject), time: fmtTime(poll.closed_at) }) }),
      h('p', { text: a.data.choice ? t('receipt.counted_as', { choice: t(`vote.${a.data.choice}`) }) : t('receipt.secret') }),
      h('p', { class: 'muted', text: t('receipt.result', { outcome: t(`poll.outcome_${r.outcome}`), yes: r.yes, no: r.no, abstain: r.abstain }) })));
  } else if (a.kind === 'not_found') {
    fill(box, h('div', { class: 'card error' }, h('p', { text: t('receipt.not_found') }), h('p', { text: t('receipt.not_found_help') })));
  } else {
    fill(box, h('div', { class: 'card error' }, h('p', { text: a.message })));
  }
}

async function check(ev) {
  ev.preventDefault();
  // Copying from a phone often brings spaces or the "Receipt:" label along.
  const receipt = el('receipt-input').value.replace(/^\s*(receipt|reçu)\s*:?/i, '').trim();
  const input = el('receipt-input');
  // A "/" would change the path asked for; no receipt holds one.
  if (!receipt || receipt.includes('/')) {
    S.answer = { kind: 'error', message: t(receipt ? 'receipt.malformed' : 'receipt.empty') };
    input.setAttribute('aria-invalid', 'true');
    draw();
    return;
  }
  const button = ev.submitter || el('receipt-form').querySelector('button');
  button.disabled = true;
  fill(el('receipt-answer'), h('p', { class: 'muted', text: t('receipt.checking') }));
  try {
    const data = await get(sessionPath(S.sid, `/receipts/${encodeURIComponent(receipt)}`));
    S.answer = { kind: 'counted', data };
    input.removeAttribute('aria-invalid');
  } catch (e) {
    if (e.status === 404 && e.code === 'not_found') S.answer = { kind: 'not_found' };
    else if (e.status === 422) S.answer = { kind: 'error', message: t('receipt.malformed') };
    else S.answer = { kind: 'error', message: e.display };
    if (e.status === 422) input.setAttribute('aria-invalid', 'true');
  } finally {
    button.disabled = false;
  }
  draw();
}

async function main() {
  const ctx = await boot({ needMe: false });
  if (!ctx) return;
  Object.assign(S, ctx);
  el('session-title').textContent = S.session.title;
  el('receipt-form').addEventListener('submit', check);
  window.addEventListener('langchange', draw);
}

main();
