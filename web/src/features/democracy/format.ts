// Small display helpers of the democracy pages (pure, unit-tested).

/** `2026-03-05` → `05/03/2026`. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Today in the commune's time (UTC+7), as `YYYY-MM-DD`. */
export function todayInCommune(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The state a village's row shows: relayed (green), overdue (red) or waiting. */
export function villageState(v: { relay?: unknown | null; overdue: boolean }): 'relayed' | 'overdue' | 'waiting' {
  if (v.relay) return 'relayed';
  return v.overdue ? 'overdue' : 'waiting';
}
