// The commune's calendar days: instants read on the wall clock of Asia/Ho_Chi_Minh, and yyyy-mm-dd
// day arithmetic. Shared by the features that pick or show days (one-stop, calendar).
import { TIME_ZONE } from './format';

// Made at first use, not when the module loads: this module is in the pages' shared chunk, and a
// formatter with a time zone costs ~60 ms of a 4× throttled phone (its zone data), which pages
// that show no instant — the village head's tasks — paid while drawing.
let ymdhm: Intl.DateTimeFormat | null = null;

/** The wall-clock parts of an instant in Asia/Ho_Chi_Minh, or null when it does not parse. */
export function localParts(value: string | Date | null | undefined): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const p: Record<string, string> = {};
  ymdhm ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const part of ymdhm.formatToParts(d)) p[part.type] = part.value;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** yyyy-mm-dd of the commune's calendar day that contains the instant (for date inputs and API filters). */
export function localDay(value: string | Date = new Date()): string {
  const p = localParts(value);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : '';
}

/** The day after a yyyy-mm-dd day. */
export function nextDay(day: string, by = 1): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
}
