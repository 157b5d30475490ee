// An audit entry's summary as a person reads it: the fields by name, codes in words (by field and
// kind of record), dates as dd/mm/yyyy, yes/no for flags, units, people and plans by name, and every
// `[before, after]` pair as "before → after" (a pair that did not change is left out).
//
// What the server records is listed in web/src/tests/audit-inventory.ts (the codes) and decided here by field: which
// two-item values are pairs and which are lists, which objects are `{before, after}`, which hold
// data (a tally's counts, a response's answers) and are only counted.

import { formatDate, formatDateTime, formatNumber } from '../../lib/format';

/** What a count counts: records, a survey response's answers, a tally's questions. */
export type CountOf = 'items' | 'answers' | 'questions';

export interface SummaryWords {
  /** The language, for numbers ("50.000" or "50,000"). */
  lang: 'vi' | 'en';
  /** The name of a recorded field; its code when it has none. */
  field(code: string): string;
  /** A code's word in a vocabulary (`word('task_status', 'done')`); undefined when it has none. */
  word(vocab: string, code: string): string | undefined;
  /** A procedure's time limit in words (`limit`: `[5, "working_days"]` → "5 ngày làm việc"). */
  limit(amount: number, unit: string): string;
  /** How many ("6 mục", "1 item", "2 answers"): ids and nested data say nothing to a person. */
  count(n: number, of?: CountOf): string;
  /** A unit's name by id (undefined when the page does not know it). */
  unit?(id: number): string | undefined;
  /** A person's name by user id (undefined when the page does not know it). */
  user?(id: number): string | undefined;
  /** A plan's number ("125/KH-UBND") by id (undefined when the page does not know it). */
  plan?(id: number): string | undefined;
  yes: string;
  no: string;
  /** A field whose content changed but is not recorded ("description": "changed"). */
  changed: string;
}

/** Who did what to which kind of record: decides a few fields' vocabularies. */
export interface SummaryOf {
  action: string;
  entity?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ZONED = /(Z|[+-]\d{2}:?\d{2})$/;

/** Fields that hold a list (of ids, codes, titles): two items are two items, not before → after. */
const LIST_FIELDS = new Set(['villages', 'units', 'carried_over', 'channels', 'events', 'scopes', 'judged', 'surveys', 'answers', 'ip_allow']);
const isListField = (f: string) => LIST_FIELDS.has(f) || f.endsWith('_ids');
/** Fields whose two items are a range (working hours: start, end). */
const RANGE_FIELDS = new Set(['morning', 'afternoon']);
/** Fields that hold a unit's id, or a list of them. */
const UNIT_FIELD = /(^|_)unit_ids?$|^village_ids?$|^villages$|^units$/;
/** Fields that hold a user's id. */
const USER_FIELD = /^(handler_id|user_id)$/;
/** Fields that hold a plan's id. */
const PLAN_FIELD = /^(from_)?plan_id$/;
/** Shares between 0 and 1, said as percent. */
const SHARE_FIELDS = new Set(['online_share', 'full_share', 'board_target']);
/** Nested data whose keys are the data's own (question ids, options): counted, never named. */
const COUNTED: Record<string, CountOf> = { counts: 'questions', answers: 'answers', judged: 'items', carried_over: 'items' };
/** Actions that record lists of codes as comma-joined text pairs (`channels: ["office", "office,zalo"]`). */
const PAIR_ACTIONS = new Set(['update', 'assign', 'record_rating', 'report', 'respond', 'correct', 'bulk_update', 'answer']);

/** A field's vocabulary whatever the record. */
const BY_FIELD: Record<string, string> = {
  role: 'role',
  reporting_cadence: 'cadence',
  periodicity: 'periodicity',
  due_from: 'due_from',
  online_level: 'online_level',
  result_kind: 'result_kind',
  factor: 'factor',
  method: 'factor',
  scopes: 'scope',
  events: 'event',
  event: 'event',
  outcome: 'outcome',
  rating: 'rating',
  classification: 'petition_kind',
  handling: 'handling',
  reason: 'reason',
  source: 'source',
};

const DOSSIER = { status: 'dossier_status', from: 'dossier_status', to: 'dossier_status', channel: 'dossier_channel' };
const PETITION = { status: 'petition_status', from: 'petition_status', to: 'petition_status', kind: 'petition_kind', channel: 'petition_channel' };
const TRACKED = { status: 'commitment_status' };

/** A field's vocabulary in one kind of record (the same code means different things in two). */
const BY_ENTITY: Record<string, Record<string, string>> = {
  dossier: DOSSIER,
  counter_record: { kind: 'counter_kind', channel: 'dossier_channel' },
  petition: PETITION,
  task: { status: 'task_status' },
  plan_step: { status: 'task_status' },
  plan: { status: 'plan_status' },
  commitment: TRACKED,
  decision: TRACKED,
  recommendation: { status: 'response_status' },
  reception_session: { kind: 'session_kind', status: 'session_status' },
  disclosure: { channels: 'disclosure_channel' },
  survey: { channels: 'survey_channel' },
  survey_response: { channel: 'survey_channel' },
  activity: { kind: 'activity_kind', channels: 'activity_channel', channel: 'activity_channel' },
  unit: { kind: 'unit_kind' },
  commune: { kind: 'commune_kind' },
  calendar_override: { kind: 'override_kind', level: 'override_level' },
  authority: { level: 'authority_level' },
  api_key: { kind: 'key_kind' },
  feedback_category: { kind: 'petition_kind' },
  evaluation: { status: 'evaluation_status', rating: 'evaluation_rating' },
  notification_preferences: { modes: 'delivery_mode' },
};

interface Ctx {
  of: SummaryOf;
  w: SummaryWords;
}

function vocabOf(field: string, { of }: Ctx, parent = ''): string | undefined {
  if (field === 'kind' && of.action === 'attach') return 'file_owner';
  if (parent === 'online_level' && field === 'level') return 'online_level';
  return BY_ENTITY[of.entity ?? '']?.[field] ?? BY_FIELD[field];
}

function clip(text: string, max: number): string {
  return max > 0 && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Minutes after midnight as "15:00". */
function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `${String(h).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function named(kind: 'unit' | 'user' | 'plan', id: number, w: SummaryWords): string {
  return (kind === 'unit' ? w.unit?.(id) : kind === 'user' ? w.user?.(id) : w.plan?.(id)) ?? `#${id}`;
}

/** One code in words: its vocabulary's word, or the code itself. */
function code(v: string | number, vocab: string | undefined, w: SummaryWords): string {
  return (vocab && w.word(vocab, String(v))) || String(v);
}

function scalar(v: unknown, field: string, ctx: Ctx, parent = ''): string {
  const { w } = ctx;
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  const vocab = vocabOf(field, ctx, parent);
  if (typeof v === 'number') {
    if (field === 'cutoff') return clock(v);
    if (field === 'fee_vnd') return `${formatNumber(v, w.lang, 0)} đ`;
    if (SHARE_FIELDS.has(field) && v >= 0 && v <= 1) return `${formatNumber(v * 100, w.lang, 1)}%`;
    if (UNIT_FIELD.test(field) && field !== 'units') return named('unit', v, w);
    if (USER_FIELD.test(field)) return named('user', v, w);
    if (PLAN_FIELD.test(field)) return named('plan', v, w);
    if (vocab) return code(v, vocab, w);
    // Ids and years as they are ("2026", not "2.026"); a weight or a share with its decimal sign.
    return Number.isInteger(v) ? String(v) : formatNumber(v, w.lang, 2);
  }
  if (typeof v === 'string') {
    if (DAY.test(v)) return formatDate(`${v}T00:00:00+07:00`);
    // The server stores instants in UTC; one written without its zone is read as UTC too.
    if (INSTANT.test(v)) return formatDateTime(ZONED.test(v) ? v : `${v}Z`) || v;
    if (v === 'changed') return w.changed;
    // A list of codes kept as one text ("office,village_meeting").
    if (vocab && v.includes(',') && isListField(field)) return v.split(',').map((c) => code(c.trim(), vocab, w)).join(', ');
    return code(v, vocab, w);
  }
  return String(v);
}

/** A value that is not a pair: a scalar, a list, an object. */
function value(v: unknown, field: string, ctx: Ctx, parent = ''): string {
  const { w } = ctx;
  if (Array.isArray(v)) {
    if (field === 'limit' && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string') return w.limit(v[0], v[1]);
    if (RANGE_FIELDS.has(field) && v.length === 2) return `${scalar(v[0], field, ctx)}–${scalar(v[1], field, ctx)}`;
    if (COUNTED[field]) return w.count(v.length, COUNTED[field]);
    if (v.every((x) => typeof x === 'number')) {
      if (UNIT_FIELD.test(field)) return v.map((id) => named('unit', id, w)).join(', ') || '–';
      if (isListField(field)) return w.count(v.length);
    }
    if (v.some((x) => typeof x === 'object' && x !== null)) return w.count(v.length);
    return v.map((x) => scalar(x, field, ctx, parent)).join(', ') || '–';
  }
  if (isObject(v)) {
    const pair = pairOf(v);
    if (pair) return arrow(pair[0], pair[1], field, ctx) ?? value(pair[1], field, ctx);
    if (COUNTED[field]) return w.count(Object.keys(v).length, COUNTED[field]);
    if (field === 'online_level' && 'level' in v) {
      const level = scalar(v.level, 'level', ctx, field);
      return v.from ? `${level} (${scalar(v.from, 'from', ctx)})` : level;
    }
    // A map of codes to codes (notification kinds to how they are delivered); since the server
    // records only what changed, each value may be `[before, after]`.
    if (field === 'modes') {
      return Object.entries(v)
        .map(([k, m]) => {
          const shown = Array.isArray(m) && m.length === 2 ? (arrow(m[0], m[1], field, ctx) ?? scalar(m[1], field, ctx)) : scalar(m, field, ctx);
          return `${code(k, 'notification_kind', w)}: ${shown}`;
        })
        .join('; ');
    }
    return Object.entries(v)
      .map(([k, x]) => `${w.field(k)}: ${value(x, k, ctx, field)}`)
      .join('; ');
  }
  return scalar(v, field, ctx, parent);
}

/** `{before, after}` or `{from, to}` (and nothing else) is a pair. */
function pairOf(o: Record<string, unknown>): [unknown, unknown] | null {
  const keys = Object.keys(o).sort().join(',');
  if (keys === 'after,before' || keys === 'after' || keys === 'before') return [o.before, o.after];
  if (keys === 'from,to') return [o.from, o.to];
  return null;
}

/** Is this two-item value `[before, after]`? Decided by field (see the inventory). */
function isPair(v: unknown, field: string, action: string): v is [unknown, unknown] {
  if (!Array.isArray(v) || v.length !== 2) return false;
  if (RANGE_FIELDS.has(field)) return false;
  const nested = v.every((x) => x === null || Array.isArray(x));
  if (field === 'limit') return nested;
  if (isListField(field) || COUNTED[field]) {
    // A list's before and after are lists; or, where a list is kept as text, two texts.
    return nested || (PAIR_ACTIONS.has(action) && v.every((x) => x === null || typeof x === 'string'));
  }
  return true;
}

/**
 * "before → after", each side cut to `max` (so the new value is never the part cut off); null
 * when the two read the same (nothing to say), "changed" when only the data differs.
 */
function arrow(before: unknown, after: unknown, field: string, ctx: Ctx, max = 0): string | null {
  if (same(before, after)) return null;
  const a = value(before, field, ctx);
  const b = value(after, field, ctx);
  if (a !== b) return `${clip(a, max)} → ${clip(b, max)}`;
  const plain = (x: unknown) => x === null || x === undefined || x === '' || typeof x !== 'object';
  return plain(before) && plain(after) ? null : ctx.w.changed;
}

function line(field: string, shown: string, ctx: Ctx): string {
  return `${ctx.w.field(field)}: ${shown}`;
}

function fields(o: Record<string, unknown>, ctx: Ctx, max: number): string {
  const out: string[] = [];
  const { before, after } = o;
  const snapshots = isObject(before) || isObject(after);
  // `{before: {...}, after: {...}}` at the top: each field that differs, before → after. With
  // `before` alone, the record's fields as they are now stand for `after` (a calendar day's
  // kind and name); a deleted record's `before` is what it was.
  const sides = (x: unknown) => (isObject(x) ? x : {});
  const b = sides(before);
  const a = isObject(after) ? after : Object.keys(b).some((k) => k in o) ? o : null;
  const shownAsPair = new Set<string>();
  if (snapshots && a) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (k === 'before' || k === 'after') continue;
      shownAsPair.add(k);
      if (!(k in b) && isObject(before)) {
        // A field the old record had no say on (a calendar day's date): as it is.
        out.push(line(k, clip(value(a[k], k, ctx), max), ctx));
        continue;
      }
      const shown = isObject(before) ? arrow(b[k], a[k], k, ctx, max) : clip(value(a[k], k, ctx), max);
      if (shown !== null) out.push(line(k, shown, ctx));
    }
  } else if (isObject(before)) {
    for (const [k, v] of Object.entries(before)) out.push(line(k, clip(value(v, k, ctx), max), ctx));
  } else if (Array.isArray(before) || Array.isArray(after)) {
    // A survey response's answers, corrected: the answers themselves are data.
    const shown = arrow(before, after, 'answers', ctx, max);
    if (shown !== null) out.push(line('answers', shown, ctx));
  }
  // A status change recorded as `from` and `to` (a dossier's, a petition's): one pair.
  const isCode = (x: unknown) => typeof x === 'number' || (typeof x === 'string' && !DAY.test(x) && !INSTANT.test(x));
  if (vocabOf('from', ctx) && isCode(o.from) && isCode(o.to) && !shownAsPair.has('from')) {
    shownAsPair.add('from').add('to');
    const shown = arrow(o.from, o.to, 'status', ctx, max);
    if (shown !== null) out.push(line('status', shown, ctx));
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'before' || k === 'after' || shownAsPair.has(k)) continue;
    const pair = isPair(v, k, ctx.of.action) ? v : isObject(v) ? pairOf(v) : null;
    const shown = pair ? arrow(pair[0], pair[1], k, ctx, max) : clip(value(v, k, ctx), max);
    if (shown !== null) out.push(line(k, shown, ctx));
  }
  return out.join(', ');
}

/**
 * One readable line. Summaries are JSON objects (plain text in older entries). Each value is cut
 * to `max` characters (0 = never), so a browser's user agent does not take over the table.
 */
export function summaryText(summary: unknown, of: SummaryOf | string, w: SummaryWords, max = 0): string {
  const ctx: Ctx = { of: typeof of === 'string' ? { action: of } : of, w };
  if (summary === null || summary === undefined) return '';
  if (typeof summary !== 'object') return clip(String(summary), max);
  if (Array.isArray(summary)) return summary.map((s) => summaryText(s, ctx.of, w, max)).join(', ');
  return fields(summary as Record<string, unknown>, ctx, max);
}
