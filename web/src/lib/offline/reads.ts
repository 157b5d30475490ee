// Pages readable offline: the last answer of a read is kept with the time it was fetched; when
// the network is gone the page shows it, marked "Đồng bộ lúc …".
import { ApiError } from '../api/client';
import * as idb from './db';

interface Stored<T> {
  key: string;
  at: string;
  value: T;
}

/** Whether a failure means "no network" (rather than a refusal the page must show). */
export function isNetworkFailure(e: unknown): boolean {
  return (e instanceof ApiError && (e.status === 0 || e.status >= 500)) || (typeof navigator !== 'undefined' && navigator.onLine === false);
}

/**
 * Fetches with `fetch()` and keeps the answer under `key`; when the network fails, answers the
 * kept copy and calls `stale(at)` with when it was fetched. Without a copy the failure stands.
 */
export async function cachedRead<T>(key: string, fetch: () => Promise<T>, stale: (at: string | null) => void): Promise<T> {
  try {
    // Known to be offline: no doomed request, straight to the kept copy.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new ApiError({ status: 0, code: 'network' });
    const value = await fetch();
    stale(null);
    void idb.put<Stored<T>>('reads', { key, at: new Date().toISOString(), value }).catch(() => undefined);
    return value;
  } catch (e) {
    if (!isNetworkFailure(e)) throw e;
    const kept = await idb.get<Stored<T>>('reads', key).catch(() => undefined);
    if (!kept) throw e;
    stale(kept.at);
    return kept.value;
  }
}
