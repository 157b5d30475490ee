// What a village head's phone keeps of the notices to relay, for the village where the network
// often is not (docs/offline.md §3): the list as it opens, and each notice whole. The list page
// and the warm-up (features/offline/warm.ts) build the list's query and key here, so the warm-up
// keeps exactly what the page asks for.
import { allPages } from '../../lib/api/pages';
import { whenIdle } from '../../lib/idle';
import { cachedRead } from '../../lib/offline/reads';
import { disclosureKey, getDisclosure, listDisclosures } from './api';

/** Notices per page of the list. */
export const PER_PAGE = 30;
/** The most pages of notices still to relay the warm-up reads (300 notices). */
const MAX_RELAY_PAGES = 10;

/** The list's filters (kept in the address: `/disclosures?status=current&unrelayed=true`). */
export type ListFilters = { page: number; q: string; status: string; unrelayed: boolean };

/** The filters the list opens with: a village head's opens on what the village has to announce. */
export const listDefaults = (role: string | undefined): ListFilters => ({ page: 1, q: '', status: '', unrelayed: role === 'village' });

/** What the list asks the server for with these filters, and where a village head's phone keeps it. */
export function disclosureList(userId: number, f: ListFilters) {
  const query = { page: f.page, per_page: PER_PAGE, q: f.q.trim() || undefined, status: f.status || undefined, unrelayed: f.unrelayed || undefined };
  return { query, key: `disclosures:${userId}:${JSON.stringify(query)}` };
}

/** A page of the list as a village head reads it: kept for reading offline (`cachedRead`). */
export function readDisclosures(userId: number, f: ListFilters, stale: (at: string | null) => void) {
  const { query, key } = disclosureList(userId, f);
  return cachedRead(key, () => listDisclosures(query), stale);
}

/** What a village head's list opens on: the notices their village has still to confirm. */
const TO_RELAY = listDefaults('village');

/**
 * What the warm-up keeps for a village head: every page of the notices the village has still to
 * confirm, as the list keeps its pages (the first is the page the list opens on), and each of
 * those notices whole. `stopped` ends it early.
 */
export async function keepForVillage(userId: number, stopped = () => false): Promise<void> {
  const relay = await allPages((page) => readDisclosures(userId, { ...TO_RELAY, page }, () => {}), MAX_RELAY_PAGES);
  await keepNotices(userId, relay, new Set(), stopped);
}

/**
 * Keeps each of these notices whole for reading offline, one at a time when the phone is idle.
 * `kept` holds the ids already kept (a failed one is let go, to be tried again); `stopped` ends
 * the loop early. Answers whether every one of them is kept.
 */
export async function keepNotices(userId: number, items: { id: number }[], kept: Set<number>, stopped = () => false): Promise<boolean> {
  for (const item of items) {
    if (kept.has(item.id)) continue;
    await whenIdle();
    if (stopped()) return false;
    kept.add(item.id);
    await cachedRead(disclosureKey(userId, item.id), () => getDisclosure(item.id), () => {}).catch(() => kept.delete(item.id));
  }
  return !stopped() && items.every((item) => kept.has(item.id));
}
