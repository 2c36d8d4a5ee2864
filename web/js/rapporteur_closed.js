// When drafting is over (the president moved the session on), the editor
// says so in the person's language, Save is disabled with the reason next
// to it, and the text of the editor stays available: download it as a .md
// file or copy it, to hand it to the secretariat or propose it as an
// amendment.
import { h } from './dom.js';
import { t } from './i18n.js';
import { tell } from './rapporteur_status.js';

const el = (id) => document.getElementById(id);

// The reason Save is off, for phase `phase` (amending, adopted).
export function closedReason(phase) {
  return t('rap.drafting_closed', { phase: t(`phase.${phase}`) });
}

// Shows or hides the "drafting is closed" state of the page.
export function showClosed(phase) {
  const closed = phase !== 'drafting';
  el('closed').hidden = !closed;
  el('save-reason').hidden = !closed;
  el('save').disabled = closed;
  el('new-fragment').hidden = closed;
  for (const id of ['title', 'body', 'note']) el(id).readOnly = closed;
  if (!closed) return;
  const reason = closedReason(phase);
  el('closed-text').textContent = reason;
  el('save-reason').textContent = t('rap.save_closed');
}

// A file name for the fragment's title: letters, digits and dashes.
function fileName(title) {
  const base = String(title || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'fragment'}.md`;
}

// The editor's text as Markdown, its title as the first heading.
function editorMarkdown() {
  const title = el('title').value.trim();
  const body = el('body').value;
  return title ? `# ${title}\n\n${body}` : body;
}

export function download() {
  const blob = new Blob([editorMarkdown()], { type: 'text/markdown;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileName(el('title').value), hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Copies to the clipboard; where the browser refuses, selects the text so
// the person can copy it themselves.
export async function copy() {
  try {
    await navigator.clipboard.writeText(editorMarkdown());
    tell('rap.copied', {}, 'ok');
  } catch {
    const body = el('body');
    body.focus();
    body.select();
    tell('rap.copy_select', {}, 'warn');
  }
}

export function wireClosed() {
  el('download').addEventListener('click', download);
  el('copy').addEventListener('click', copy);
}

