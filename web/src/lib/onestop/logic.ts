// Rules of the one-stop screens that do not need the DOM: which actions a dossier allows, how a
// search becomes a query, how the intake form becomes a request body.
import type { Query } from '../api/client';
import type { components } from '../api/schema';
import type { NewDossier, PreviewDueBody } from './types';
import { fold } from '../text';
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
export type DossierAction = (typeof ACTIONS)[number];

export const TIMELINESS = ['early', 'on_time', 'late', 'open_not_due', 'open_overdue'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

// The lists above are the server's enums, value for value: a value added or dropped on either
// side is a compile error here.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
void (true satisfies SameSet<DossierAction, components['schemas']['Action']>);
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
const TRANSITIONS: Record<StatusCode, readonly DossierAction[]> = {
  1: ['refuse', 'withdraw'],
  2: ['start_processing', 'request_supplement', 'request_payment', 'refuse', 'withdraw', 'stop', 'resolve'],
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
export const NOTE_REQUIRED: readonly DossierAction[] = ['request_supplement', 'refuse', 'stop', 'apologize_and_extend', 'withdraw'];

/** Actions that end in a form the applicant is handed, and which one. */
export const ACTION_FORM: Partial<Record<DossierAction, FormCode>> = {
  request_supplement: '02',
  refuse: '03',
  apologize_and_extend: '04',
};

export const FORMS = ['01', '02', '03', '04', '06'] as const;
export type FormCode = (typeof FORMS)[number];

/** Actions that cannot be undone and so ask for a confirmation. */
export const DESTRUCTIVE: readonly DossierAction[] = ['refuse', 'withdraw', 'stop'];

function isStatus(n: number): n is StatusCode {
  return (STATUSES as readonly number[]).includes(n);
}

/**
 * The actions to offer on a dossier, in a stable order. `serverAllowed`: the dossier's
 * `allowed_actions`, which then decide (ours only fill in when the server sent none).
 * `needsApology`: the dossier is late and has no apology yet — only then is "apologise and set a
 * new date" (form 04) offered, since the law asks for it on late dossiers only; and until it is
 * given, the server refuses to resolve (409 `apology_required`), so "resolved" waits too.
 */
export function legalActions(
  status: number,
  opts: { needsApology?: boolean; serverAllowed?: readonly string[] | null } = {},
): DossierAction[] {
  if (!isStatus(status)) return [];
  const base: readonly string[] = opts.serverAllowed ?? [
    ...TRANSITIONS[status],
    ...(APOLOGY_STATUSES.includes(status) ? ['apologize_and_extend'] : []),
  ];
  const late = !!opts.needsApology;
  return ACTIONS.filter(
    (a) => base.includes(a) && (a === 'apologize_and_extend' ? late : !(a === 'resolve' && late)),
  );
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

export type DossierView = 'today' | 'due_soon' | 'overdue' | 'all';

export interface DossierSearch {
  view: DossierView;
  q: string;
  status: number | '';
  procedure_id: number | '';
  channel: number | '';
  timeliness: Timeliness | '';
  from: string;
  to: string;
  page: number;
  per_page: number;
}

export const EMPTY_SEARCH: DossierSearch = {
  view: 'today',
  q: '',
  status: '',
  procedure_id: '',
  channel: '',
  timeliness: '',
  from: '',
  to: '',
  page: 1,
  per_page: 50,
};

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
  const text = normalizeSearch(s.q);
  if (text) q.q = text;
  if (s.status !== '') q.status = s.status;
  if (s.procedure_id !== '') q.procedure_id = s.procedure_id;
  if (s.channel !== '') q.channel = s.channel;
  if (s.timeliness !== '') q.timeliness = s.timeliness;
  if (s.view !== 'all' && !(s.view === 'today' && text)) q.view = s.view;
  if (s.from) q.received_from = s.from;
  if (s.to) q.received_to = s.to;
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
export type IntakeBody = NewDossier;

/** Keeps only the digits of a phone or ID number as typed ("0912 345 678" → "0912345678"). */
export function digitsOnly(s: string): string {
  return s.replace(/\D/g, '');
}

/** The body of `POST /dossiers` from the intake form; null when no procedure is picked yet. */
export function intakeBody(f: IntakeForm): IntakeBody | null {
  if (f.procedure_id === null) return null;
  const body: IntakeBody = {
    procedure_id: f.procedure_id,
    channel: f.channel,
    applicant: {
      name: f.name.replace(/\s+/g, ' ').trim().normalize('NFC'),
      phone: digitsOnly(f.phone),
      id_number: digitsOnly(f.id_number),
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
export function previewBody(f: Pick<IntakeForm, 'procedure_id' | 'received_at'>): PreviewDueBody | null {
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
