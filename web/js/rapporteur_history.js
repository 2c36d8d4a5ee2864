// The version history of the open fragment: a table of versions (stacked
// rows on a phone, each cell named by its column), one version's text, and
// the word diff between any two.
import { get } from './api.js';
import { fill, h, renderDiff, setServerHtml } from './dom.js';
import { fmtDateTime, t } from './i18n.js';
import { personName } from './page.js';
import { attempt } from './rapporteur_status.js';

const el = (id) => document.getElementById(id);

// `path(rest)` is the open fragment's API path.
export function historyView(path) {
  let versions = [];
  let shown = -1;  // versions in the compare form

  function draw() {
    const rows = [...versions].sort((a, b) => b.version - a.version);
    const cell = (label, text) => h('td', { 'data-label': t(label), text });
    fill(el('versions'), rows.map((v) => h('tr', {},
      cell('rap.version', v.version),
      cell('rap.when', fmtDateTime(v.created_at)),
      cell('rap.author', personName(v.author)),
      cell('rap.note', v.note || ''),
      h('td', { class: 'actions' }, h('button', { type: 'button', onclick: () => view(v.version),
        'aria-label': t('rap.view_n', { v: v.version }), text: t('rap.view') })))));
    // A person's choice of versions to compare stays while no version is
    // added; a new version resets it to the latest two.
    const fresh = rows.length !== shown;
    shown = rows.length;
    for (const [id, pick] of [['diff-from', 1], ['diff-to', 0]]) {
      const select = el(id);
      const keep = fresh ? '' : select.value;
      fill(select, rows.map((v) => h('option', { value: String(v.version), text: t('rap.version_n', { v: v.version }) })));
      select.value = keep && rows.some((v) => String(v.version) === keep)
        ? keep : String((rows[Math.min(pick, rows.length - 1)] || {}).version ?? '');
    }
  }

  async function load() {
    versions = await get(path('/versions'));
    draw();
  }

  async function view(n) {
    await attempt(null, async () => {
      const v = await get(path(`/versions/${n}`));
      const body = h('div', { class: 'preview' });
      if (v.html !== undefined) setServerHtml(body, v.html);
      else body.append(h('pre', { text: v.body }));
      fill(el('version-view'), h('h3', { text: t('rap.version_n', { v: n }) }), body);
    });
  }

  async function compare(ev) {
    ev.preventDefault();
    const from = el('diff-from').value;
    const to = el('diff-to').value;
    await attempt(ev.submitter, async () => {
      const d = await get(path(`/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`));
      fill(el('version-view'), h('h3', { text: t('rap.diff_title', { from, to }) }), renderDiff(d.hunks || d));
    });
  }

  el('compare').addEventListener('submit', compare);
  return { load, draw };
}
