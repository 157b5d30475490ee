// Vietnamese administrative date phrases and small formatting helpers for the one-stop screens.
import { TIME_ZONE } from '../../lib/format';

const ymdhm = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

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

/** "09 giờ 30 phút, ngày 05/11/2026": how a receipt writes an appointment. */
export function appointmentPhrase(value: string | Date | null | undefined): string {
  const p = localParts(value);
  if (!p) return '';
  return `${pad(p.hour)} giờ ${pad(p.minute)} phút, ngày ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/**
 * The value of an <input type="datetime-local"> (yyyy-mm-ddTHH:mm, wall time in the commune) as
 * RFC 3339 with the commune's offset; '' for an empty input.
 */
export function localInputToRfc3339(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return '';
  return `${m[1]}T${m[2]}:${m[3] ?? '00'}+07:00`;
}

/** A fee in đồng with Vietnamese digit grouping: 50000 → "50.000 đ"; 0 → the free label. */
export function formatFee(amount: number | null | undefined, freeLabel: string): string {
  if (amount === null || amount === undefined || amount <= 0) return freeLabel;
  return `${Math.round(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đ`;
}
