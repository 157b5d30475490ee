// Month grid of the calendar admin screen.
import type { CalendarDay, CalendarOverride, OverrideLevel } from './types';

export interface MonthCell {
  date: string;
  inMonth: boolean;
  day?: CalendarDay;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** First and last day (yyyy-mm-dd) of a month; `month` is 1–12. */
export function monthRange(year: number, month: number): { from: string; to: string } {
  return { from: iso(new Date(Date.UTC(year, month - 1, 1))), to: iso(new Date(Date.UTC(year, month, 0))) };
}

/** The month before or after. */
export function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const d = new Date(Date.UTC(year, month - 1 + by, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/**
 * Weeks of a month from Monday to Sunday (the Vietnamese week), padded with the neighbouring
 * months' days; each cell carries the server's day when there is one.
 */
export function monthGrid(year: number, month: number, days: readonly CalendarDay[]): MonthCell[][] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (first.getUTCDay() + 6) % 7; // Monday = 0
  const start = new Date(Date.UTC(year, month - 1, 1 - offset));
  const weeks: MonthCell[][] = [];
  const cursor = new Date(start);
  do {
    const week: MonthCell[] = [];
    for (let i = 0; i < 7; i++) {
      const date = iso(cursor);
      week.push({ date, inMonth: cursor.getUTCMonth() === month - 1, day: byDate.get(date) });
      cursor.setUTCDate(cursor.getUTCDate() + 1);
    }
    weeks.push(week);
  } while (cursor.getUTCMonth() === month - 1);
  return weeks;
}

/** The years whose Tết days in `days` are provisional (no decision entered yet), ascending. */
export function provisionalYears(days: readonly CalendarDay[]): number[] {
  return [...new Set(days.filter((d) => d.provisional).map((d) => Number(d.date.slice(0, 4))))].sort((a, b) => a - b);
}

const RANK: Record<OverrideLevel, number> = { national: 0, provincial: 1, commune: 2 };

/**
 * The overrides of a period, by date and from the commune's level down, each marked whether it
 * applies (the commune's wins over the province's, which wins over the national one).
 */
export function overridesByLevel(list: readonly CalendarOverride[]): { o: CalendarOverride; applies: boolean }[] {
  const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date) || RANK[b.level] - RANK[a.level]);
  return sorted.map((o, i) => ({ o, applies: i === 0 || sorted[i - 1].date !== o.date }));
}

/** "HH:MM" check for the working-hours form: times in order, morning before afternoon. */
export function hoursValid(h: { morning_start: string; morning_end: string; afternoon_start: string; afternoon_end: string }): boolean {
  const m = (s: string) => {
    const r = /^(\d{2}):(\d{2})$/.exec(s);
    return r && +r[1] < 24 && +r[2] < 60 ? +r[1] * 60 + +r[2] : NaN;
  };
  const v = [h.morning_start, h.morning_end, h.afternoon_start, h.afternoon_end].map(m);
  return v.every((x) => !Number.isNaN(x)) && v[0] < v[1] && v[1] <= v[2] && v[2] < v[3];
}
