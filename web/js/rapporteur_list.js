// The rapporteur page's list of the breakout's fragments: each with its
// latest version and a mark where this tab holds unsent text, and the form
// that creates one. Offline, the list this tab read last.
import { get, newKey, post, sessionPath } from './api.js';
import { fill, h } from './dom.js';
import { fmtDateTime, t } from './i18n.js';
import { personName } from './page.js';
import { attempt, tell } from './rapporteur_status.js';
import * as store from './rapporteur_store.js';

const el = (id) => document.getElementById(id);

// S: the page's state (sid, breakout, fragments, frag, offline); open(fid)
// opens a fragment in the editor.
export function fragmentList(S, open) {
  const path = () => sessionPath(S.sid, `/breakouts/${encodeURIComponent(S.breakout)}/fragments`);

  async function load() {
    try {
      S.fragments = await get(path());
      store.keepFragmentList(S.sid, S.breakout, S.fragments);
    } catch (e) {
      const kept = e.code === 'network' ? store.loadFragmentList(S.sid, S.breakout) : null;
      if (!kept) throw e;
      S.fragments = kept;
      S.offline = true;
    }
    draw();
  }

  function draw() {
    const list = el('fragments');
    if (!S.fragments.length) {
      fill(list, h('li', { class: 'muted', text: t('rap.no_fragments') }));
      return;
    }
    fill(list, S.fragments.map((f) => {
      const current = S.frag && S.frag.id === f.id;
      const unsent = store.loadUnsent(S.sid, f.id);
      return h('li', {},
        h('button', { type: 'button', class: current ? 'primary' : '', 'aria-current': current ? 'true' : null,
          onclick: () => open(f.id) }, f.title),
        ' ',
        h('span', { class: 'muted' }, t('rap.version_n', { v: f.version }), ' · ', fmtDateTime(f.updated_at), ' · ',
          personName(f.author)),
        unsent ? h('span', { class: 'badge warn', text: t('rap.badge_unsent') }) : null);
    }));
  }

  async function create(ev) {
    ev.preventDefault();
    const title = el('new-title').value.trim();
    if (!title) return;
    await attempt(ev.submitter, async () => {
      const f = await post(path(), { title, body: t('rap.template') }, newKey());
      el('new-title').value = '';
      await load();
      await open(f.id);
      tell('rap.created', { title }, 'ok');
    });
  }

  return { load, draw, create };
}
