// Vietnamese administrative date phrases and small formatting helpers for the one-stop screens.
import { localParts } from '../../lib/days';
import { formatNumber } from '../../lib/format';

const pad = (n: number) => String(n).padStart(2, '0');

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

/** A fee in đồng: 50000 → "50.000 đ" (vi), "50,000 VND" (en); 0 → the free label. */
export function formatFee(amount: number | null | undefined, freeLabel: string, lang: 'vi' | 'en' = 'vi'): string {
  if (amount === null || amount === undefined || amount <= 0) return freeLabel;
  const n = formatNumber(Math.round(amount), lang, 0);
  return lang === 'vi' ? `${n} đ` : `${n} VND`;
}
