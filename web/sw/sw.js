// Service worker of Thân Thiện, written by hand (docs/offline.md). `scripts/pwa.mjs` copies it
// to dist/sw.js at build time, filling in VERSION (a hash of the files it lists) and PRECACHE
// (the app shell, the citizen entry, every built chunk, the icons).
//
// - Pages (navigations): the network first, so an update shows at once; with no network the
//   cached shell (index.html, or public.html for the citizen pages) — a reload in a village
//   with no signal opens the app.
// - Built files (/assets/…, hashed names): the cache first; they never change.
// - The API is never cached here: the app keeps what it reads in IndexedDB itself, marked with
//   when it was synced, and the outbox lives in IndexedDB too.
// - Versioned caches `tt-shell-<VERSION>`: a new version installs beside the old one and, once
//   active, deletes the older `tt-shell-*` caches only. IndexedDB (queued work, drafts) is
//   never touched by an update.
/* global self, caches, fetch, URL, Response */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `tt-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tt-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** Paths the server answers with the citizen entry (api/src/http/spa.rs `is_citizen_path`). */
function isCitizenPath(path) {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  return (parts.length === 1 && (parts[0] === 'thu-tuc' || parts[0] === 'tra-cuu')) || (parts.length === 2 && parts[0] === 'tra-cuu');
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/readyz') return;

  if (req.mode === 'navigate') {
    const shell = isCitizenPath(url.pathname) ? '/public.html' : '/index.html';
    event.respondWith(
      fetch(req).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match(shell))
          .then((hit) => hit || new Response('Không có mạng / Offline', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })),
      ),
    );
    return;
  }

  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok && url.pathname.startsWith('/assets/')) void cache.put(req, res.clone());
            return res;
          }),
      ),
    ),
  );
});
