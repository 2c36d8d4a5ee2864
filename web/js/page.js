// What every session page does first: the language, the session named in
// ?session=, the person behind the join cookie (GET /me), the time zone.
import { get, pageSession, post, sessionPath } from './api.js';
import { fatal, h, fill } from './dom.js';
import { initI18n, setTimeZone, t } from './i18n.js';
import { watchLive } from './live.js';
import { keptGet, registerShell } from './offline.js';

// Resolves to {sid, session, me} or null after showing why the page cannot
// work (no session named, not signed in, another session's link).
// offline: without a network, go on with what this tab last read (a page
// that keeps unsent text on the device, reloaded from the offline shell).
export async function boot({ needMe = true, offline = false } = {}) {
  await initI18n();
  registerShell();
  const read = offline ? keptGet(get) : get;
  const sid = pageSession();
  if (!sid) {
    fatal(t('common.no_session'));
    return null;
  }
  let me = null;
  try {
    if (needMe) {
      me = await read('/api/v1/me');
      if (me.session && me.session !== sid) {
        fatal(t('common.wrong_session'));
        return null;
      }
    }
    const session = await read(sessionPath(sid));
    setTimeZone(session.timezone);
    const brand = document.querySelector('.topbar .brand');
    if (brand) brand.href = `/s/${encodeURIComponent(sid)}`;
    drawWho(me);
    window.addEventListener('langchange', () => drawWho(me));
    leadToVoting(sid, me);
    return { sid, session, me };
  } catch (e) {
    fatal(e.status === 401 ? t('common.need_join') : e.display);
    return null;
  }
}

function drawWho(me) {
  const who = document.getElementById('who');
  if (!who || !me) return;
  const roles = (me.roles || []).map((r) => t(`role.${r}`)).join(', ');
  fill(who, me.person ? h('span', {}, me.person.name, ' · ', roles) : roles, ' ',
    h('button', { type: 'button', class: 'logout', text: t('common.logout'), onclick: logout }));
}

const VOTING_PAGE = '/app/participant.html';

// A person with the participant role votes on the participant's page,
// whatever other role brought them to this one: a link to it in the top bar,
// and a notice on this page while a vote is open.
function leadToVoting(sid, me) {
  if (!me || !(me.roles || []).includes('participant') || location.pathname === VOTING_PAGE) return;
  const href = `${VOTING_PAGE}?session=${encodeURIComponent(sid)}`;
  const link = h('a', { class: 'vote-link', href, text: t('common.vote_link') });
  const who = document.getElementById('who');
  const bar = document.querySelector('.topbar');
  if (who) who.before(link);
  else if (bar) bar.append(link);
  const notice = h('div', { class: 'vote-notice', role: 'status', hidden: true });
  const main = document.querySelector('main');
  const heading = main && main.querySelector('h1');
  if (heading) heading.after(notice);
  else if (main) main.prepend(notice);
  let open = null;
  const draw = () => {
    link.textContent = t('common.vote_link');
    notice.hidden = !open;
    fill(notice, open ? [h('span', { text: t('common.vote_open') }), ' ', h('a', { href, text: t('common.vote_go') })] : null);
  };
  window.addEventListener('langchange', draw);
  watchLive(sid, (state) => {
    const poll = state && state.open_poll;
    // A show of hands is counted in the room: nothing to do on a device.
    const next = poll && poll.method !== 'show_of_hands' ? poll.id ?? poll : null;
    if (next === open) return;
    open = next;
    draw();
  });
}

// Removes the login cookie from this browser (the join link keeps working).
async function logout(ev) {
  ev.currentTarget.disabled = true;
  try {
    await post('/api/v1/logout');
  } finally {
    location.href = '/';
  }
}

// The token reissues of `me` that `state` (from /live) lists and `before`
// did not: someone was given a new token in this person's name.
export function newReissuesOf(me, before, state) {
  if (!me || !me.person || !state || !Array.isArray(state.token_reissues)) return [];
  const seen = new Set(((before && before.token_reissues) || []).map((r) => r.seq));
  return state.token_reissues.filter((r) => r.person === me.person.id && !seen.has(r.seq));
}

export function hasRole(me, ...roles) {
  return !!me && (me.roles || []).some((r) => roles.includes(r) || r === 'admin');
}

// A person's display name from an API field that may be a name, an id, an
// actor string ("person:12") or an object with a name.
export function personName(x, people) {
  if (x === null || x === undefined) return '';
  if (typeof x === 'object') return x.name || String(x.id ?? '');
  if (people) {
    const id = typeof x === 'number' ? x : Number(String(x).replace(/^person:/, ''));
    const p = people.find((q) => q.id === id);
    if (p) return p.name;
  }
  return String(x);
}
