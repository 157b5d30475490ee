// Registers the service worker (dist/sw.js, built by scripts/pwa.mjs) in production builds, so
// a reload without a network opens the app from its cache.
import { whenIdle } from '../idle';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  // Once the page is loaded and the phone idle: installing copies the whole app into the cache
  // (about 360 KB on the wire), which on a weak 3G line would otherwise share it with the
  // first page's own requests.
  void whenIdle(5000).then(() => navigator.serviceWorker.register('/sw.js')).catch(() => undefined);
}
