// The projector: full screen, large type. Shows the draft, and beside it the
// poll under way (the amendment as a diff, the paragraph it changes
// highlighted and scrolled into view, the live tally or "voting in progress"
// for secret polls, the time left when the poll has a closing time), then
// its result; the countdown to the end of the adoption slot, and the adopted
// text's SHA-256. Public: works without a join link (details that need one
// are left out; a closed poll's result comes from the live state, which is
// public); holds the event stream, falls back to polling /live.
import { get, sessionPath } from './api.js';
import { fill, h, renderDiff, say } from './dom.js';
import { amendmentHunks, amendmentTitle, openPollId, renderDraft } from './doc.js';
import { fmtCountdown, fmtTime, t } from './i18n.js';
import { countdown, watchLive } from './live.js';
import { boot } from './page.js';

const S = {
  sid: '', session: null, live: null, draft: null, poll: null, amendment: null, clock: null,
  pollClock: null, pollLeft: null, followed: null, member: undefined,
  shownDraft: null, shownPoll: null, // what the screen shows: see onLive
};
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
  const target = amendedPid();
  fill(el('draft'), S.draft ? renderDraft(S.draft, { headingLevel: 'h3', mark: (p) => (p.pid === target ? 'amending' : '') }) : null);
  follow(target);
}

// The paragraph that the amendment under discussion or under vote changes
// (or inserts after): from the amendment with a join link, from the live
// state's open poll without one.
function amendedPid() {
  if (!S.poll || S.poll.state === 'closed' || !S.amendment) return null;
  return S.amendment.target || null;
}

// Brings the amended paragraph into view once per poll, so the room reads
// it beside the diff; redraws of the tally leave the scroll alone.
function follow(pid) {
  if (!pid) S.followed = null;
  const para = pid ? document.getElementById(`para-${pid}`) : null;
  if (para) para.setAttribute('aria-current', 'true');
  if (!para || S.followed === pid) return;
  S.followed = pid;
  const behavior = window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
  // Beside a poll the draft scrolls in its own column (the head and the
  // clocks stay put); elsewhere the page scrolls.
  const box = el('draft-box');
  if (getComputedStyle(box).overflowY === 'auto' && box.scrollHeight > box.clientHeight) {
    const r = para.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    box.scrollBy({ top: r.top - b.top - (box.clientHeight - r.height) / 2, behavior });
  } else {
    para.scrollIntoView({ block: 'center', behavior });
  }
}

// A poll created on an amendment and not yet opened: the amendment the room
// is discussing. Needs a join link (the polls API is for members); a public
// screen asks once and then leaves it.
async function pendingAmendmentPoll() {
  if (S.member === false) return null;
  const list = await get(sessionPath(S.sid, '/polls')).catch((e) => {
    if (e.status === 401 || e.status === 403) S.member = false;
    return null;
  });
  if (!Array.isArray(list)) return null;
  const last = S.live.last_poll && typeof S.live.last_poll === 'object' ? S.live.last_poll.id : 0;
  const pending = list.filter((p) => p.state === 'pending' && p.subject && p.subject.amendment !== undefined && p.id > last);
  return pending.length ? pending[pending.length - 1] : null;
}

// The open poll: from the live state when it carries the details, else from
// the polls API (which needs a join link; without one the screen says
// "voting in progress").
async function loadPoll() {
  const live = S.live.open_poll;
  const id = openPollId(S.live);
  const pending = id === null ? await pendingAmendmentPoll() : null;
  if (pending) {
    S.poll = pending;
  } else if (id === null) {
    // The latest closed poll with its result, from the (public) live state;
    // the polls API needs a join link and would leave a public screen
    // without the outcome.
    const last = S.live.last_poll;
    if (last && typeof last === 'object' && last.result) S.poll = last;
    else if (S.poll && S.poll.state === 'open') S.poll = await get(sessionPath(S.sid, `/polls/${S.poll.id}`)).catch(() => ({ ...S.poll, state: 'closed' }));
  } else if (typeof live === 'object' && live.method) {
    S.poll = live;
  } else {
    S.poll = await get(sessionPath(S.sid, `/polls/${id}`)).catch(() => ({ id, state: 'open', hidden: true }));
  }
  const aid = S.poll && S.poll.subject ? S.poll.subject.amendment : undefined;
  if (aid !== undefined && (!S.amendment || S.amendment.id !== aid)) {
    // Without a join link the amendment itself cannot be read: its number only.
    S.amendment = await get(sessionPath(S.sid, `/amendments/${aid}`)).catch(() => ({ id: aid, unreadable: true }));
  }
  if (aid === undefined) {
    S.amendment = null;
  } else if (S.amendment && S.amendment.unreadable) {
    // The live state names the paragraph under vote, so a public screen
    // follows it too.
    const open = S.live.open_poll;
    S.amendment.target = open && typeof open === 'object' && open.target ? open.target : null;
  }
  drawPoll();
}

function drawPoll() {
  const poll = S.poll;
  el('poll').hidden = !poll;
  el('proj-body').classList.toggle('with-poll', !!poll);
  drawPollClock();
  if (!poll) {
    drawDraft();
    return;
  }
  const subject = poll.subject || {};
  el('poll-h').textContent = t(poll.state === 'open' ? 'proj.voting' : poll.state === 'pending' ? 'proj.discussing' : 'proj.result');
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
  fill(el('tally'), poll.state === 'pending' ? null : tallyView(poll));
  drawReceiptLink(poll);
  drawDraft();
}

// After an electronic poll closes: where each voter checks their receipt.
function drawReceiptLink(poll) {
  const box = el('receipt-link');
  box.hidden = !(poll.state === 'closed' && poll.method === 'electronic');
  if (box.hidden) return;
  const url = new URL(`/app/receipt.html?session=${encodeURIComponent(S.sid)}`, location.href).href;
  fill(box, t('proj.check_receipt'), ' ', h('a', { href: url, text: url }));
}

// The open poll's time left ("mm:ss", from its closes_at and the server's
// `now`, ticking locally between live states), "closed" at zero and after.
function setPollClock(state, receivedAt) {
  const open = state.open_poll && typeof state.open_poll === 'object' ? state.open_poll : null;
  S.pollLeft = null;
  if (open && open.closes_at && state.now) S.pollClock.set(Date.parse(open.closes_at) - Date.parse(state.now), receivedAt);
  else S.pollClock.set(null);
}

// Called by the countdown with the time left, and by drawPoll without.
function drawPollClock(msLeft) {
  if (msLeft !== undefined) S.pollLeft = msLeft;
  const poll = S.poll;
  const box = el('poll-timer');
  box.hidden = !(poll && poll.closes_at && poll.state !== 'pending');
  if (box.hidden) return;
  const clock = el('poll-clock');
  const left = poll.state === 'open' ? S.pollLeft : 0;
  if (left === null) return;
  el('poll-clock-label').textContent = left > 0 ? t('proj.poll_closes_in') : t('proj.poll_closes_at', { time: fmtTime(poll.closes_at) });
  clock.textContent = left > 0 ? mmss(left) : t('proj.poll_closed');
  clock.classList.toggle('low', left > 0 && left <= 30000);
}

function mmss(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
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
    clock.hidden = true;
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
    // Over: the time it ended, and no big "0:00" left on the wall.
    label.textContent = t('proj.slot_over', { time: fmtTime(a.end) });
    clock.textContent = '';
  }
  clock.hidden = msLeft <= 0;
  clock.classList.toggle('low', msLeft > 0 && msLeft <= 120000);
}

function drawHead() {
  el('session-title').textContent = S.session.title;
  const live = S.live || {};
  el('phase').textContent = t(`phase.${live.phase || S.session.phase}`);
  el('slot').textContent = live.slot ? t('proj.now_slot', { title: live.slot.title, start: fmtTime(live.slot.start), end: fmtTime(live.slot.end) }) : '';
}

// Handles one live state (watchLive hands them over one at a time). What is
// on screen is marked as shown only once its load succeeded, so a load that
// failed is tried again: with the next state, or the same one handed over
// again (the false this returns asks for that).
async function onLive(state, receivedAt) {
  S.live = state;
  drawHead();
  S.clock.set(state.adoption_slot ? state.adoption_slot.ends_in_ms : null, receivedAt);
  setPollClock(state, receivedAt);
  let failed = null;
  const draftKey = `${state.current_draft}/${state.phase}`;
  if (S.shownDraft !== draftKey) {
    try {
      await loadDraft();
      S.shownDraft = draftKey;
    } catch (e) {
      failed = e;
    }
  }
  // The live state carries the open poll with its counts: redraw on every state.
  if (S.shownPoll !== state.seq || state.open_poll) {
    try {
      await loadPoll();
      S.shownPoll = state.seq;
    } catch (e) {
      failed = failed || e;
    }
  }
  if (failed) say(el('connection'), failed.display, 'error');
  return !failed;
}

async function main() {
  const ctx = await boot({ needMe: false });
  if (!ctx) return;
  Object.assign(S, ctx);
  S.clock = countdown(drawClock);
  S.pollClock = countdown(drawPollClock);
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
