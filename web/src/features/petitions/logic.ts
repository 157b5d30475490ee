// Pure helpers of the petition pages (tested in web/src/tests/petitions-logic.test.ts).
import type { ComplianceWeek, PetitionAction } from './types';

/** Fields an action's dialog asks for; the ones marked required are checked before sending. */
export type ActionField =
  | 'reason'
  | 'to'
  | 'handler_id'
  | 'complexity'
  | 'outcome'
  | 'conclusion'
  | 'document_ref'
  | 'answer'
  | 'public'
  | 'decision_date'
  | 'days'
  | 'rating'
  | 'note';

export interface FieldSpec {
  field: ActionField;
  required: boolean;
}

/** What each lifecycle action asks for (the server's `PetitionActionBody`). */
export function actionFields(action: PetitionAction): FieldSpec[] {
  const req = (field: ActionField): FieldSpec => ({ field, required: true });
  const opt = (field: ActionField): FieldSpec => ({ field, required: false });
  switch (action) {
    case 'accept':
      return [opt('complexity'), opt('decision_date'), opt('note')];
    case 'refuse':
      return [req('reason')];
    case 'forward':
      return [req('to'), opt('note')];
    case 'assign':
      return [req('handler_id'), opt('note')];
    case 'request_info':
      return [req('note')];
    case 'extend':
      return [req('decision_date'), req('days'), req('document_ref'), opt('note')];
    case 'conclude':
      return [req('outcome'), req('conclusion'), req('document_ref')];
    case 'publish':
      return [req('answer'), opt('public')];
    case 'record_rating':
      return [req('rating')];
    default:
      return [opt('note')];
  }
}

/** The values a dialog holds, as the inputs give them (strings and a checkbox). */
export type ActionValues = Partial<Record<ActionField, string | boolean>>;

/** The first required field left empty, or null. */
export function missingField(action: PetitionAction, values: ActionValues): ActionField | null {
  for (const f of actionFields(action)) {
    if (!f.required) continue;
    const v = values[f.field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return f.field;
  }
  return null;
}

/** The body of `POST /petitions/{id}/actions` from a dialog's values (empty optional fields left out). */
export function actionBody(action: PetitionAction, values: ActionValues): Record<string, unknown> {
  const body: Record<string, unknown> = { action };
  for (const { field } of actionFields(action)) {
    const v = values[field];
    if (v === undefined || v === '') continue;
    if (field === 'public') body.public = v === true;
    else if (field === 'handler_id' || field === 'complexity' || field === 'days') body[field] = Number(v);
    else if (typeof v === 'string') body[field] = v.trim();
  }
  return body;
}

/** Printed documents that apply to a petition, from the events it went through. */
export function documentsFor(events: readonly { action: string }[]): Array<'acceptance' | 'refusal' | 'forwarding' | 'extension'> {
  const seen = new Set(events.map((e) => e.action));
  const out: Array<'acceptance' | 'refusal' | 'forwarding' | 'extension'> = [];
  if (seen.has('accept')) out.push('acceptance');
  if (seen.has('refuse')) out.push('refusal');
  if (seen.has('forward')) out.push('forwarding');
  if (seen.has('extend')) out.push('extension');
  return out;
}

/**
 * How one week of the compliance strip reads: held, delegated (lawfully or not), missed (red),
 * or still to come (the week of `today` or later, not held yet: not a gap yet).
 */
export function weekState(w: ComplianceWeek, today = ''): 'held' | 'delegated' | 'unlawful' | 'missed' | 'pending' {
  if (!w.held) return today && shiftDay(w.week_start, 6) >= today ? 'pending' : 'missed';
  if (w.unlawful_delegation) return 'unlawful';
  return w.delegated ? 'delegated' : 'held';
}

/** A `yyyy-mm-dd` day `days` before/after `day`. */
export function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in the commune (UTC+7, no DST) as `yyyy-mm-dd`. */
export function todayLocal(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** A `datetime-local` value (commune time) as RFC 3339 with the +07:00 offset. */
export function localToRfc3339(value: string): string {
  const v = value.length === 16 ? `${value}:00` : value;
  return `${v}+07:00`;
}

/** An RFC 3339 instant as a `datetime-local` value in commune time (UTC+7, no DST). */
export function rfc3339ToLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}

/** The petition list's filters as the address's query (empty ones left out), `?…` or ''. */
export function filterSearch(filters: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    const text = v === undefined ? '' : String(v).trim();
    if (text === '' || (k === 'page' && Number(text) <= 1)) continue;
    p.set(k, text);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * What a history line says under its action. The server keeps data there, not sentences: the new
 * handler's name (`assign`), where the petition went (`forward`), the rating codes — a
 * correction as `before → after` (`record_rating`); any other note is the officer's own text.
 */
export function eventNote(
  action: string,
  note: string | null | undefined,
  words: { assignedTo(name: string): string; forwardedTo(to: string): string; rating(code: string): string },
): string {
  if (!note) return '';
  if (action === 'assign') return words.assignedTo(note);
  if (action === 'forward') return words.forwardedTo(note);
  if (action === 'record_rating') return note.split(' → ').map(words.rating).join(' → ');
  return note;
}

/**
 * A phone as the server takes it (`Validator::phone`, api/src/error.rs): 8–15 digits, and nothing
 * but spaces and `+ . - ( )` between them ("0912 000 777", "+84 (912) 000.777"). Empty is
 * fine: the phone is optional.
 */
export function phoneWritten(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  const digits = [...v].filter((c) => c >= '0' && c <= '9').length;
  return /^[0-9 +.\-()]+$/u.test(v) && digits >= 8 && digits <= 15;
}

/**
 * What the server would refuse in a petition received by hand (api/src/petitions/service.rs
 * `create_in`), as `[field, code]`: checked before it is sent, since a village head's petition
 * is queued with no network and a refusal would only be read later, in "Chưa gửi". Empty required
 * fields are the form's own check.
 */
export function petitionProblems(p: {
  subject: string;
  content: string;
  name: string;
  phone: string;
  denunciation: boolean;
}): [string, string][] {
  const out: [string, string][] = [];
  const chars = (s: string) => [...s.trim()].length;
  if (chars(p.subject) > 0 && chars(p.subject) < 3) out.push(['subject', 'too_short']);
  if (chars(p.content) > 0 && chars(p.content) < 3) out.push(['content', 'too_short']);
  const name = p.denunciation ? 'identity.name' : 'petitioner_name';
  if (chars(p.name) === 1) out.push([name, 'too_short']);
  const phone = p.denunciation ? 'identity.phone' : 'phone';
  if (!phoneWritten(p.phone)) out.push([phone, 'invalid_format']);
  else if (p.denunciation && chars(p.phone) > 30) out.push([phone, 'too_long']);
  return out;
}
