// English and French. Every string a page shows comes from one catalogue per
// language (web/i18n/en.json, web/i18n/fr.json). Static text is marked in the
// HTML with data-i18n="key" (and data-i18n-placeholder / -label / -title);
// scripts call t(key, vars). Switching language re-applies the catalogue and
// fires a "langchange" event on window so pages redraw what they built.
import { catalogueUrl, fetchCatalogue, LANGS, pickLang, takeEarly } from './early.js';

export { LANGS };
const STORE = 'rapporteur.lang';

let lang = 'en';
let dict = {};
let zone = '';

// The catalogue early.js asked for when the page opened, else a fresh fetch.
async function load(l) {
  const early = takeEarly(catalogueUrl(l));
  const res = (early && (await early.catch(() => null))) || (await fetchCatalogue(l));
  dict = await res.json();
  lang = l;
  document.documentElement.lang = l;
}

// The text of `key` with {name} placeholders filled from `vars`. A missing
// key gives `fallback` when given, else the key itself (visible in tests).
export function t(key, vars = {}, fallback) {
  let s = dict[key];
  if (s === undefined) return fallback !== undefined ? fallback : key;
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function applyI18n(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = title.textContent;
}

export async function setLang(l) {
  if (!LANGS.includes(l)) return;
  await load(l);
  try {
    localStorage.setItem(STORE, l);
  } catch {
    // not kept across reloads then
  }
  // The server-rendered reading view (/s/...) follows the same choice.
  document.cookie = `rapporteur_lang=${l}; Path=/; SameSite=Strict; Max-Age=31536000`;
  applyI18n();
  drawSwitch();
  window.dispatchEvent(new Event('langchange'));
}

function drawSwitch() {
  const box = document.getElementById('lang-switch');
  if (!box) return;
  box.replaceChildren();
  for (const l of LANGS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'lang-btn';
    b.lang = l;
    b.textContent = l === 'en' ? 'English' : 'Français';
    b.setAttribute('aria-pressed', String(l === lang));
    b.addEventListener('click', () => setLang(l));
    box.append(b);
  }
}

// Loads the catalogue and translates the page. Call once, first thing.
export async function initI18n() {
  await load(pickLang());
  applyI18n();
  drawSwitch();
}

// Times are shown in the session's time zone (an IANA name from the session).
export function setTimeZone(tz) {
  zone = tz || '';
}

function format(iso, opts) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  try {
    return new Intl.DateTimeFormat(lang, { ...opts, timeZone: zone || undefined }).format(d);
  } catch {
    // An unknown zone: the RFC 3339 text already carries the session's wall time.
    const wall = String(iso).replace('T', ' ');
    return opts.day ? wall.slice(0, 16) : wall.slice(11, 16);
  }
}

export function fmtTime(iso) {
  return format(iso, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function fmtDateTime(iso) {
  return format(iso, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function fmtDate(yyyyMmDd) {
  if (!yyyyMmDd) return '';
  const [y, m, d] = yyyyMmDd.split('-').map(Number);
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
  } catch {
    return yyyyMmDd;
  }
}

// "mm:ss" (or "h:mm:ss") of a duration; negative durations show 0:00.
export function fmtCountdown(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
