// Console cards on where the draft's text comes from and how it changed:
// each paragraph's source, a diff between two drafts, the fragments saved
// since a draft was merged, and duplicate recommendations side by side.
// Used by the draft panel (console_draft.js).
import { busy, fill, h, renderDiff, setServerHtml } from './dom.js';
import { paraLabel } from './doc.js';
import { t } from './i18n.js';

const breakoutTitle = (C, id) => ((C.session.breakouts || []).find((b) => b.id === id) || {}).title || id;
const fragmentOf = (C, breakout, fid) => (C.fragments[breakout] || []).find((f) => f.id === fid);
const draftOptions = (C) => [...C.drafts].sort((a, b) => b.n - a.n)
  .map((d) => h('option', { value: String(d.n), text: t('draft.meta', { n: d.n }) }));

// Drafts are immutable: each is fetched once.
const draftCache = new Map();
async function draftN(C, n) {
  if (!draftCache.has(n)) draftCache.set(n, C.get(`/drafts/${n}`).catch((e) => { draftCache.delete(n); throw e; }));
  return draftCache.get(n);
}

// "Source: <breakout title> · “<fragment>”, version 3" (and whether a newer
// version waits to be merged), "Source: amendment #4", "Source: editorial
// edit in Draft 2"; null for the title and date lines.
export function sourceLine(C, p) {
  const s = p.source || {};
  let text = '';
  let newer = null;
  if (s.kind === 'fragment') {
    const f = fragmentOf(C, s.breakout, s.fragment);
    text = t('con.source_fragment', { breakout: breakoutTitle(C, s.breakout), fragment: f ? f.title : `#${s.fragment}`, version: s.version });
    if (f && f.version > s.version) newer = t('con.source_newer', { version: f.version });
  } else if (s.kind === 'amendment') {
    text = s.breakout ? t('con.source_amendment_of', { id: s.amendment, breakout: breakoutTitle(C, s.breakout) })
      : t('con.source_amendment', { id: s.amendment });
  } else if (s.kind === 'edit') {
    text = t('con.source_edit', { n: s.draft });
  } else {
    return null;
  }
  return h('p', { class: 'source muted' }, text, newer ? h('span', { class: 'badge warn', text: newer }) : null);
}

// ---- a diff between two drafts ---------------------------------------------------------
export function compareCard(C) {
  const from = h('select', { id: 'diff-from' });
  const to = h('select', { id: 'diff-to' });
  const out = h('div', { id: 'draft-diff', 'aria-live': 'polite' });
  const label = (c) => (c.number_to || c.number_from ? c.number_to || c.number_from : `¶ ${c.pid}`);

  async function compare(button) {
    await busy(button, C.status, async () => {
      const d = await C.get(`/drafts/${from.value}/diff?to=${to.value}`);
      const changes = (d.paragraphs || []).filter((c) => c.op !== 'equal' || (c.number_from || null) !== (c.number_to || null));
      const count = (op) => changes.filter((c) => c.op === op).length;
      fill(out, h('p', { class: 'big', text: t('con.compare_summary', {
        from: d.from, to: d.to, added: count('inserted'), removed: count('deleted'), changed: count('changed') }) }),
      changes.length ? h('ol', { class: 'plain changes' }, changes.map((c) => h('li', { dataset: { op: c.op } },
        h('p', {}, h('strong', { text: label(c) }), ' ',
          h('span', { class: `badge ${c.op === 'deleted' ? 'bad' : c.op === 'inserted' ? 'ok' : 'warn'}`,
            text: c.op === 'equal' ? t('con.change_renumbered', { from: c.number_from || '–', to: c.number_to || '–' })
              : t(`con.change_${c.op}`) })),
        c.op === 'equal' ? null : renderDiff(c.hunks))))
        : h('p', { class: 'muted', text: t('con.compare_none') }));
    });
  }

  const node = h('section', { class: 'card', 'aria-labelledby': 'compare-h' },
    h('h2', { id: 'compare-h', text: t('con.compare') }),
    h('p', { class: 'muted', text: t('con.compare_help') }),
    h('div', { class: 'row' },
      h('label', { for: 'diff-from', class: 'inline', text: t('con.compare_from') }), from,
      h('label', { for: 'diff-to', class: 'inline', text: t('con.compare_to') }), to,
      h('button', { type: 'button', id: 'diff-show', text: t('con.compare_button'), onclick: (ev) => compare(ev.currentTarget) })),
    out);
  return {
    node,
    update() {
      node.hidden = C.drafts.length < 2;
      const keep = [from.value, to.value];
      fill(from, draftOptions(C));
      fill(to, draftOptions(C));
      const latest = Math.max(...C.drafts.map((d) => d.n));
      from.value = keep[0] || String(latest - 1);
      to.value = keep[1] || String(latest);
    },
  };
}

// ---- fragments saved since a draft ------------------------------------------------------
// A merge takes the latest version of every fragment, so the merge that
// made Draft N (or the last one before it) says which versions N holds.
export function staleCard(C) {
  const since = h('select', { id: 'since-draft' });
  const out = h('div', { id: 'stale-list' });
  let shown = '';

  async function draw() {
    const n = Number(since.value);
    if (!n) return;
    const merged = [...C.drafts].filter((d) => d.n <= n && d.kind === 'merge').sort((a, b) => b.n - a.n)[0];
    const versions = new Map();  // fragment id -> version merged
    if (merged) {
      const d = await draftN(C, merged.n);
      for (const p of d.paragraphs || []) {
        const s = p.source || {};
        if (s.kind === 'fragment') versions.set(s.fragment, Math.max(versions.get(s.fragment) || 0, s.version));
      }
    }
    const lines = [];
    for (const b of C.session.breakouts || []) {
      for (const f of C.fragments[b.id] || []) {
        const v = versions.get(f.id);
        const vars = { breakout: b.title, fragment: f.title, version: f.version, merged: v, n };
        if (v === undefined) lines.push(t('con.stale_new', vars));
        else if (f.version > v) lines.push(t('con.stale_line', vars));
      }
    }
    fill(out, lines.length ? h('ul', {}, lines.map((l) => h('li', { text: l })))
      : h('p', { class: 'muted', text: t('con.stale_none', { n }) }));
  }
  since.addEventListener('change', () => busy(null, C.status, draw));

  const node = h('section', { class: 'card', 'aria-labelledby': 'stale-h' },
    h('h2', { id: 'stale-h', text: t('con.stale') }),
    h('p', { class: 'muted', text: t('con.stale_help') }),
    h('div', { class: 'row' }, h('label', { for: 'since-draft', class: 'inline', text: t('con.stale_since') }), since),
    out);
  return {
    node,
    update() {
      node.hidden = !C.drafts.length;
      if (!C.drafts.length) return;
      // Follows the current draft unless another one was chosen.
      const follow = !since.value || since.value === shown;
      const keep = since.value;
      fill(since, draftOptions(C));
      shown = String(Math.max(...C.drafts.map((d) => d.n)));
      since.value = follow ? shown : keep;
      busy(null, C.status, draw);
    },
  };
}

// ---- duplicates, side by side ---------------------------------------------------------------
export function duplicatesCard(C, duplicates, paras) {
  if (!duplicates.length) return null;
  const side = (pid) => {
    const p = paras.find((x) => x.pid === pid);
    const body = h('div', { class: 'body' });
    if (p) setServerHtml(body, p.html || '');
    return h('div', { class: 'side' },
      h('p', {}, h('a', { href: `#para-${pid}`, text: p ? paraLabel(p) : `¶ ${pid}` })),
      body,
      p ? sourceLine(C, p) : null);
  };
  return h('section', { class: 'card', 'aria-labelledby': 'dups-h' },
    h('h2', { id: 'dups-h', text: t('con.duplicates') }),
    h('p', { class: 'muted', text: t('con.duplicates_help') }),
    duplicates.map((d) => {
      const a = paras.find((x) => x.pid === d.a);
      const b = paras.find((x) => x.pid === d.b);
      return h('div', { class: 'dup-pair' },
        h('h3', { text: t('con.duplicate_pair', { a: a ? paraLabel(a) : d.a, b: b ? paraLabel(b) : d.b,
          score: Math.round((d.score || 0) * 100) }) }),
        h('div', { class: 'grid2' }, side(d.a), side(d.b)));
    }));
}
