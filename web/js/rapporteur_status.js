// The rapporteur page's status line (#status), kept in the person's
// language: each message is remembered as the way to write it, not as text,
// and written again when the language changes.
import { say } from './dom.js';
import { t } from './i18n.js';

let last = null;  // () => [message, kind]

function draw() {
  if (!last) return;
  const [message, kind] = last();
  say(document.getElementById('status'), message, kind);
}

// tell('rap.saved', {v: 3}, 'ok'), or tell(() => text, 'warn') for a message
// built from several keys.
export function tell(key, vars = {}, kind = 'info') {
  last = typeof key === 'function' ? () => [key(), vars] : () => [t(key, vars), kind];
  draw();
}

// An API error (its display is written in the person's language, then the
// server's own words).
export function tellError(e) {
  last = () => [e && e.display ? e.display : String(e), 'error'];
  draw();
}

// Runs `fn` with the button disabled; an error goes to the status line.
export async function attempt(button, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } catch (e) {
    tellError(e);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

window.addEventListener('langchange', draw);
