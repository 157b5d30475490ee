// Reads a page will want, started before its code has arrived. A page's first answer otherwise
// waits for the chain sign-in → profile → page chunk → request; on a phone network each link is a
// round trip. Knowing the user (the refresh answer names them) is enough to ask for the first page
// of their work while the rest loads. The page then takes the answer already under way, once.

interface Started {
  at: number;
  value: Promise<unknown>;
}

const started = new Map<string, Started>();

/** An answer older than this is not used: the page asks again. */
const FRESH_MS = 15_000;

/** Starts `read` now and keeps its answer under `key` for the page that will want it. */
export function startEarly(key: string, read: () => Promise<unknown>): void {
  const value = read();
  // A failure is the page's to show when it takes the answer (or to ignore if it never does).
  value.catch(() => undefined);
  started.set(key, { at: Date.now(), value });
}

/** The answer started early under `key` (once, while fresh), or a new `read`. */
export function takeEarly<T>(key: string, read: () => Promise<T>): Promise<T> {
  const early = started.get(key);
  started.delete(key);
  return early && Date.now() - early.at < FRESH_MS ? (early.value as Promise<T>) : read();
}
