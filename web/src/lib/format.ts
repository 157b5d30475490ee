// Dates are shown dd/mm/yyyy in the commune's time zone whatever the browser's locale or zone.
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

// Made at first use, not when the module loads: a formatter with a time zone costs a weak phone
// ~15 ms (its zone data), and a village head's task list shows no instant at all.
let dateParts: Intl.DateTimeFormat | null = null;

function parts(value: string | number | Date): Record<string, string> | null {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  dateParts ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const out: Record<string, string> = {};
  for (const p of dateParts.formatToParts(d)) out[p.type] = p.value;
  return out;
}

const intlNumbers = new Map<string, Intl.NumberFormat>();

/**
 * A figure as the reader's language writes it, with at most `digits` decimals: "1.234,6" in
 * Vietnamese, "1,234.6" in English. The same as `Intl.NumberFormat('vi-VN' | 'en-GB',
 * { maximumFractionDigits })`, rounding the shortest decimal form half away from zero like it, but
 * without Intl for ordinary numbers: its locale data costs a 4× throttled phone ~50 ms at first
 * use, in the task that draws a home page's cards.
 */
export function formatNumber(value: number, lang: 'vi' | 'en' = 'vi', digits = 1): string {
  const text = String(Math.abs(value));
  if (!Number.isFinite(value) || text.includes('e')) {
    const key = `${lang}:${digits}`;
    let f = intlNumbers.get(key);
    if (!f) {
      f = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits });
      intlNumbers.set(key, f);
    }
    return f.format(value);
  }
  const [whole, decimals = ''] = text.split('.');
  let int = whole;
  let frac = decimals;
  if (frac.length > digits) {
    // Round the first `digits` decimals on the next one, carrying into the whole part.
    // BigInt: a whole part near 10^20 has more digits than a double holds.
    const kept = BigInt(`${int}${frac.slice(0, digits)}`) + BigInt(Number(frac[digits]) >= 5 ? 1 : 0);
    const all = String(kept).padStart(digits + 1, '0');
    int = all.slice(0, all.length - digits);
    frac = digits > 0 ? all.slice(all.length - digits) : '';
  }
  frac = frac.replace(/0+$/, '');
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [group, point] = lang === 'vi' ? ['.', ','] : [',', '.'];
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${frac ? `${point}${frac}` : ''}`;
}

/** dd/mm/yyyy in Asia/Ho_Chi_Minh; '' for a missing or unparsable value. */
export function formatDate(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const p = parts(value);
  return p ? `${p.day}/${p.month}/${p.year}` : '';
}

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const p = parts(value);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '';
}

/**
 * Turns a `yyyy-mm-dd` value of an <input type="date"> into an RFC 3339 instant at the start of
 * that day in the commune's time zone (UTC+7, no DST). With `nextDay`, the start of the day after,
 * which is what an exclusive `to` bound needs to include the whole picked day.
 */
export function dayBoundary(day: string, nextDay = false): string {
  let d = day;
  if (nextDay) {
    const [y, m, dd] = day.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1, dd + 1));
    d = next.toISOString().slice(0, 10);
  }
  return `${d}T00:00:00+07:00`;
}

/**
 * A decimal as people type it: "1,5" (the Vietnamese comma) or "1.5"; no grouping. `null` for
 * nothing typed, `NaN` for text that is not such a number ("1,5,0", "abc", "1.000,5").
 */
export function parseDecimal(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  return /^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(s) ? Number(s.replace(',', '.')) : NaN;
}

/** A number as a decimal input shows it: a comma in Vietnamese, a point in English, no grouping. */
export function decimalText(value: number, lang: 'vi' | 'en' = 'vi'): string {
  const s = String(value);
  return lang === 'vi' ? s.replace('.', ',') : s;
}

/**
 * The kinds of period a disclosure is made for, each a message of the page's dictionary (a quarter
 * each: Vietnamese writes them I–IV, English 1–4).
 */
export type PeriodKind = 'year' | 'h1' | 'h2' | 'q1' | 'q2' | 'q3' | 'q4' | 'month';
/** Says one kind of period with its parts: `year`, and `n` the month's number. */
export type PeriodSay = (kind: PeriodKind, parts: Record<'year' | 'n', string>) => string;

/**
 * A period code as people read it: the server's `2026` (year), `2026-H1`/`2026-H2` (halves),
 * `2026-Q3` (quarters; democracy/disclosures/rules.rs) and `2026-03` (a month) → "Năm 2026",
 * "6 tháng đầu năm 2026", "Quý III/2026", "Tháng 3/2026" with the Vietnamese dictionary's words.
 * A code of another shape is shown as it is; none → ''.
 */
export function periodText(code: string | null | undefined, say: PeriodSay): string {
  const c = (code ?? '').trim();
  if (!c) return '';
  const m = /^(\d{4})(?:-(?:([HhQq])(\d)|(\d{1,2})))?$/.exec(c);
  if (!m) return c;
  const [, year, letter, digit, month] = m;
  const parts = { year, n: '' };
  if (letter) {
    const n = Number(digit);
    if (letter.toUpperCase() === 'H') return n === 1 || n === 2 ? say(n === 1 ? 'h1' : 'h2', parts) : c;
    return n >= 1 && n <= 4 ? say(`q${n as 1 | 2 | 3 | 4}`, parts) : c;
  }
  if (month) {
    const n = Number(month);
    return n >= 1 && n <= 12 ? say('month', { year, n: String(n) }) : c;
  }
  return say('year', parts);
}
