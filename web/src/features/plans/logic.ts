// Pure helpers of the plans module: no DOM, no network, so each is unit-tested on its own.
import type { Query } from '../../lib/api/client';
import { TASK_STATUSES, type TaskStatus } from './types';

// ---------------------------------------------------------------- dates

const DAY_MS = 86_400_000;

/** Today as `yyyy-mm-dd` in the commune's time zone (Asia/Ho_Chi_Minh, UTC+7, no DST). */
export function todayInCommune(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from UTC midnight of 1970-01-01 for a `yyyy-mm-dd` date (or a longer ISO string). */
export function dayNumber(day: string): number {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** `yyyy-mm-dd` for a day number. */
export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** `yyyy-mm-dd` → `dd/mm/yyyy`, without going through a time zone; '' for empty or malformed input. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

// ---------------------------------------------------------------- progress and roll-up

/** A progress value as a whole percentage between 0 and 100 (NaN and missing → 0). */
export function clampPercent(value: number | null | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  return Math.min(100, Math.max(0, Math.round(n)));
}

export type Tone = 'done' | 'good' | 'late' | 'idle';

/** The colour family of a progress bar: done, on track, late (overdue) or not started. */
export function progressTone(progress: number | null | undefined, overdue = false): Tone {
  const p = clampPercent(progress);
  if (p >= 100) return 'done';
  if (overdue) return 'late';
  return p === 0 ? 'idle' : 'good';
}

export type DueState = 'done' | 'cancelled' | 'overdue' | 'due_soon' | 'open';

/** Where a task stands against its due date, today, in the commune's zone. */
export function dueState(
  task: { status: string; due_date?: string | null; overdue?: boolean | null },
  today: string,
  soonDays = 7,
): DueState {
  if (task.status === 'done') return 'done';
  if (task.status === 'cancelled') return 'cancelled';
  if (task.overdue) return 'overdue';
  if (!task.due_date) return 'open';
  const left = daysBetween(today, task.due_date);
  if (left < 0) return 'overdue';
  return left <= soonDays ? 'due_soon' : 'open';
}

// ---------------------------------------------------------------- Gantt strip

export interface Span {
  start?: string | null;
  due?: string | null;
}

export interface GanttScale {
  /** First and last day shown (inclusive), as day numbers. */
  from: number;
  to: number;
  width: number;
  /** x of the start of a day. */
  x(day: string): number;
  /** Month starts inside the range, with their x, for the axis. */
  months: Array<{ day: string; x: number; label: string }>;
  /** Where today falls: inside the strip, or off its left or right end (a plan long past). */
  today: 'in' | 'before' | 'after';
}

/**
 * The time scale of the step strip: from the earliest start (or due) to the latest due, padded by
 * a few days on each side, mapped onto `width` pixels. Today is brought into the range when it is
 * near (within `stretch` × the plan's span); a plan long past or far ahead keeps its own range
 * and reports that today lies off one end, so its bars are not squeezed into a corner.
 */
export function ganttScale(spans: readonly Span[], today: string, width: number, padDays = 3, stretch = 0.25): GanttScale {
  const t = dayNumber(today);
  const days: number[] = [];
  for (const s of spans) {
    if (s.start) days.push(dayNumber(s.start));
    if (s.due) days.push(dayNumber(s.due));
  }
  if (days.length === 0) days.push(t);
  let lo = Math.min(...days);
  let hi = Math.max(...days);
  const reach = Math.max(14, (hi - lo) * stretch);
  let where: GanttScale['today'] = 'in';
  if (t < lo) {
    if (lo - t <= reach) lo = t;
    else where = 'before';
  } else if (t > hi) {
    if (t - hi <= reach) hi = t;
    else where = 'after';
  }
  const from = lo - padDays;
  const to = hi + padDays;
  const span = Math.max(1, to - from + 1);
  const x = (day: string) => ((dayNumber(day) - from) / span) * width;
  const months: GanttScale['months'] = [];
  const first = new Date(from * DAY_MS);
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  if (first.getUTCDate() !== 1) m += 1;
  for (;;) {
    if (m === 12) {
      m = 0;
      y += 1;
    }
    const n = Math.round(Date.UTC(y, m, 1) / DAY_MS);
    if (n > to) break;
    const day = dayString(n);
    months.push({ day, x: x(day), label: `${String(m + 1).padStart(2, '0')}/${y}` });
    m += 1;
  }
  return { from, to, width, x, months, today: where };
}

/**
 * The bar of one step: from its start (or, without a start, from a `minDays`-day stub before its
 * due date) to the end of its due day, never thinner than 4 px. Null when the step has no date.
 */
export function ganttBar(scale: GanttScale, span: Span, minDays = 1): { x: number; w: number } | null {
  const end = span.due ?? span.start;
  if (!end) return null;
  const startDay = span.start ?? dayString(dayNumber(end) - (minDays - 1));
  const x0 = scale.x(startDay);
  const x1 = scale.x(dayString(dayNumber(end) + 1));
  return { x: x0, w: Math.max(4, x1 - x0) };
}

/**
 * A step's label broken into lines of at most `width` characters, at spaces (SVG text does not
 * wrap): a word longer than a line is cut, and past `maxLines` the last line ends in "…".
 */
export function wrapLabel(text: string, width: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1];
  kept[maxLines - 1] = `${last.length < width ? last : last.slice(0, width - 1)}…`;
  return kept;
}

// ---------------------------------------------------------------- task list filters

export interface TaskFilters {
  q: string;
  status: string;
  unit_id: string;
  overdue: boolean;
  step_id: string;
  content_area_id: string;
  sort: string;
  page: number;
}

export const EMPTY_FILTERS: TaskFilters = {
  q: '',
  status: '',
  unit_id: '',
  overdue: false,
  step_id: '',
  content_area_id: '',
  sort: '',
  page: 1,
};

/** Filters from a location's `?…`, ignoring what is malformed. */
export function parseFilters(search: string): TaskFilters {
  const p = new URLSearchParams(search);
  const id = (k: string) => (/^\d+$/.test(p.get(k) ?? '') ? (p.get(k) as string) : '');
  const page = Number(p.get('page'));
  return {
    q: (p.get('q') ?? '').slice(0, 200),
    status: p.get('status') ?? '',
    unit_id: id('unit_id'),
    overdue: p.get('overdue') === 'true',
    step_id: id('step_id'),
    content_area_id: id('content_area_id'),
    sort: p.get('sort') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The query of `GET plans/{id}/tasks`: only what is set, the search trimmed. */
export function taskQuery(f: TaskFilters, perPage: number): Query {
  return {
    q: f.q.trim() || undefined,
    status: f.status || undefined,
    unit_id: f.unit_id || undefined,
    overdue: f.overdue ? true : undefined,
    step_id: f.step_id || undefined,
    content_area_id: f.content_area_id || undefined,
    sort: f.sort || undefined,
    page: f.page > 1 ? f.page : undefined,
    per_page: perPage,
  };
}

/** The location search that reproduces these filters ('' when none is set). */
export function filtersToSearch(f: TaskFilters): string {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.status) p.set('status', f.status);
  if (f.unit_id) p.set('unit_id', f.unit_id);
  if (f.overdue) p.set('overdue', 'true');
  if (f.step_id) p.set('step_id', f.step_id);
  if (f.content_area_id) p.set('content_area_id', f.content_area_id);
  if (f.sort) p.set('sort', f.sort);
  if (f.page > 1) p.set('page', String(f.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether a task concerns a unit (leads or supports it), for filters applied on the client. */
export function involvesUnit(
  task: { lead_unit_id?: number | null; supporting_unit_ids?: readonly number[] | null },
  unitId: number,
): boolean {
  return task.lead_unit_id === unitId || (task.supporting_unit_ids ?? []).includes(unitId);
}

// ---------------------------------------------------------------- photos

/**
 * The size a photo is drawn at before upload: the long side at most `max` pixels, the aspect
 * ratio kept, never enlarged, at least 1×1.
 */
export function fitWithin(width: number, height: number, max = 1600): { width: number; height: number; scaled: boolean } {
  if (!(width > 0) || !(height > 0)) return { width: 0, height: 0, scaled: false };
  const long = Math.max(width, height);
  if (long <= max) return { width: Math.round(width), height: Math.round(height), scaled: false };
  const k = max / long;
  return {
    width: Math.max(1, Math.round(width * k)),
    height: Math.max(1, Math.round(height * k)),
    scaled: true,
  };
}

/** `foto.HEIC` → `foto.jpg`: the name of the re-encoded JPEG. */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '') || 'anh';
  return `${base}.jpg`;
}

/** 1536 → "1,5 KB" (Vietnamese decimal comma) or "1.5 KB". */
export function formatBytes(bytes: number, lang: 'vi' | 'en' = 'vi'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  const s = i === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 1 : 0);
  return `${lang === 'vi' ? s.replace('.', ',') : s} ${units[i]}`;
}

// ---------------------------------------------------------------- editor

/** Lines of a textarea → a list without blank lines. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- bulk update errors

/** `rows[3].status` → { row: 3, column: 'status' }; a whole-file error (`file`) → row null. */
export function bulkErrorPlace(field: string): { row: number | null; column: string } {
  const m = /^rows\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (m) return { row: Number(m[1]), column: m[2] ?? 'row' };
  return { row: null, column: field };
}

// ---------------------------------------------------------------- print view

/** "xã Bình Lương" / "Xã Bình Lương" → "Bình Lương": the place name of a date line. */
export function placeName(commune: string): string {
  return commune.replace(/^\s*(xã|phường|thị trấn)\s+/iu, '').trim();
}

/** 1 → "I", 4 → "IV", for the sections of an administrative document (1–39). */
export function romanNumeral(n: number): string {
  const parts: Array<[number, string]> = [
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let left = Math.max(0, Math.floor(n));
  for (const [v, s] of parts) {
    while (left >= v) {
      out += s;
      left -= v;
    }
  }
  return out;
}

/**
 * The date line of a document, "Bình Lương, ngày 20 tháng 4 năm 2023", from a template with
 * {place} {day} {month} {year}. Without an issue date the day and month stay blank for the pen, as
 * on a draft awaiting signature.
 */
export function issueDateLine(place: string, issuedOn: string | null | undefined, year: number, template: string): string {
  const m = issuedOn ? /^(\d{4})-(\d{2})-(\d{2})/.exec(issuedOn) : null;
  const values: Record<string, string> = m
    ? { place, day: m[3], month: String(Number(m[2])), year: m[1] }
    : { place, day: '\u00a0\u00a0\u00a0\u00a0', month: '\u00a0\u00a0\u00a0\u00a0', year: String(year) };
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => values[k] ?? whole).replace(/^,\s*/, '');
}

// ---------------------------------------------------------------- history

export interface ChangeEntry {
  key: string;
  /** Both set for a change `[before, after]`; only `to` for a plain value. */
  from?: unknown;
  to: unknown;
}

/**
 * Audit summaries of a task (`{progress: [0, 40], status: [...], files: 1}`) as entries, ids left
 * out, and a pair that did not change (a report that kept the progress at 65%) too.
 */
export function changeEntries(summary: unknown): ChangeEntry[] {
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) return [];
  const out: ChangeEntry[] = [];
  for (const [key, v] of Object.entries(summary as Record<string, unknown>)) {
    if (key.endsWith('_id') && key !== 'lead_unit_id' && key !== 'step_id' && key !== 'content_area_id') continue;
    if (Array.isArray(v) && v.length === 2 && key !== 'supporting_unit_ids') {
      if (JSON.stringify(v[0]) !== JSON.stringify(v[1])) out.push({ key, from: v[0], to: v[1] });
    } else out.push({ key, to: v });
  }
  return out;
}

/** `2023-05` → `05/2023`, `2023-W18` → "Tuần 18/2023", `2023-Q2` → "Quý 2/2023" (templates with {n} {year}). */
export function formatPeriod(label: string, tpl: { week: string; quarter: string }): string {
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return `${month[2]}/${month[1]}`;
  const wq = /^(\d{4})-([WQ])(\d{1,2})$/.exec(label);
  if (!wq) return label;
  return (wq[2] === 'W' ? tpl.week : tpl.quarter).replace('{n}', String(Number(wq[3]))).replace('{year}', wq[1]);
}

/**
 * The line under "KẾ HOẠCH" in the document: the title without a leading "Kế hoạch" (which the
 * heading already says), its first letter capitalised.
 */
export function docSubtitle(title: string): string {
  const rest = title.trim().replace(/^kế hoạch\s+/iu, '');
  return rest ? rest.charAt(0).toLocaleUpperCase('vi') + rest.slice(1) : title;
}

/**
 * A typed day, "5/1/2026", "05.01.2026" or "2026-01-05", as `yyyy-mm-dd`; '' for an empty box;
 * null when it is not a real date (31/02/2026, 1/13/2026, letters).
 */
export function parseDayInput(text: string): string | null {
  const s = text.trim();
  if (!s) return '';
  let y: number, m: number, d: number;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900) return null;
  return t.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- task status

/**
 * The statuses a caller may pick for a task. Cancelling takes a task out of every roll-up, so
 * only those who edit the plan (the board) cancel or reopen one; a unit that reports on it (a
 * village head, the Front) moves it between the other states — the server refuses the rest.
 */
export function statusChoices(current: TaskStatus, canEdit: boolean): TaskStatus[] {
  if (canEdit) return [...TASK_STATUSES];
  if (current === 'cancelled') return ['cancelled'];
  return TASK_STATUSES.filter((s) => s !== 'cancelled');
}

/**
 * The number each content area of section II carries in the document (1, 2, …, in order); the
 * area holding the tasks of sections III–IV has none.
 */
export function areaNumbers(areas: readonly { id: number; section: 'content' | 'implementation' }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of areas) if (a.section === 'content') out.set(a.id, out.size + 1);
  return out;
}
