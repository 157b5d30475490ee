import { normalizePath } from './match';

function current() {
  const loc = globalThis.location;
  return { path: normalizePath(loc?.pathname ?? '/'), search: loc?.search ?? '' };
}

/** The current location; reading it in a component makes the component follow navigation. */
export const route = $state(current());

function sync() {
  const c = current();
  route.path = c.path;
  route.search = c.search;
}

/** Goes to an in-app path through the History API (no page load). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, location.href);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (target === location.pathname + location.search + location.hash) return;
  if (opts.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  sync();
  if (!opts.replace) window.scrollTo?.(0, 0);
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(route.search).get(name);
}

/**
 * Routes clicks on same-origin <a href> through `navigate`, so ordinary links work as SPA links
 * while keeping middle-click, modifier keys, downloads and target=_blank native.
 */
export function startRouter(): () => void {
  const onPop = () => sync();
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !a.href || a.hasAttribute('download') || (a.target && a.target !== '_self')) return;
    if (a.getAttribute('rel')?.includes('external')) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin) return;
    // Server-owned paths must reach the server.
    if (/^\/(api|healthz|readyz)(\/|$)/.test(url.pathname)) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  window.addEventListener('popstate', onPop);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', onPop);
    document.removeEventListener('click', onClick);
  };
}
