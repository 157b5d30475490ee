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

/** The notices a village has still to confirm (`unrelayed`: for a village head, their village). */
const TO_RELAY: ListFilters = { page: 1, q: '', status: '', unrelayed: true };

/**
 * What the warm-up keeps for a village head: the list as its page opens, every page of the
 * notices the village has still to confirm (kept as the list keeps its pages), and each of
 * those notices whole — whatever the list shows. The page opens on the first page of those to
 * confirm, so that read is made once. `stopped` ends it early.
 */
export async function keepForVillage(userId: number, stopped = () => false): Promise<void> {
  const opens = listDefaults('village');
  const relay = await allPages((page) => readDisclosures(userId, { ...TO_RELAY, page }, () => {}), MAX_RELAY_PAGES);
  const sameRead = disclosureList(userId, opens).key === disclosureList(userId, TO_RELAY).key;
  const shown = sameRead ? [] : (await readDisclosures(userId, opens, () => {})).items;
  await keepNotices(userId, [...relay, ...shown], new Set(), stopped);
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
