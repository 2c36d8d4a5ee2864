// The offline app shell: the role pages register the service worker
// (/sw.js), which keeps the static files of the pages (HTML, scripts, CSS,
// catalogues) so that a reload without network still shows the page. It
// never keeps an API answer; what a page needs from the server to start
// again offline it keeps itself, in this tab's sessionStorage.

const SHELL = '/sw.js';
const SCOPE = '/app/';

// Registers the worker and hands it the static files this page loaded (the
// first load happens before the worker runs, so they did not pass through
// it). Browsers without service workers, or on plain HTTP off the loopback,
// simply go without.
export function registerShell() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext || !location.pathname.startsWith(SCOPE)) return;
  // After the page has loaded, so that the worker's fetches do not slow it.
  const loaded = new Promise((ok) => (document.readyState === 'complete' ? ok() : addEventListener('load', ok, { once: true })));
  loaded
    .then(() => navigator.serviceWorker.register(SHELL, { scope: SCOPE }))
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => {
      const files = performance.getEntriesByType('resource').map((e) => e.name);
      const urls = [location.pathname, '/i18n/en.json', '/i18n/fr.json', ...files];
      if (reg.active) reg.active.postMessage({ type: 'keep-shell', urls });
    })
    .catch(() => {
      // No offline shell then; the page works as before.
    });
}

// `get` (api.js) whose answers this tab keeps in sessionStorage, and gives
// back when the network fails: a page reloaded offline can still start.
// Only the page itself keeps them, for the tab's life; never the worker.
export function keptGet(get) {
  return async (path) => {
    const key = `rapporteur.kept.${path}`;
    try {
      const data = await get(path);
      try {
        sessionStorage.setItem(key, JSON.stringify(data));
      } catch {
        // storage full or off: an offline reload shows the network error instead
      }
      return data;
    } catch (e) {
      if (e.code !== 'network') throw e;
      let kept = null;
      try {
        kept = JSON.parse(sessionStorage.getItem(key) || 'null');
      } catch {
        kept = null;
      }
      if (kept === null) throw e;
      return kept;
    }
  };
}
