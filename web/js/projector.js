// The projector: full screen, large type. Shows the draft, or the amendment
// under vote as a diff with the live tally ("voting in progress" for secret
// polls), the countdown to the end of the adoption slot, and the adopted
// text's SHA-256. Public: works without a join link (details that need one
// are left out); holds the event stream, falls back to polling /live.
import { get, sessionPath } from './api.js';
import { fill, h, renderDiff, say } from './dom.js';
import { amendmentHunks, amendmentTitle, openPollId, renderDraft } from './doc.js';
import { fmtCountdown, fmtTime, t } from './i18n.js';
import { countdown, watchLive } from './live.js';
import { boot } from './page.js';

const TALLY_MS = 2000;
const S = { sid: '', session: null, live: null, draft: null, poll: null, amendment: null, pollTimer: null, clock: null };
const el = (id) => document.getElementById(id);

async function loadDraft() {
  try {
    S.draft = await get(sessionPath(S.sid, S.live && S.live.phase === 'adopted' ? '/drafts/final' : '/drafts/current'));
  } catch (e) {
    if (e.status !== 404) throw e;
    S.draft = null;
  }
  drawDraft();
}

function drawDraft() {
  const adopted = S.live && S.live.phase === 'adopted';
  el('adopted').hidden = !adopted;
  if (adopted && S.draft) el('sha').textContent = `${(S.draft.sha256 || '').slice(0, 12)}…`;
  el('draft-h').textContent = !S.draft ? t('draft.none') : S.draft.final || adopted ? t('draft.final') : t('draft.meta', { n: S.draft.n });
  fill(el('draft'), S.draft ? renderDraft(S.draft, { headingLevel: 'h3' }) : null);
  // While a poll runs, the amendment under vote takes the screen.
  el('draft-box').hidden = !!(S.poll && S.poll.state === 'open' && S.amendment && !S.amendment.unreadable);
}

// The open poll: from the live state when it carries the details, else from
// the polls API (which needs a join link; without one the screen says
// "voting in progress").
async function loadPoll() {
  const live = S.live.open_poll;
  const id = openPollId(S.live);
  if (id === null) {
    if (S.poll && S.poll.state === 'open') S.poll = await get(sessionPath(S.sid, `/polls/${S.poll.id}`)).catch(() => ({ ...S.poll, state: 'closed' }));
  } else if (typeof live === 'object' && live.method) {
    S.poll = live;
  } else {
    S.poll = await get(sessionPath(S.sid, `/polls/${id}`)).catch(() => ({ id, state: 'open', hidden: true }));
  }
  const aid = S.poll && S.poll.subject ? S.poll.subject.amendment : undefined;
  if (aid !== undefined && (!S.amendment || S.amendment.id !== aid)) {
    // Without a join link the amendment itself cannot be read: its number only.
    S.amendment = await get(sessionPath(S.sid, `/amendments/${aid}`)).catch(() => ({ id: aid, unreadable: true }));
  } else if (aid === undefined) {
    S.amendment = null;
  }
  drawPoll();
  clearTimeout(S.pollTimer);
  if (S.poll && S.poll.state === 'open' && !S.poll.hidden) {
    S.pollTimer = setTimeout(() => loadPoll().catch(() => {}), TALLY_MS);
  }
}

function drawPoll() {
  const poll = S.poll;
  el('poll').hidden = !poll;
  if (!poll) {
    drawDraft();
    return;
  }
  const subject = poll.subject || {};
  el('poll-h').textContent = poll.state === 'open' ? t('proj.voting') : t('proj.result');
  if (S.amendment && S.amendment.unreadable) {
    fill(el('poll-subject'), h('p', { class: 'big', text: t('poll.on_amendment', { id: S.amendment.id }) }));
  } else if (S.amendment) {
    fill(el('poll-subject'), h('p', { class: 'big', text: amendmentTitle(S.amendment, S.draft ? S.draft.paragraphs : []) }),
      renderDiff(amendmentHunks(S.amendment)));
  } else if (subject.adoption !== undefined) {
    fill(el('poll-subject'), h('p', { class: 'big', text: t('poll.on_adoption', { n: subject.adoption }) }));
  } else {
    fill(el('poll-subject'));
  }
  fill(el('tally'), tallyView(poll));
  drawDraft();
}

function tallyView(poll) {
  if (poll.result) {
    const r = poll.result;
    return h('div', {}, h('p', { class: 'adopted-mark', text: t(`poll.outcome_${r.outcome}`) }), bars(r, r.eligible));
  }
  if (poll.hide_results && poll.counts && poll.counts.cast !== undefined) {
    // Hidden until the close: how many have voted, no tally to sway the room.
    return h('div', {}, h('p', { class: 'big', text: t('proj.in_progress') }),
      h('p', { class: 'big poll-hidden', text: t('proj.hidden', { cast: poll.counts.cast }) }));
  }
  if (poll.hidden || poll.secret || !poll.counts || poll.counts.yes === undefined) {
    const cast = poll.counts && poll.counts.cast;
    const objections = poll.counts && poll.counts.objections;
    return h('div', {}, h('p', { class: 'big', text: t('proj.in_progress') }),
      objections !== undefined ? h('p', { class: 'muted', text: t('proj.objections', { n: objections }) }) : null,
      cast !== undefined ? h('p', { class: 'muted', text: t('proj.cast', { cast, eligible: poll.eligible ?? '–' }) }) : null);
  }
  return bars(poll.counts, poll.eligible);
}

function bars(c, eligible) {
  const cast = (c.yes || 0) + (c.no || 0) + (c.abstain || 0);
  const max = Math.max(cast, 1);
  const rows = [];
  for (const k of ['yes', 'no', 'abstain']) {
    rows.push(h('span', { id: `tally-${k}-label`, text: t(`vote.${k}`) }),
      h('progress', { max: String(max), value: String(c[k] || 0), 'aria-labelledby': `tally-${k}-label` }),
      h('strong', { class: 'tally-count', dataset: { choice: k }, text: String(c[k] || 0) }));
  }
  return h('div', {}, h('div', { class: 'tally' }, rows),
    h('p', { class: 'muted', text: t('proj.cast', { cast, eligible: eligible ?? '–' }) }));
}

// The countdown to the end of the adoption slot (or to its start).
function drawClock(msLeft) {
  const a = S.live && S.live.adoption_slot;
  const label = el('clock-label');
  const clock = el('clock');
  if (!a) {
    label.textContent = '';
    clock.textContent = '';
    return;
  }
  const length = new Date(a.end) - new Date(a.start);
  if (msLeft > length) {
    label.textContent = t('proj.starts_at', { time: fmtTime(a.start) });
    clock.textContent = fmtCountdown(msLeft - length);
  } else if (msLeft > 0) {
    label.textContent = t('proj.ends_in');
    clock.textContent = fmtCountdown(msLeft);
  } else {
    label.textContent = t('proj.slot_over', { time: fmtTime(a.end) });
    clock.textContent = '0:00';
  }
  clock.classList.toggle('low', msLeft > 0 && msLeft <= 120000);
}

function drawHead() {
  el('session-title').textContent = S.session.title;
  const live = S.live || {};
  el('phase').textContent = t(`phase.${live.phase || S.session.phase}`);
  el('slot').textContent = live.slot ? t('proj.now_slot', { title: live.slot.title, start: fmtTime(live.slot.start), end: fmtTime(live.slot.end) }) : '';
}

async function onLive(state, receivedAt) {
  const before = S.live;
  S.live = state;
  drawHead();
  S.clock.set(state.adoption_slot ? state.adoption_slot.ends_in_ms : null, receivedAt);
  try {
    if (!before || before.current_draft !== state.current_draft || before.phase !== state.phase) await loadDraft();
    // The live state carries the open poll with its counts: redraw on every state.
    if (!before || before.seq !== state.seq || openPollId(before) !== openPollId(state) || state.open_poll) await loadPoll();
  } catch (e) {
    say(el('connection'), e.display, 'error');
  }
}

async function main() {
  const ctx = await boot({ needMe: false });
  if (!ctx) return;
  Object.assign(S, ctx);
  S.clock = countdown(drawClock);
  drawHead();
  el('fullscreen').addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
  window.addEventListener('langchange', () => {
    drawHead();
    drawDraft();
    drawPoll();
  });
  watchLive(S.sid, onLive, {
    stream: true,
    onConnection: (ok) => {
      el('connection').textContent = ok ? '' : t('common.offline');
    },
  });
}

main();
