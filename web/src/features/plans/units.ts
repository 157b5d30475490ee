import { listUnits } from '../org/api';
import { allPages } from '../../lib/api/pages';
import type { Unit } from '../../lib/api/types';
import { cachedRead } from '../../lib/offline/reads';
import { session } from '../../lib/session.svelte';

let cached: Promise<Unit[]> | null = null;

/** The commune's units (a few dozen), loaded once per session of the page and shared by the screens. */
export function communeUnits(): Promise<Unit[]> {
  // Kept for offline reading too (a task's page names its units with no network).
  cached ??= cachedRead(
    `units:${session.me?.user.id ?? 0}`,
    () => allPages((page) => listUnits({ page, per_page: 100 }), 10),
    () => {},
  ).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** id → name, for showing lead and supporting units. */
export function unitNames(units: readonly Unit[]): Map<number, string> {
  return new Map(units.map((u) => [u.id, u.name]));
}
