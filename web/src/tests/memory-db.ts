// An in-memory stand-in for lib/offline/db.ts (IndexedDB), for tests of the outbox and of the
// pages that read it: `vi.mock('../lib/offline/db', () => import('./memory-db'))`.
import type { StoreName } from '../lib/offline/db';

const stores: Record<StoreName, Map<string, unknown>> = { outbox: new Map(), drafts: new Map(), reads: new Map() };
const keyOf = (name: StoreName, value: unknown) => String((value as Record<string, unknown>)[name === 'outbox' ? 'id' : 'key']);

/** Empties every store (call it before each test). */
export function reset(): void {
  for (const s of Object.values(stores)) s.clear();
}

export async function openDb(): Promise<never> {
  throw new Error('memory-db: no IDBDatabase');
}
export async function get<T>(name: StoreName, key: string): Promise<T | undefined> {
  const v = stores[name].get(key);
  return v === undefined ? undefined : ({ ...(v as object) } as T);
}
export async function all<T>(name: StoreName): Promise<T[]> {
  return [...stores[name].values()].map((v) => ({ ...(v as object) }) as T);
}
export async function count(name: StoreName): Promise<number> {
  return stores[name].size;
}
export async function put<T>(name: StoreName, value: T): Promise<void> {
  stores[name].set(keyOf(name, value), { ...(value as object) });
}
export async function del(name: StoreName, key: string): Promise<void> {
  stores[name].delete(key);
}
