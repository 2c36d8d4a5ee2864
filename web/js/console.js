// The secretariat's and president's console. This file holds the shell
// (tabs, live updates, data loading), the overview and the breakouts;
// console_draft.js the drafts and amendments; console_polls.js the polls;
// console_people.js the people with their join links and QR codes.
//
// Each panel is built when its tab is first shown (the modules of the other
// tabs load only then, which keeps the first load small), once (forms keep
// what is typed); its lists are refreshed on every change of the live state.
import { get, newKey, post, sessionPath } from './api.js';
import { busy, fill, h, say } from './dom.js';
import { fmtCountdown, fmtDateTime, fmtTime, t } from './i18n.js';
import { confirmStep } from './confirm.js';
import { countdown, watchLive } from './live.js';
import { boot, hasRole, personName } from './page.js';

const EXPORTS = ['md', 'html', 'pdf', 'docx', 'json', 'csv'];
const C = {
  sid: '',
  session: null,
  me: null,
  live: null,
  draft: null,
  drafts: [],
  fragments: {},
  amendments: [],
  polls: [],
  people: [],
  status: null,
  isPresident: false,
};

// Runs an action from a button: errors go to the status line, success
// message (if any) too, then everything is reloaded.
C.act = (button, fn, okMessage) => busy(button, C.status, async () => {
  await fn();
  if (okMessage) say(C.status, okMessage, 'ok');
  await C.reload();
});
C.post = (rest, body = {}) => post(sessionPath(C.sid, rest), body, newKey());
C.get = (rest) => get(sessionPath(C.sid, rest));

const el = (id) => document.getElementById(id);
const TABS = ['overview', 'breakouts', 'draft', 'amendments', 'polls', 'people'];
const panels = {};  // built panels: {node, update()}
const MAKERS = {
  overview: async () => overviewPanel,
  breakouts: async () => breakoutsPanel,
  draft: async () => (await import('./console_draft.js')).draftPanel,
  amendments: async () => (await import('./console_draft.js')).amendmentsPanel,
  polls: async () => (await import('./console_polls.js')).pollsPanel,
  people: async () => (await import('./console_people.js')).peoplePanel,
};
let tab = 'overview';
let loaded = false;  // the session's data has been read once

// ---- data -----------------------------------------------------------------------
async function optional(promise, fallback) {
  try {
    return await promise;
  } catch (e) {
    if (e.status === 404) return fallback;
    throw e;
  }
}

C.reload = async () => {
  const [draft, drafts, amendments, polls, people, session] = await Promise.all([
    optional(C.get('/drafts/current'), null),
    optional(C.get('/drafts'), []),
    optional(C.get('/amendments'), []),
    optional(C.get('/polls'), []),
    C.get('/people'),
    C.get(''),
  ]);
  Object.assign(C, { draft, drafts, amendments, polls, people, session });
  const lists = await Promise.all(C.session.breakouts.map((b) => optional(C.get(`/breakouts/${encodeURIComponent(b.id)}/fragments`), [])));
  C.session.breakouts.forEach((b, i) => { C.fragments[b.id] = lists[i]; });
  update();
};

// ---- shell ------------------------------------------------------------------------
async function selectTab(name, focus = false) {
  tab = name;
  for (const n of TABS) {
    const b = el(`tab-${n}`);
    b.setAttribute('aria-selected', String(n === name));
    b.tabIndex = n === name ? 0 : -1;
    el(`panel-${n}`).hidden = n !== name;
  }
  if (focus) el(`tab-${name}`).focus();
  const url = new URL(location.href);
  url.hash = name;
  history.replaceState(null, '', url);
  await showPanel(name);
}

async function showPanel(name) {
  if (!panels[name]) {
    const make = await MAKERS[name]();
    if (panels[name]) return;  // built meanwhile by another click
    panels[name] = make(C);
    fill(el(`panel-${name}`), panels[name].node);
  }
  if (loaded) panels[name].update();
}

function tabKeys(ev) {
  const i = TABS.indexOf(tab);
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[ev.key];
  if (next === undefined) return;
  ev.preventDefault();
  selectTab(TABS[(next + TABS.length) % TABS.length], true);
}

function drawHead() {
  el('session-title').textContent = C.session.title;
  el('phase').textContent = t(`phase.${C.live ? C.live.phase : C.session.phase}`);
}

function drawClock(msLeft) {
  const live = C.live;
  const a = live && live.adoption_slot;
  const slot = live && live.slot ? t('proj.now_slot', { title: live.slot.title, start: fmtTime(live.slot.start), end: fmtTime(live.slot.end) }) : '';
  let clock = '';
  if (a) {
    const length = new Date(a.end) - new Date(a.start);
    if (msLeft > length) clock = t('con.adoption_starts', { time: fmtTime(a.start), left: fmtCountdown(msLeft - length) });
    else if (msLeft > 0) clock = t('con.adoption_ends', { left: fmtCountdown(msLeft) });
    else clock = t('proj.slot_over', { time: fmtTime(a.end) });
  }
  el('slot-clock').textContent = [slot, clock].filter(Boolean).join(' · ');
}

// Redraws the head and rebuilds the panels already built (after a change of
// language).
async function rebuild() {
  if (loaded) drawHead();
  const built = Object.keys(panels);
  for (const name of built) delete panels[name];
  for (const name of built) await showPanel(name);
}

function update() {
  loaded = true;
  drawHead();
  for (const p of Object.values(panels)) p.update();
}

// ---- overview ---------------------------------------------------------------------
function overviewPanel() {
  const phaseBox = h('div');
  const stateBox = h('div');
  const node = h('div', { class: 'grid2' },
    h('section', { class: 'card', 'aria-labelledby': 'ov-phase-h' },
      h('h2', { id: 'ov-phase-h', text: t('con.phase') }), phaseBox),
    h('section', { class: 'card', 'aria-labelledby': 'ov-state-h' },
      h('h2', { id: 'ov-state-h', text: t('con.state') }), stateBox),
    h('section', { class: 'card', 'aria-labelledby': 'ov-export-h' },
      h('h2', { id: 'ov-export-h', text: t('con.export') }),
      h('p', { class: 'muted', text: t('con.export_help') }),
      h('div', { class: 'row' }, EXPORTS.map((f) => h('a', {
        class: 'button', href: sessionPath(C.sid, `/export?format=${f}`), download: '', text: t(`con.export_${f}`),
      })))),
    h('section', { class: 'card', 'aria-labelledby': 'ov-links-h' },
      h('h2', { id: 'ov-links-h', text: t('con.screens') }),
      h('div', { class: 'row' },
        h('a', { class: 'button', href: `/app/projector.html?session=${encodeURIComponent(C.sid)}`, text: t('con.open_projector') }),
        h('a', { class: 'button', href: `/s/${encodeURIComponent(C.sid)}`, text: t('con.open_public') }))));
  return {
    node,
    update() {
      const phase = C.live ? C.live.phase : C.session.phase;
      const next = { drafting: 'amending' }[phase];
      fill(phaseBox,
        h('p', {}, t('con.phase_now'), ' ', h('strong', { text: t(`phase.${phase}`) })),
        h('p', { class: 'muted', text: t(`con.phase_help_${phase}`) }),
        next && C.isPresident ? h('button', {
          type: 'button', class: 'primary', text: t('con.move_to', { phase: t(`phase.${next}`) }),
          disabled: !C.draft,
          onclick: async (ev) => {
            // Moving on cannot be undone: say what it does and let the person step back.
            const button = ev.currentTarget;
            const ok = await confirmStep({ title: t(`con.confirm_${next}_title`), body: t(`con.confirm_${next}_body`),
              confirm: t(`con.confirm_${next}_ok`) });
            if (ok) C.act(button, () => C.post('/phase', { phase: next }), t('con.phase_changed'));
          },
        }) : null,
        next && !C.draft ? h('p', { class: 'muted', text: t('con.need_draft') }) : null);
      const open = C.polls.find((p) => p.state === 'open');
      fill(stateBox, h('ul', {},
        h('li', { text: C.draft ? t('draft.meta', { n: C.draft.n }) : t('draft.none') }),
        h('li', { text: t('con.amendments_count', { n: C.amendments.length, pending: C.amendments.filter((a) => a.status === 'proposed').length }) }),
        h('li', { text: open ? openPollLine(open) : t('con.no_open_poll') }),
        h('li', { text: t('con.present', { n: C.people.filter((p) => p.present).length, total: C.people.length }) })));
    },
  };
}

// "Poll 3 is open · 7 of 42 cast": while a poll runs, how many have voted
// (its tally, when it shows one, is on the Polls tab).
function openPollLine(p) {
  const c = p.counts || {};
  const cast = c.cast ?? (c.yes !== undefined ? (c.yes || 0) + (c.no || 0) + (c.abstain || 0) : undefined);
  const line = t('con.poll_is_open', { id: p.id });
  return cast === undefined ? line : `${line} · ${t('con.poll_cast', { cast, eligible: p.eligible ?? 0 })}`;
}

// ---- breakouts -----------------------------------------------------------------------
function breakoutsPanel() {
  const list = h('div');
  const node = h('div', {},
    h('section', { class: 'card', 'aria-labelledby': 'br-merge-h' },
      h('h2', { id: 'br-merge-h', text: t('con.merge') }),
      h('p', { class: 'muted', text: t('con.merge_help') }),
      h('button', { type: 'button', class: 'primary', text: t('con.merge_button'),
        onclick: (ev) => C.act(ev.currentTarget, async () => {
          const d = await C.post('/drafts', { merge: true });
          say(C.status, t('con.merged', { n: d.n }), 'ok');
        }) })),
    list);
  return {
    node,
    update() {
      fill(list, C.session.breakouts.map((b) => {
        const frags = C.fragments[b.id] || [];
        const rapporteurs = C.people.filter((p) => p.breakout === b.id && (p.roles || []).includes('rapporteur'));
        return h('section', { class: 'card', 'aria-label': b.title },
          h('h2', { text: b.title }),
          h('p', { class: 'muted' }, t('con.rapporteurs'), ' ', rapporteurs.map((p) => p.name).join(', ') || '–'),
          frags.length ? h('div', { class: 'table-wrap', tabindex: '0' }, h('table', {},
            h('thead', {}, h('tr', {}, ['con.fragment', 'rap.version', 'rap.when', 'rap.author'].map((k) => h('th', { text: t(k) })))),
            h('tbody', {}, frags.map((f) => h('tr', {},
              h('td', {}, h('a', { href: `/app/rapporteur.html?session=${encodeURIComponent(C.sid)}&breakout=${encodeURIComponent(b.id)}&fragment=${f.id}`, text: f.title })),
              h('td', { text: f.version }),
              h('td', { text: fmtDateTime(f.updated_at) }),
              h('td', { text: personName(f.author, C.people) }))))))
            : h('p', { class: 'muted', text: t('con.no_fragments') }));
      }));
    },
  };
}

// ---- start ------------------------------------------------------------------------------
async function main() {
  const ctx = await boot();
  if (!ctx) return;
  Object.assign(C, ctx);
  C.status = el('status');
  C.isPresident = hasRole(C.me, 'president');
  if (!hasRole(C.me, 'president', 'secretariat')) {
    say(C.status, t('con.staff_only'), 'error');
    return;
  }
  for (const n of TABS) el(`tab-${n}`).addEventListener('click', () => selectTab(n));
  el('tabs').addEventListener('keydown', tabKeys);
  const start = location.hash.slice(1);
  C.selectTab = selectTab;
  await selectTab(TABS.includes(start) ? start : 'overview');
  drawHead();
  const clock = countdown(drawClock);
  await busy(null, C.status, C.reload);
  window.addEventListener('langchange', rebuild);
  watchLive(C.sid, (state, receivedAt) => {
    const before = C.live;
    C.live = state;
    C.liveAt = receivedAt;
    clock.set(state.adoption_slot ? state.adoption_slot.ends_in_ms : null, receivedAt);
    if (!before) {
      update();  // the first state: the data was just loaded
      return;
    }
    if (before.seq === state.seq && before.phase === state.phase) return;
    busy(null, C.status, C.reload);
  }, {
    onConnection: (ok) => {
      el('connection').textContent = ok ? '' : t('common.offline');
    },
  });
}

main();
