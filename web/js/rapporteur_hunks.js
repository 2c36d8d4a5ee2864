// A diff shown as its changed places only: unchanged text between two
// changes is cut down to a few lines of context on each side, and what is
// left out is named ("12 unchanged lines"). On a phone the conflict view then
// shows where the two versions differ, not the whole fragment twice.
import { h } from './dom.js';
import { t } from './i18n.js';

const CONTEXT_LINES = 2;

// Splits an unchanged stretch into [kept head, hidden line count, kept tail].
// keepHead: it follows a change (keep the rest of that line and some lines);
// keepTail: it precedes one (keep some lines and the start of that line).
export function cutEqual(text, keepHead, keepTail, context = CONTEXT_LINES) {
  const lines = text.split('\n');
  const head = keepHead ? context + 1 : 0;
  const tail = keepTail ? context + 1 : 0;
  const hidden = lines.length - head - tail;
  // Hiding a line or two saves nothing: the marker takes a line too.
  if (hidden <= 2) return [text, 0, ''];
  return [lines.slice(0, head).join('\n'), hidden, lines.slice(lines.length - tail).join('\n')];
}

// Hunks ([{op, text}] or {hunks}) as a <div class="diff-box"> with a legend,
// only the changes and their context. Text goes in as text nodes.
export function renderHunks(hunks) {
  const list = Array.isArray(hunks) ? hunks : (hunks && hunks.hunks) || [];
  const box = h('div', { class: 'diff' });
  const gap = (n) => h('span', { class: 'diff-gap', text: t('rap.lines_hidden', { n }) });
  const changed = list.some((hk) => hk.op === 'insert' || hk.op === 'delete');
  list.forEach((hk, i) => {
    const text = hk.text ?? '';
    if (hk.op === 'insert') box.append(h('ins', { text }));
    else if (hk.op === 'delete') box.append(h('del', { text }));
    else if (!changed) box.append(document.createTextNode(text));
    else {
      const [head, hidden, tail] = cutEqual(text, i > 0, i < list.length - 1);
      if (head) box.append(document.createTextNode(head));
      if (hidden) box.append(gap(hidden));
      if (tail) box.append(document.createTextNode(tail));
    }
  });
  if (!changed) {
    box.replaceChildren(h('span', { class: 'muted', text: t('diff.none') }));
  }
  const legend = h('p', { class: 'diff-legend' }, h('del', { text: t('diff.deleted') }), ' ', h('ins', { text: t('diff.inserted') }));
  return h('div', { class: 'diff-box' }, legend, box);
}
