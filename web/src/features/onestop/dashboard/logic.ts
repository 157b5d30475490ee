// Rules of the one-stop dashboard that need no DOM: periods and their dates, the address-bar
// query of a view, the order of the procedure table, target progress, number formatting.
import type { Lang } from '../../../i18n/index.svelte';
import type { IndicatorRow, Target } from '../stats';

export type PeriodKind = 'year' | 'quarter' | 'month' | 'custom';
export const PERIOD_KINDS: readonly PeriodKind[] = ['year', 'quarter', 'month', 'custom'];

/**
 * A reporting period as the person picked it: a year, a quarter (`n` 1–4) or a month (`n` 1–12)
 * of `year`, or a custom range of local days (`from`, `to`, inclusive).
 */
export interface Period {
  kind: PeriodKind;
  year: number;
  n: number;
  from: string;
  to: string;
}

export interface DayRange {
  from: string;
  to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** yyyy-mm-dd of a UTC calendar date (no time zone involved). */
function ymd(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Whether `s` is a real yyyy-mm-dd day (not 2026-02-30). */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  return ymd(+m[1], +m[2], +m[3]) === s;
}

/** The last day of a month. */
export function lastDayOfMonth(year: number, month: number): string {
  return ymd(year, month + 1, 0);
}

/** `2026-03` → 1 to 31 March 2026. */
export function monthRange(month: string): DayRange {
  const [y, m] = month.split('-').map(Number);
  return { from: ymd(y, m, 1), to: lastDayOfMonth(y, m) };
}

/** The current year to date: what the dashboard opens on. */
export function defaultPeriod(today: string): Period {
  return { kind: 'year', year: Number(today.slice(0, 4)), n: 1, from: '', to: '' };
}

/**
 * The first and last local day of a period. A period that has started but not ended stops at
 * `today` (year, quarter or month to date); one wholly in the past or the future is whole.
 */
export function periodRange(p: Period, today: string): DayRange {
  let from: string;
  let to: string;
  switch (p.kind) {
    case 'year':
      from = ymd(p.year, 1, 1);
      to = ymd(p.year, 12, 31);
      break;
    case 'quarter':
      from = ymd(p.year, (p.n - 1) * 3 + 1, 1);
      to = lastDayOfMonth(p.year, p.n * 3);
      break;
    case 'month':
      from = ymd(p.year, p.n, 1);
      to = lastDayOfMonth(p.year, p.n);
      break;
    default:
      return p.from <= p.to ? { from: p.from, to: p.to } : { from: p.to, to: p.from };
  }
  if (from <= today && today < to) to = today;
  return { from, to };
}

function int(v: string | null, min: number, max: number): number | null {
  if (v === null || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/** What the dashboard shows: a period and, for oversight, one commune (null = all, summed). */
export interface DashboardView {
  period: Period;
  commune: number | null;
}

/**
 * The view from the address bar (`?period=quarter&year=2026&n=3&commune=5`); anything that does
 * not parse falls back to the current year to date, so a mangled link still opens.
 */
export function viewFromQuery(params: URLSearchParams, today: string): DashboardView {
  const fallback = defaultPeriod(today);
  const commune = int(params.get('commune'), 1, Number.MAX_SAFE_INTEGER);
  const kind = params.get('period') as PeriodKind | null;
  const year = int(params.get('year'), 2000, 2100) ?? fallback.year;
  let period = fallback;
  if (kind === 'year') period = { ...fallback, kind, year };
  else if (kind === 'quarter' || kind === 'month') {
    const n = int(params.get('n'), 1, kind === 'quarter' ? 4 : 12);
    if (n !== null) period = { ...fallback, kind, year, n };
  } else if (kind === 'custom') {
    const from = params.get('from') ?? '';
    const to = params.get('to') ?? '';
    if (isDay(from) && isDay(to)) period = { ...fallback, kind, from: from <= to ? from : to, to: from <= to ? to : from };
  }
  return { period, commune };
}

/** The address-bar query of a view; the inverse of `viewFromQuery`. */
export function viewToQuery(v: DashboardView): string {
  const p = new URLSearchParams();
  const { period } = v;
  p.set('period', period.kind);
  if (period.kind === 'custom') {
    p.set('from', period.from);
    p.set('to', period.to);
  } else {
    p.set('year', String(period.year));
    if (period.kind !== 'year') p.set('n', String(period.n));
  }
  if (v.commune !== null) p.set('commune', String(v.commune));
  return `?${p.toString()}`;
}

/** Turns a period into another kind around the same time (the picker's kind select). */
export function switchKind(p: Period, kind: PeriodKind, today: string): Period {
  const range = periodRange(p, today);
  const anchor = range.to < today ? range.to : today;
  const year = Number(anchor.slice(0, 4));
  const month = Number(anchor.slice(5, 7));
  switch (kind) {
    case 'year':
      return { ...p, kind, year };
    case 'quarter':
      return { ...p, kind, year, n: Math.ceil(month / 3) };
    case 'month':
      return { ...p, kind, year, n: month };
    default:
      return { ...p, kind, from: range.from, to: range.to };
  }
}

/** Legal-limit use of a procedure: mean working days over its limit (1 = all of it); null when unknown. */
export function limitRatio(row: Pick<IndicatorRow, 'limit_days' | 'processing_days'>): number | null {
  const mean = row.processing_days?.mean;
  const limit = row.limit_days;
  if (mean === null || mean === undefined || limit === null || limit === undefined || !(limit > 0)) return null;
  return mean / limit;
}

/**
 * Procedures worst first: the highest share of the legal limit used on average, then the most
 * late dossiers; those with nothing finished (no ratio) last, busiest first.
 */
export function worstFirst<T extends Pick<IndicatorRow, 'limit_days' | 'processing_days' | 'late' | 'received' | 'label'>>(
  rows: readonly T[],
): T[] {
  return [...rows].sort((a, b) => {
    const ra = limitRatio(a);
    const rb = limitRatio(b);
    if (ra !== null && rb !== null && ra !== rb) return rb - ra;
    if ((ra === null) !== (rb === null)) return ra === null ? 1 : -1;
    if (a.late !== b.late) return b.late - a.late;
    if (a.received !== b.received) return b.received - a.received;
    return a.label.localeCompare(b.label, 'vi');
  });
}

export interface TargetProgress {
  /** How far along the way to the target, 0–1 (1 when reached). */
  progress: number;
  reached: boolean;
  /** Percentage points still missing (0 when reached). */
  gapPoints: number;
}

/** Progress of an online share (0–1) against the year's target (0–1); null without a target. */
export function targetProgress(current: number | null | undefined, target: Target | null | undefined): TargetProgress | null {
  if (!target || !(target.online_share > 0)) return null;
  const now = Math.max(0, current ?? 0);
  const reached = now >= target.online_share;
  return {
    progress: Math.min(1, now / target.online_share),
    reached,
    gapPoints: reached ? 0 : Math.round((target.online_share - now) * 1000) / 10,
  };
}

/**
 * Parses a percentage typed by a person ("45", "45,5", "45.5 %") into a share 0–1; null when it is
 * not a number from 0 to 100. Empty → undefined (an optional field left blank).
 */
export function parsePercent(input: string): number | null | undefined {
  const s = input.replace(/%/g, '').replace(',', '.').trim();
  if (s === '') return undefined;
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const v = Number(s);
  return v >= 0 && v <= 100 ? Math.round(v * 10) / 1000 : null;
}

/** A share 0–1 as the number typed in a percent input: 0.455 → "45.5". */
export function percentInput(share: number | null | undefined): string {
  if (share === null || share === undefined) return '';
  return String(Math.round(share * 1000) / 10);
}

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');
const cache = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, key: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${lang}:${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), opts);
    cache.set(k, f);
  }
  return f;
}

/** A share 0–1 as a percentage in the language's style: 0.8523 → "85,2%" (vi), "85.2%" (en); null → "—". */
export function formatPercent(v: number | null | undefined, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return nf(lang, `p${digits}`, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

/** A count with the language's grouping: 12345 → "12.345" (vi), "12,345" (en). */
export function formatCount(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return nf(lang, 'n', { maximumFractionDigits: 0 }).format(v);
}

/** A decimal (working days, scores) with up to `digits` decimals: 2.35 → "2,4" (vi); null → "—". */
export function formatDecimal(v: number | null | undefined, lang: Lang, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return nf(lang, `d${digits}`, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
}

/** dd/mm/yyyy of a yyyy-mm-dd day, with no time zone arithmetic. */
export function dayLabel(day: string): string {
  const m = DAY.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** `2026-03` → "03/2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return m ? `${m}/${y}` : month;
}

/** Years offered by the picker: from 2020 to next year, newest first. */
export function yearChoices(today: string): number[] {
  const last = Number(today.slice(0, 4)) + 1;
  const out: number[] = [];
  for (let y = last; y >= 2020; y--) out.push(y);
  return out;
}

/** A file name for an export: `chi-so-mot-cua_2026-01-01_2026-11-26.xlsx`. */
export function exportName(stem: string, range: DayRange, ext: 'csv' | 'xlsx'): string {
  return `${stem}_${range.from}_${range.to}.${ext}`;
}
