// The oversight page's arithmetic, without Svelte or the network: periods, sums and the rows.
import type { CommuneDemocracyCounts, CommuneSatisfaction, PetitionFigures } from './api';

/** The longest period the survey and petition figures answer (the server refuses more: 422). */
export const MAX_DAYS = 800;

/** This year so far: the page's period when the address names none. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** What is wrong with a period, or null: a day missing or malformed, reversed, or too long. */
export function periodProblem(from: string, to: string): 'missing' | 'order' | 'too_long' | null {
  if (!isDay(from) || !isDay(to)) return 'missing';
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) return 'order';
  return days > MAX_DAYS ? 'too_long' : null;
}

/** A commune's (or all communes') petition and reception figures, the kinds summed. */
export interface PetitionSums {
  received: number;
  settled: number;
  /** Of `settled`, those with a legal time limit: only they can be on time or late. */
  settled_with_time_limit: number;
  settled_on_time: number;
  overdue_open: number;
  sessions_held: number;
  sessions_required: number;
}

export function petitionSums(f: PetitionFigures): PetitionSums {
  const sum = (k: 'received' | 'settled' | 'settled_with_time_limit' | 'settled_on_time' | 'overdue_open') =>
    f.by_kind.reduce((n, x) => n + x[k], 0);
  return {
    received: sum('received'),
    settled: sum('settled'),
    settled_with_time_limit: sum('settled_with_time_limit'),
    settled_on_time: sum('settled_on_time'),
    overdue_open: sum('overdue_open'),
    sessions_held: f.sessions_held,
    sessions_required: f.sessions_required,
  };
}

export type DemocracyCounts = Omit<CommuneDemocracyCounts, 'commune_id' | 'commune_name'>;

/** The democracy lines added up; a share has no sum (its weights are not given), so the total has none. */
export function democracyTotal(rows: readonly CommuneDemocracyCounts[]): DemocracyCounts {
  const add = (k: keyof Omit<DemocracyCounts, 'relay_on_time_share'>) => rows.reduce((n, r) => n + r[k], 0);
  return {
    disclosures: add('disclosures'),
    with_warnings: add('with_warnings'),
    relay_on_time_share: rows.length === 1 ? (rows[0].relay_on_time_share ?? null) : null,
    periodic_overdue: add('periodic_overdue'),
    activities: add('activities'),
    people_reached: add('people_reached'),
    meetings: add('meetings'),
    decisions_due: add('decisions_due'),
    decisions_done_on_time: add('decisions_done_on_time'),
    recommendations: add('recommendations'),
    recommendations_answered: add('recommendations_answered'),
  };
}

/** One commune's line of the page: what each source says of it (absent: that source has no line). */
export interface CommuneRow {
  id: number;
  name: string;
  satisfaction: CommuneSatisfaction | null;
  petitions: PetitionSums | null;
  democracy: DemocracyCounts | null;
}

/** The communes in the order the province lists them, each with its figures. */
export function communeRows(
  communes: readonly { id: number; name: string }[],
  satisfaction: readonly CommuneSatisfaction[],
  democracy: readonly CommuneDemocracyCounts[],
  petitions: ReadonlyMap<number, PetitionSums>,
): CommuneRow[] {
  return communes.map((c) => ({
    id: c.id,
    name: c.name,
    satisfaction: satisfaction.find((s) => s.commune_id === c.id) ?? null,
    petitions: petitions.get(c.id) ?? null,
    democracy: democracy.find((d) => d.commune_id === c.id) ?? null,
  }));
}
