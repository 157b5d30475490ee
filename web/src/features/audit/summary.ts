// An audit entry's summary as a person reads it: the fields by name, dates as dd/mm/yyyy, yes/no
// for flags, and an update's `[before, after]` pairs as "before → after".

import { formatDate, formatDateTime } from '../../lib/format';

export interface SummaryWords {
  /** The name of a recorded field; its code when it has none. */
  field(code: string): string;
  /** The name of a role code (a `role` field's value). */
  role(code: string): string;
  /** A procedure's time limit in words (`limit`: `[5, "working_days"]` → "5 ngày làm việc"). */
  limit(amount: number, unit: string): string;
  /** How many records a list of ids names ("6 mục"): the ids themselves say nothing to a person. */
  count(n: number): string;
  yes: string;
  no: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Actions whose two-item values are `[before, after]`: updates, a petition's new handler, a corrected rating. */
const PAIRS = new Set(['update', 'assign', 'record_rating']);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ZONED = /(Z|[+-]\d{2}:?\d{2})$/;
/** Fields that hold a list of record ids. */
const IDS = /(_ids|^carried_over)$/;

function clip(text: string, max: number): string {
  return max > 0 && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function value(v: unknown, w: SummaryWords, field = ''): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  if (typeof v === 'string') {
    if (DAY.test(v)) return formatDate(`${v}T00:00:00+07:00`);
    // The server stores instants in UTC; one written without its zone is read as UTC too.
    if (INSTANT.test(v)) return formatDateTime(ZONED.test(v) ? v : `${v}Z`) || v;
    return field === 'role' ? w.role(v) : v;
  }
  if (Array.isArray(v)) {
    if (field === 'limit' && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return w.limit(v[0], v[1]);
    if (IDS.test(field) && v.every((x) => typeof x === 'number')) return w.count(v.length);
    return `[${v.map((x) => value(x, w, field)).join(', ')}]`;
  }
  if (typeof v === 'object') return `{${fields(v as Record<string, unknown>, w, false, 0)}}`;
  return String(v);
}

function fields(o: Record<string, unknown>, w: SummaryWords, pairs: boolean, max: number): string {
  return Object.entries(o)
    .map(([k, v]) => {
      const shown =
        pairs && Array.isArray(v) && v.length === 2 ? `${value(v[0], w, k)} → ${value(v[1], w, k)}` : value(v, w, k);
      return `${w.field(k)}: ${clip(shown, max)}`;
    })
    .join(', ');
}

/**
 * One readable line. Summaries are JSON objects (plain text in older entries); an `update`
 * (and a petition's `assign` and `record_rating`) records each changed field as `[before, after]`. Each value is cut to `max` characters
 * (0 = never), so a browser's user agent does not take over the table.
 */
export function summaryText(summary: unknown, action: string, w: SummaryWords, max = 0): string {
  if (summary === null || summary === undefined) return '';
  if (typeof summary !== 'object') return clip(String(summary), max);
  if (Array.isArray(summary)) return summary.map((s) => summaryText(s, action, w, max)).join(', ');
  return fields(summary as Record<string, unknown>, w, PAIRS.has(action), max);
}
