// The offline app shell of the role pages (registered by web/js/offline.js
// with the scope /app/). It keeps the static files only: the pages under
// /app/, the scripts under /js/, the stylesheets under /css/ and the two
// catalogues under /i18n/. Network first, so a deploy is picked up as soon
// as the server answers; the kept copy only when the network fails.
//
// Everything else (the API, join links, the event stream, the public reading
// view, any request that is not a GET) is left alone: the worker does not
// answer it, so the browser fetches it as if there were no worker, and
// nothing that depends on who is signed in is ever kept.
const CACHE = 'rapporteur-shell-v1';

function isShell(url) {
  if (url.origin !== self.location.origin) return false;
  const p = url.pathname;
  return /^\/app\/[a-z0-9_-]+\.html$/.test(p) || /^\/js\/[a-z0-9_-]+\.js$/.test(p) ||
    /^\/css\/[a-z0-9_-]+\.css$/.test(p) || /^\/i18n\/[a-z]{2}\.json$/.test(p);
}

// One copy per file: the query (?session=...) does not change a static file.
const keyOf = (url) => url.origin + url.pathname;

async function keep(cache, url, res) {
  if (res.ok && res.type === 'basic' && !res.redirected) await cache.put(keyOf(url), res);
}

async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    await keep(cache, url, res.clone());
    return res;
  } catch (e) {
    const kept = await cache.match(keyOf(url));
    if (kept) return kept;
    throw e;
  }
}

self.addEventListener('install', (ev) => {
  self.skipWaiting();
  // Where the browser has static routes, API requests (the live polls every
  // second and a half, saves, the event stream) go straight to the network
  // without even waking the worker. Elsewhere the fetch handler below lets
  // them pass untouched.
  if (typeof ev.addRoutes === 'function' && typeof URLPattern === 'function') {
    ev.waitUntil(ev.addRoutes([{ condition: { urlPattern: new URLPattern({ pathname: '/api/*' }) }, source: 'network' }])
      .catch(() => {}));
  }
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (ev) => {
  const { request } = ev;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!isShell(url)) return;
  ev.respondWith(networkFirst(request, url));
});

// A page names the static files it loaded before the worker ran; those not
// kept yet are fetched once (the worker keeps later loads itself).
self.addEventListener('message', (ev) => {
  const urls = ev.data && ev.data.type === 'keep-shell' && Array.isArray(ev.data.urls) ? ev.data.urls : [];
  ev.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(urls.slice(0, 100).map(async (u) => {
      let url;
      try {
        url = new URL(String(u), self.location.origin);
      } catch {
        return;
      }
      if (!isShell(url) || await cache.match(keyOf(url))) return;
      try {
        await keep(cache, url, await fetch(url.pathname, { credentials: 'same-origin', cache: 'no-cache' }));
      } catch {
        // unreachable now: kept on its next fetch through the worker
      }
    }));
  })());
});
