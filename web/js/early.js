// The first requests of a page, sent as soon as this small module arrives
// instead of one after another once every script has loaded: on a slow
// network (300 ms a round trip) each request that waits for the one before
// it costs the phone a third of a second.
//
// A page lists them in its head,
//   <meta name="rapporteur-early" content="/api/v1/me /api/v1/sessions/{session}/live">
//   <script type="module" async src="/js/early.js"></script>
// ({session} is the page's ?session=; a path naming it is skipped without
// one), and always gets the language catalogue. api.js and i18n.js take an
// answer from here once, if it was asked for a moment ago, else fetch as
// usual; a failed early request is simply asked again. Nothing here imports
// another module, so it runs before the rest of the page's scripts arrive.
export const LANGS = ['en', 'fr'];
const STORE = 'rapporteur.lang';
// An early answer older than this is not used: the page asks afresh.
const FRESH_MS = 10000;

// The page's language: ?lang=, then the choice kept in this browser (local
// storage, or the cookie the reading view shares), then the browser's own.
export function pickLang() {
  const q = new URLSearchParams(location.search).get('lang');
  if (LANGS.includes(q)) return q;
  try {
    const saved = localStorage.getItem(STORE);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // storage may be disabled; fall through
  }
  const cookie = document.cookie.match(/(?:^|;\s*)rapporteur_lang=(\w+)/);
  if (cookie && LANGS.includes(cookie[1])) return cookie[1];
  return (navigator.language || '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

// The catalogue of a language, and how i18n.js fetches it (cached, and
// revalidated by its ETag).
export const catalogueUrl = (lang) => `/i18n/${lang}.json`;
export const fetchCatalogue = (lang) => fetch(catalogueUrl(lang), { credentials: 'same-origin' });

// The request api.js makes for a GET.
export function fetchApi(path) {
  return fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
}

const pending = new Map();  // path -> {at, response: Promise<Response>}

function start(path, request) {
  if (pending.has(path)) return;
  const response = request();
  response.catch(() => {});  // a failure is seen, and retried, by the taker
  pending.set(path, { at: performance.now(), response });
}

// The early answer to a GET of `path` (a Promise<Response>), or null when
// none was asked for or it is stale. Each answer is given out once.
export function takeEarly(path) {
  const e = pending.get(path);
  if (!e) return null;
  pending.delete(path);
  return performance.now() - e.at <= FRESH_MS ? e.response : null;
}

const meta = document.querySelector('meta[name="rapporteur-early"]');
const session = new URLSearchParams(location.search).get('session') || '';
const lang = pickLang();
start(catalogueUrl(lang), () => fetchCatalogue(lang));
for (const path of (meta ? meta.content : '').split(/\s+/).filter(Boolean)) {
  if (path.includes('{session}') && !session) continue;
  const url = path.split('{session}').join(encodeURIComponent(session));
  start(url, () => fetchApi(url));
}
