// The conclusions document as pages show it: sections, numbered paragraphs
// (R1, R2, ... for recommendations), and amendments as diffs.
import { h, setServerHtml, wordDiff } from './dom.js';
import { t } from './i18n.js';

const KNOWN_SECTIONS = ['preamble', 'conclusions', 'recommendations'];

export function sectionTitle(section) {
  return KNOWN_SECTIONS.includes(section) ? t(`section.${section}`) : section;
}

// The label of a paragraph in a sentence: "R3", else "¶ p12".
export function paraLabel(p) {
  return p ? p.number || `¶ ${p.pid}` : '';
}

// Moves the headings inside rendered Markdown below the page's own: a "# Title"
// in a paragraph becomes h(1 + shift), at most h6 (one outline per page).
function demoteHeadings(root, shift) {
  for (const hd of root.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Math.min(6, Number(hd.tagName[1]) + shift);
    const repl = document.createElement(`h${level}`);
    repl.append(...hd.childNodes);
    hd.replaceWith(repl);
  }
}

// <div class="doc"> of a draft: {paragraphs: [{pid, section, number, html}]}.
// `extra(p)` may return a node shown under a paragraph (buttons, forms);
// `mark(p)` may return a class added to it.
export function renderDraft(draft, { extra = () => null, mark = () => '', headingLevel = 'h2' } = {}) {
  const box = h('div', { class: 'doc' });
  let section = null;
  for (const p of draft.paragraphs || []) {
    if (p.section !== section) {
      section = p.section;
      box.append(h(headingLevel, { class: 'section', text: sectionTitle(section) }));
    }
    const body = h('div', { class: 'body' });
    setServerHtml(body, p.html || '');
    demoteHeadings(body, Number(headingLevel[1]));
    const extraNode = extra(p);
    box.append(h('div', { class: `para ${mark(p) || ''}`.trim(), id: `para-${p.pid}`, dataset: { pid: p.pid } },
      h('span', { class: 'num', text: p.number || '' }),
      body,
      extraNode ? h('div', { class: 'actions' }, extraNode) : null));
  }
  if (!(draft.paragraphs || []).length) box.append(h('p', { class: 'muted', text: t('draft.empty') }));
  return box;
}

// Word diff of an amendment: the text before and after it is applied.
export function amendmentHunks(a) {
  if (a.diff && (Array.isArray(a.diff) || Array.isArray(a.diff.hunks))) return a.diff;
  if (a.kind === 'delete') return [{ op: 'delete', text: a.original || '' }];
  if (a.kind === 'insert_after') return [{ op: 'insert', text: a.text || '' }];
  return wordDiff(a.original || '', a.text || '');
}

// A short description of an amendment: "Amendment 4 · replace R2".
export function amendmentTitle(a, paragraphs = []) {
  const p = paragraphs.find((x) => x.pid === a.target);
  return t('amend.title', { id: a.id, kind: t(`amend.kind_${a.kind}`), target: p ? paraLabel(p) : `¶ ${a.target}` });
}

export function statusClass(status) {
  if (['admitted', 'adopted', 'voting'].includes(status)) return 'ok';
  if (['ruled_out', 'rejected', 'outdated'].includes(status)) return 'bad';
  return 'warn';
}

// The id of the live state's open poll, whether it is given as an id or as an object.
export function openPollId(live) {
  const p = live && live.open_poll;
  if (p === null || p === undefined) return null;
  return typeof p === 'object' ? p.id : p;
}
