// Rules of the one-stop screens that do not need the DOM: which actions a dossier allows, how a
// search becomes a query, how the intake form becomes a request body.
import type { Query } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';
import type { Action, CounterKind, CreateCounterRecord, CreateDossier, PreviewDue } from './types';
import { nextDay } from '../../lib/days';
import { fold } from '../../lib/text';
import { localInputToRfc3339 } from './format';

/** National dossier status codes (TrangThaiHoSo). */
export const STATUSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type StatusCode = (typeof STATUSES)[number];

/** Channels (KenhThucHien): 1 in person, 2 online, 3 public postal service. */
export const CHANNELS = [1, 2, 3] as const;
export type ChannelCode = (typeof CHANNELS)[number];

export const ACTIONS = [
  'start_processing',
  'request_supplement',
  'receive_supplement',
  'request_payment',
  'confirm_payment',
  'refuse',
  'withdraw',
  'stop',
  'resolve',
  'return_result',
  'apologize_and_extend',
] as const;

export const TIMELINESS = ['early', 'on_time', 'late', 'open_not_due', 'open_overdue'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

// The lists above are the server's enums, value for value: a value added or dropped on either
// side is a compile error here.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
void (true satisfies SameSet<(typeof ACTIONS)[number], Action>);
void (true satisfies SameSet<Timeliness, components['schemas']['Timeliness']>);

/** Statuses after which nothing more happens to a dossier. */
export const FINAL_STATUSES: readonly StatusCode[] = [3, 7, 8, 10];

/** Statuses that stop the legal clock (supplement requested, financial obligation pending). */
export const PAUSED_STATUSES: readonly StatusCode[] = [5, 6];

/**
 * The state machine the server enforces (api/src/onestop/lifecycle.rs), as far as the buttons go.
 * The server stays the judge (an illegal transition is 409); the screen only offers what can
 * succeed. The apology with a new date (form 04) is added separately, only when it is due.
 */
const TRANSITIONS: Record<StatusCode, readonly Action[]> = {
  1: ['refuse', 'withdraw'],
  // A supplement belongs to processing (from status 4 only); a refusal to a dossier not yet received.
  2: ['start_processing', 'request_payment', 'withdraw', 'stop', 'resolve'],
  3: [],
  4: ['request_supplement', 'request_payment', 'withdraw', 'stop', 'resolve'],
  5: ['receive_supplement', 'withdraw', 'stop'],
  6: ['confirm_payment', 'withdraw', 'stop'],
  7: [],
  8: [],
  9: ['return_result'],
  10: [],
};

/** Open statuses in which an overdue dossier may be apologised for and given a new date. */
const APOLOGY_STATUSES: readonly StatusCode[] = [2, 4, 5, 6];

/** Actions that need a note (the reason printed on the form, or told to the applicant). */
export const NOTE_REQUIRED: readonly Action[] = ['request_supplement', 'refuse', 'stop', 'apologize_and_extend', 'withdraw'];

/** Actions that end in a form the applicant is handed, and which one. */
export const ACTION_FORM: Partial<Record<Action, FormCode>> = {
  request_supplement: '02',
  refuse: '03',
  apologize_and_extend: '04',
  stop: '05',
};

/** Forms of a dossier by their Thông tư 03/2025 number (the server prints the set's own number). */
export const FORMS = ['01', '02', '03', '04', '05', '06'] as const;
export type FormCode = (typeof FORMS)[number];

/** Actions that cannot be undone and so ask for a confirmation. */
export const DESTRUCTIVE: readonly Action[] = ['refuse', 'withdraw', 'stop'];

function isStatus(n: number): n is StatusCode {
  return (STATUSES as readonly number[]).includes(n);
}

/**
 * The actions to offer on a dossier, in a stable order. `serverAllowed`: the dossier's
 * `allowed_actions`, which then decide (ours only fill in when the server sent none).
 * `needsApology`: the apology letter (form 04) may be made now ([`apologyOffered`]) and none was
 * made yet: only then is "apologise and set a new date" offered (once: the server
 * refuses a second extension with 409 `extension_used`). Resolving is never held back: a late
 * dossier without a timely apology is recorded as a breach, not blocked.
 */
export function legalActions(
  status: number,
  opts: { needsApology?: boolean; serverAllowed?: readonly string[] | null } = {},
): Action[] {
  if (!isStatus(status)) return [];
  const base: readonly string[] = opts.serverAllowed ?? [
    ...TRANSITIONS[status],
    ...(APOLOGY_STATUSES.includes(status) ? ['apologize_and_extend'] : []),
  ];
  const due = !!opts.needsApology;
  return ACTIONS.filter((a) => base.includes(a) && (a !== 'apologize_and_extend' || due));
}

/**
 * Whether the apology with a new date (form 04) is offered: when it is due (`needs_apology`), or,
 * for a dossier given a day or less — whose letter is due by the deadline itself (`apology_by` is
 * `deadline_at`) — any time before then while its clock runs and no apology was made (one that
 * waited for the reminder would come too late).
 */
export function apologyOffered(d: {
  flags?: { needs_apology: boolean; paused: boolean; extended: boolean } | null;
  apology_by?: string | null;
  deadline_at?: string | null;
}): boolean {
  if (!d.flags) return false;
  if (d.flags.needs_apology) return true;
  const short = !!d.apology_by && !!d.deadline_at && Date.parse(d.apology_by) === Date.parse(d.deadline_at);
  return short && !d.flags.paused && !d.flags.extended;
}

/** Whether an open dossier is past its appointment at `now`. */
export function isOverdue(d: { status: number; due_at?: string | null }, now: Date = new Date()): boolean {
  if (!d.due_at || FINAL_STATUSES.includes(d.status as StatusCode) || d.status === 9) return false;
  if (PAUSED_STATUSES.includes(d.status as StatusCode)) return false;
  const due = Date.parse(d.due_at);
  return !Number.isNaN(due) && due < now.getTime();
}

/** Whether an open dossier is due within `withinHours` (and not yet overdue). */
export function isDueSoon(d: { status: number; due_at?: string | null }, now: Date = new Date(), withinHours = 24): boolean {
  if (!d.due_at || isOverdue(d, now) || FINAL_STATUSES.includes(d.status as StatusCode) || d.status === 9) return false;
  const due = Date.parse(d.due_at);
  return !Number.isNaN(due) && due - now.getTime() <= withinHours * 3_600_000;
}

/**
 * A list of the desk: the four tabs, and two the home's desk card opens (due before tonight, form
 * 04 owed), shown as a tab while open.
 */
export type DossierView = 'today' | 'due_soon' | 'overdue' | 'all' | 'due_today' | 'apology_due';

export interface DossierSearch {
  /**
   * Whose dossiers: oversight users (no commune of their own) name the commune they look into;
   * staff leave it empty (their own commune).
   */
  commune_id: number | '';
  view: DossierView;
  q: string;
  status: number | '';
  procedure_id: number | '';
  channel: number | '';
  timeliness: Timeliness | '';
  /** Received between these local days (inclusive). */
  from: string;
  to: string;
  /** Processing ended between these local days (inclusive). */
  finished_from: string;
  finished_to: string;
  /** Still open at the end of this local day. */
  open_at: string;
  page: number;
  per_page: number;
}

export const EMPTY_SEARCH: DossierSearch = {
  commune_id: '',
  view: 'today',
  q: '',
  status: '',
  procedure_id: '',
  channel: '',
  timeliness: '',
  from: '',
  to: '',
  finished_from: '',
  finished_to: '',
  open_at: '',
  page: 1,
  per_page: 50,
};

/** The views always offered as tabs. */
export const MAIN_VIEWS: readonly DossierView[] = ['today', 'due_soon', 'overdue', 'all'];
const VIEWS: readonly DossierView[] = [...MAIN_VIEWS, 'due_today', 'apology_due'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** yyyy-mm-dd that names a real day (not 2026-13-01 or 2026-02-30). */
function isRealDay(v: string): boolean {
  if (!DAY.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

// Names in the address bar: the API's own, so a link reads like the query it makes.
const DAY_PARAMS = [
  ['from', 'received_from'],
  ['to', 'received_to'],
  ['finished_from', 'finished_from'],
  ['finished_to', 'finished_to'],
  ['open_at', 'open_at'],
] as const;

function intParam(v: string | null, ok: (n: number) => boolean): number | '' {
  if (v === null || !/^\d+$/.test(v)) return '';
  const n = Number(v);
  return ok(n) ? n : '';
}

/**
 * The list's state from the address bar (`/onestop?status=9&received_from=…`), so a link from the
 * dashboard or a shared address opens the same list. Values that do not parse are dropped. A
 * link with filters and no view lists every day (`all`), not just today's queue.
 */
export function searchFromQuery(params: URLSearchParams): DossierSearch {
  const s: DossierSearch = { ...EMPTY_SEARCH };
  s.commune_id = intParam(params.get('commune_id'), (n) => n > 0);
  s.q = params.get('q') ?? '';
  s.status = intParam(params.get('status'), (n) => (STATUSES as readonly number[]).includes(n));
  s.procedure_id = intParam(params.get('procedure_id'), (n) => n > 0);
  s.channel = intParam(params.get('channel'), (n) => (CHANNELS as readonly number[]).includes(n));
  const tl = params.get('timeliness') ?? '';
  s.timeliness = (TIMELINESS as readonly string[]).includes(tl) ? (tl as Timeliness) : '';
  for (const [key, param] of DAY_PARAMS) {
    const v = params.get(param) ?? '';
    s[key] = isRealDay(v) ? v : '';
  }
  const page = intParam(params.get('page'), (n) => n >= 1);
  s.page = page === '' ? 1 : page;
  const view = params.get('view') as DossierView | null;
  const filtered =
    s.q !== '' || s.status !== '' || s.procedure_id !== '' || s.channel !== '' || s.timeliness !== '' ||
    DAY_PARAMS.some(([key]) => s[key] !== '');
  s.view = view && VIEWS.includes(view) ? view : filtered ? 'all' : 'today';
  return s;
}

/** The address-bar query of a list state ('' for today's plain queue); the inverse of `searchFromQuery`. */
export function searchToQuery(s: DossierSearch): string {
  const p = new URLSearchParams();
  if (s.commune_id !== '') p.set('commune_id', String(s.commune_id));
  if (s.view !== 'today') p.set('view', s.view);
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.status !== '') p.set('status', String(s.status));
  if (s.procedure_id !== '') p.set('procedure_id', String(s.procedure_id));
  if (s.channel !== '') p.set('channel', String(s.channel));
  if (s.timeliness !== '') p.set('timeliness', s.timeliness);
  for (const [key, param] of DAY_PARAMS) if (s[key]) p.set(param, s[key]);
  if (s.page > 1) p.set('page', String(s.page));
  const qs = p.toString();
  return qs ? `?${qs}` : '';
}

/** Filters a dashboard number stands for. */
export type DossierFilters = Partial<Omit<DossierSearch, 'view' | 'page' | 'per_page' | 'q'>>;

/** The list of the dossiers behind a number: every day, these filters. */
export function dossierLink(filters: DossierFilters): string {
  return `/onestop${searchToQuery({ ...EMPTY_SEARCH, ...filters, view: 'all' })}`;
}

/**
 * Where a dashboard number leads, or null when no one list holds its dossiers. Staff (`own`: a
 * commune of their own) open their commune's list; oversight opens the list of the commune picked
 * on the dashboard (`commune_id` in the link); the sum over every commune links nowhere; a role
 * that may not read dossier rows (`canList: false`) gets no link at all.
 */
export function drillLink(
  filters: DossierFilters,
  scope: { own: boolean; commune: number | null; canList?: boolean },
): string | null {
  // Village heads read aggregates only (no `read_dossiers`): their numbers link nowhere.
  if (scope.canList === false) return null;
  if (scope.own) return dossierLink(filters);
  return scope.commune === null ? null : dossierLink({ ...filters, commune_id: scope.commune });
}

/**
 * What the search box sends as `q`: spaces collapsed; a phone number typed with separators
 * ("0912 345.678", "+84 912…") becomes its digits in the national form, since dossiers store
 * phones as digits; a dossier code is upper-cased. Names go as typed: the server folds
 * diacritics ("nguyen van an" finds "Nguyễn Văn An").
 */
export function normalizeSearch(raw: string): string {
  const q = raw.replace(/\s+/g, ' ').trim();
  if (!q) return '';
  if (/^\+?[\d\s.\-()]+$/.test(q)) {
    let digits = q.replace(/\D/g, '');
    if (q.startsWith('+84') || (digits.startsWith('84') && digits.length === 11)) digits = `0${digits.slice(2)}`;
    if (digits.length >= 3) return digits;
  }
  // A dossier code: letters, a dash, six digits, a dash, four digits (UBND-261126-0001).
  if (/^[\p{L}\d]+-\d{6}(-\d{0,4})?$/u.test(q)) return q.toUpperCase();
  return q;
}

/**
 * The query of `GET /dossiers` for a screen state. "Today", "due soon" and "overdue" are server
 * views (commune time, the server's calendar), so lists and counts agree with what the server
 * calls late. A typed search looks across every day. Date bounds are local days, inclusive.
 */
export function dossierQuery(s: DossierSearch): Query {
  const q: Query = { page: s.page, per_page: s.per_page };
  if (s.commune_id !== '') q.commune_id = s.commune_id;
  const text = normalizeSearch(s.q);
  if (text) q.q = text;
  if (s.status !== '') q.status = s.status;
  if (s.procedure_id !== '') q.procedure_id = s.procedure_id;
  if (s.channel !== '') q.channel = s.channel;
  if (s.timeliness !== '') q.timeliness = s.timeliness;
  if (s.view !== 'all' && !(s.view === 'today' && text)) q.view = s.view;
  if (s.from) q.received_from = s.from;
  if (s.to) q.received_to = s.to;
  if (s.finished_from) q.finished_from = s.finished_from;
  if (s.finished_to) q.finished_to = s.finished_to;
  if (s.open_at) q.open_at = s.open_at;
  return q;
}

export interface IntakeForm {
  procedure_id: number | null;
  channel: number;
  name: string;
  phone: string;
  id_number: string;
  address: string;
  /** datetime-local value; empty = now. */
  received_at: string;
  paid_online: boolean;
  digitised: boolean;
}

/** The body of `POST /dossiers` (the server's `CreateDossier`). */

/**
 * A phone or ID number as typed, without the spaces, dots, dashes and brackets people write in
 * it ("0912.345.678" → "0912345678"); anything else stays, so "abc" reaches the server as a wrong
 * number and is said to be one, not taken for an empty field.
 */
export function withoutSeparators(s: string): string {
  return s.replace(/[\s.\-()]/g, '');
}

/** The body of `POST /dossiers` from the intake form; null when no procedure is picked yet. */
export function intakeBody(f: IntakeForm): CreateDossier | null {
  if (f.procedure_id === null) return null;
  const body: CreateDossier = {
    procedure_id: f.procedure_id,
    channel: f.channel,
    applicant: {
      name: f.name.replace(/\s+/g, ' ').trim().normalize('NFC'),
      phone: withoutSeparators(f.phone),
      id_number: withoutSeparators(f.id_number),
      address: f.address.replace(/\s+/g, ' ').trim().normalize('NFC'),
    },
    paid_online: f.paid_online,
    digitised: f.digitised,
  };
  const at = localInputToRfc3339(f.received_at);
  if (at) body.received_at = at;
  return body;
}

/** The body of `POST /dossiers/preview-due`; null when no procedure is picked yet. */
export function previewBody(f: Pick<IntakeForm, 'procedure_id' | 'received_at'>): PreviewDue | null {
  if (f.procedure_id === null) return null;
  const at = localInputToRfc3339(f.received_at);
  return at ? { procedure_id: f.procedure_id, received_at: at } : { procedure_id: f.procedure_id };
}

/** Client-side filter of the procedure picker: code or name, diacritics ignored. */
export function procedureMatches(p: { code?: string | null; name: string; field?: string | null }, query: string): boolean {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const hay = fold(`${p.code ?? ''} ${p.name} ${p.field ?? ''}`);
  return words.every((w) => hay.includes(w));
}

/** What happened at the counter to an application that was not received. */
export const COUNTER_KINDS = ['guidance', 'refusal'] as const satisfies readonly CounterKind[];
void (true satisfies SameSet<(typeof COUNTER_KINDS)[number], CounterKind>);

/**
 * The body of `POST /onestop/counter-records` from the intake form: the procedure and the person
 * at the counter, and the reason printed on form 02 (papers to add) or 03 (why refused). No
 * identity number: nothing is received. `missing` says what to ask for first.
 */
export function counterBody(
  form: Pick<IntakeForm, 'procedure_id' | 'channel' | 'name' | 'phone' | 'address'>,
  kind: CounterKind,
  reason: string,
): { body: CreateCounterRecord } | { missing: 'setup' | 'reason' } {
  const name = form.name.replace(/\s+/g, ' ').trim();
  if (form.procedure_id === null || !name) return { missing: 'setup' };
  const why = reason.trim();
  if (!why) return { missing: 'reason' };
  const applicant: CreateCounterRecord['applicant'] = { name };
  const phone = form.phone.trim();
  const address = form.address.trim();
  if (phone) applicant.phone = phone;
  if (address) applicant.address = address;
  return { body: { kind, procedure_id: form.procedure_id, channel: form.channel, applicant, reason: why } };
}

/** The query of the counter list: a range of local days and, optionally, one kind. */
export function counterQuery(range: 'today' | '30', kind: CounterKind | '', today: string, page = 1): Query {
  const q: Query = { from: range === 'today' ? today : nextDay(today, -29), to: today, page, per_page: 50 };
  if (kind) q.kind = kind;
  return q;
}
