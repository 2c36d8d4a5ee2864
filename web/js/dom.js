// DOM helpers shared by the pages. Text always goes in as text nodes:
// nothing a person typed is ever parsed as HTML.
import { t } from './i18n.js';

// h('button', {class: 'primary', onclick: fn, 'aria-label': '...'}, 'text', child, ...)
// Attribute `text` sets textContent; `on<event>` adds a listener; `dataset`
// is an object; boolean attributes accept true/false; null/undefined skip.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// fill() for a list that is redrawn on every change in the session while
// someone may be typing in it: what was typed into its fields (inputs and
// textareas with an id) is put back into the new fields of the same id, and
// the field that had the focus gets it back with its caret. A field counts
// as typed in once an input event came from it.
export function fillKeeping(el, ...children) {
  if (!('keeps' in el.dataset)) {
    el.addEventListener('input', (ev) => { if (ev.target.id) ev.target.dataset.typed = ''; });
    el.dataset.keeps = '';
  }
  const typed = [...el.querySelectorAll('[data-typed]')].map((f) => [f.id, f.value]);
  const active = el.contains(document.activeElement) ? document.activeElement : null;
  const caret = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
  fill(el, ...children);
  const byId = (id) => el.querySelector(`#${CSS.escape(id)}`);
  for (const [id, value] of typed) {
    const field = byId(id);
    if (!field) continue;
    field.value = value;
    field.dataset.typed = '';
  }
  const again = active && active.id ? byId(active.id) : null;
  if (again) {
    again.focus();
    if (caret && typeof again.setSelectionRange === 'function') {
      try { again.setSelectionRange(...caret); } catch { /* a field type without a caret */ }
    }
  }
  return el;
}

// THE ONLY PLACE A PAGE SETS innerHTML. `html` must be an `html` field of an
// API answer: Markdown rendered by the server with cmark in safe mode (raw
// HTML and unsafe link schemes already removed). Never pass anything else,
// and never text a person typed.
export function setServerHtml(el, html) {
  el.innerHTML = html;  // server-rendered, sanitised Markdown only (see above)
  return el;
}

// A status line (role=status) for outcomes and errors.
export function say(el, message, kind = 'info') {
  if (!el) return;
  el.textContent = message;
  el.dataset.kind = kind;
}

// Runs `fn` with the button disabled; reports an error in `status`.
export async function busy(button, status, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } catch (e) {
    say(status, e && e.display ? e.display : String(e), 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// Word-level diff of two texts (longest common subsequence of words and the
// spaces between them): [{op: 'equal'|'insert'|'delete', text}], the shape of
// the server's diff hunks. Used for previews before sending.
export function wordDiff(a, b) {
  const split = (s) => String(s || '').match(/\s+|[^\s]+/g) || [];
  const x = split(a);
  const y = split(b);
  // Common prefix and suffix first: most edits are local.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const xs = x.slice(start, endX);
  const ys = y.slice(start, endY);
  const out = [];
  const push = (op, text) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  push('equal', x.slice(0, start).join(''));
  if (xs.length * ys.length > 4e6) {
    // Too large for the table: show it as a whole replacement.
    push('delete', xs.join(''));
    push('insert', ys.join(''));
  } else {
    const w = ys.length + 1;
    const lcs = new Uint32Array((xs.length + 1) * w);
    for (let i = xs.length - 1; i >= 0; i--) {
      for (let j = ys.length - 1; j >= 0; j--) {
        lcs[i * w + j] = xs[i] === ys[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < xs.length || j < ys.length) {
      if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
        push('equal', xs[i++]);
        j++;
      } else if (j < ys.length && (i === xs.length || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
        push('insert', ys[j++]);
      } else {
        push('delete', xs[i++]);
      }
    }
  }
  push('equal', x.slice(endX).join(''));
  return out;
}

// Diff hunks as a <div class="diff">: <ins>/<del>/text, built with text nodes.
// Accepts an array of hunks or an object with a `hunks` array.
export function renderDiff(hunks) {
  const list = Array.isArray(hunks) ? hunks : (hunks && hunks.hunks) || [];
  const box = h('div', { class: 'diff' });
  for (const hk of list) {
    const text = hk.text ?? '';
    if (hk.op === 'insert') box.append(h('ins', { text }));
    else if (hk.op === 'delete') box.append(h('del', { text }));
    else box.append(document.createTextNode(text));
  }
  if (!list.length) box.append(h('span', { class: 'muted', text: t('diff.none') }));
  const legend = h('p', { class: 'diff-legend' }, h('del', { text: t('diff.deleted') }), ' ', h('ins', { text: t('diff.inserted') }));
  return h('div', { class: 'diff-box' }, legend, box);
}

// Shows the page's top-level error (no session, not signed in, ...).
export function fatal(message) {
  const main = document.querySelector('main') || document.body;
  fill(main, h('div', { class: 'card error', role: 'alert' }, h('p', { text: message })));
}
