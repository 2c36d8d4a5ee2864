// The home page: the sessions on this server, with their public views.
import { get } from './api.js';
import { h, fill, say } from './dom.js';
import { initI18n, t, fmtDate } from './i18n.js';

let sessions = null;

function draw() {
  const list = document.getElementById('sessions');
  if (!sessions) return;
  if (!sessions.length) {
    fill(list, h('li', { class: 'muted', text: t('index.none') }));
    return;
  }
  fill(list, sessions.map((s) => h('li', {},
    h('h2', {}, h('a', { href: `/s/${encodeURIComponent(s.id)}`, text: s.title })),
    h('p', { class: 'muted' }, fmtDate(s.date), ' · ', h('span', { class: 'badge', text: t(`phase.${s.phase}`) })),
    h('div', { class: 'row' },
      h('a', { class: 'button', href: `/s/${encodeURIComponent(s.id)}`, text: t('index.read') }),
      h('a', { class: 'button', href: `/app/projector.html?session=${encodeURIComponent(s.id)}`, text: t('index.projector') })))));
}

async function main() {
  await initI18n();
  window.addEventListener('langchange', draw);
  const status = document.getElementById('status');
  try {
    sessions = await get('/api/v1/sessions');
    draw();
  } catch (e) {
    say(status, e.display, 'error');
  }
}

main();
