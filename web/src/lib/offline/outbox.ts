// The outbox: writes made in the field that have not reached the server yet. A queued request
// is generic (method, URL, JSON or form parts, its idempotency key, a label people read), so
// any module can queue its writes here (docs/offline.md). The server answers a key it has seen
// with the first answer, so sending an item twice never makes two records.
//
// An item leaves the outbox only when the server accepted it (2xx) or the user deletes it.
// A network failure or a server error (5xx, 408, 429) keeps it and tries again with back-off;
// a refusal (another 4xx) keeps it too, marked, for the user to read, re-send or delete, with
// the fields the server named. A refusal that says the thing is already done on the server
// (`ALREADY_DONE`: the village's relay is already confirmed, from this phone or another) settles
// the item instead: it leaves the outbox with a note, since sending it again can only be refused.
import { api } from '../api';
import { parseError, type ApiError } from '../api/client';
import type { FieldError } from '../api/types';
import * as idb from './db';
import { newId } from './id';
import { offline } from './state.svelte';

export type FormPart = { name: string; value: string } | { name: string; blob: Blob; fileName: string };

export interface QueuedRequest {
  /** Made on the phone; also the `Idempotency-Key`. */
  id: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `/api/v1`, e.g. `/tasks/7/reports`. */
  url: string;
  /** A JSON body, or … */
  json?: unknown;
  /** … multipart form parts (photos as Blobs). */
  parts?: FormPart[];
  /** What people read in the list ("Báo cáo: Họp thôn …"). */
  label: string;
  /** A line of what was written, so two items of one task can be told apart. */
  detail?: string;
  /** Module tag, for a page that wants to show its own queued items (`report:7`). */
  kind: string;
  /** The user who made it; items are sent only under the same user. */
  userId: number;
  createdAt: string;
  attempts: number;
  /** Epoch ms of the next automatic try. */
  nextAt: number;
  state: 'waiting' | 'refused';
  /** The last failure: the server's words (or the browser's, with no network)… */
  lastError?: string;
  /** … and its HTTP status (0: no answer at all). */
  lastStatus?: number;
  /** A refusal's code and the fields the server named, each with its own words. */
  lastProblem?: { code: string; errors: FieldError[] };
}

export type NewRequest = Pick<QueuedRequest, 'method' | 'url' | 'json' | 'parts' | 'label' | 'detail' | 'kind' | 'userId'> & {
  id?: string;
};

export { newId };

/** Back-off after `attempts` failures: 5 s, 10 s, 20 s … at most 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(10 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

const listeners = new Set<() => void>();
/** Called after the outbox changed (a page showing the list reloads it). */
export function onChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/**
 * Recounts after the outbox changed, or when someone signs in or out: the badge counts the
 * signed-in user's items; `others` counts what waits for someone else (all of it when signed out).
 */
export async function changed(): Promise<void> {
  try {
    const me = currentUser();
    const all = await idb.all<QueuedRequest>('outbox');
    const mine = all.filter((i) => me !== null && i.userId === me).length;
    offline.queued = mine;
    offline.others = all.length - mine;
  } catch {
    // No IndexedDB (private mode on some browsers): nothing can be queued either.
  }
  // A refusal changes no count: pages showing an item's state read it again on this.
  offline.revision += 1;
  for (const f of listeners) f();
}

/**
 * The signed-in user's items, oldest first. A phone shared by two village heads keeps each one's
 * work to themselves: another's items are neither shown nor sent (nor are any when signed out).
 * A page may name the user it shows (the outbox learns who is signed in only once it has started,
 * after the first page is drawn).
 */
export async function list(user: number | null = currentUser()): Promise<QueuedRequest[]> {
  const items = (await idb.all<QueuedRequest>('outbox')).filter((i) => user !== null && i.userId === user);
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Stores a write for later. Never throws away an existing item with the same id. */
export async function enqueue(req: NewRequest, failure?: { message: string; status: number }): Promise<QueuedRequest> {
  const item: QueuedRequest = {
    ...req,
    id: req.id ?? newId(),
    createdAt: new Date().toISOString(),
    attempts: 0,
    nextAt: Date.now(),
    state: 'waiting',
    lastError: failure?.message,
    lastStatus: failure?.status,
  };
  await idb.put('outbox', item);
  await changed();
  schedule();
  return item;
}

export async function remove(id: string): Promise<void> {
  await idb.del('outbox', id);
  await changed();
}

/** Result of one try. */
export type SendResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; retry: boolean; message: string; status: number; error?: ApiError };

/**
 * Business-rule refusals (409) that mean what the item asks for is already so on the server: a
 * second try of the same write, or the same thing done first by someone else (another phone of the
 * village confirmed the relay). Such an item is settled, not refused. The server's `already_*`
 * rule codes (api/src, `AppError::rule`), and `client_id_taken`: the same survey form stored by a
 * concurrent request. `mfa_already_enabled` is not here: it is never queued, and a person must read it.
 */
export const ALREADY_DONE: ReadonlySet<string> = new Set([
  'already_relayed',
  'already_answered',
  'already_a_task',
  'plan_already_rolled_over',
  'client_id_taken',
]);

/** Whether a failed try means the thing is already done on the server (see `ALREADY_DONE`). */
export function alreadyDone(r: SendResult): r is Extract<SendResult, { ok: false }> & { error: ApiError } {
  return !r.ok && r.status === 409 && r.error !== undefined && ALREADY_DONE.has(r.error.code);
}

/** What is said of an item settled by an "already done" answer; kept until the user hides it. */
export interface SettledNote {
  id: string;
  userId: number;
  label: string;
  detail?: string;
  /** The server's code and words (`already_relayed`, "Thôn đã xác nhận …"). */
  code: string;
  message: string;
  at: string;
}

const NOTES = 'tt.outbox.settled';

function readNotes(): SettledNote[] {
  try {
    const raw = localStorage.getItem(NOTES);
    return raw ? (JSON.parse(raw) as SettledNote[]) : [];
  } catch {
    return [];
  }
}

function writeNotes(notes: SettledNote[]): void {
  try {
    if (notes.length) localStorage.setItem(NOTES, JSON.stringify(notes));
    else localStorage.removeItem(NOTES);
  } catch {
    // No storage: the note is lost, the item is still settled.
  }
}

/** The signed-in user's notes of settled items, newest first. */
export function settledNotes(user: number | null = currentUser()): SettledNote[] {
  return readNotes()
    .filter((n) => user !== null && n.userId === user)
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** Hides the signed-in user's notes (another user's stay). */
export function dismissSettled(user: number | null = currentUser()): void {
  writeNotes(readNotes().filter((n) => n.userId !== user));
  for (const f of listeners) f();
}

/** Takes an item the server already has out of the outbox, with a note; the last 20 notes are kept. */
async function settle(item: QueuedRequest, error: ApiError): Promise<void> {
  await idb.del('outbox', item.id);
  const note: SettledNote = {
    id: item.id,
    userId: item.userId,
    label: item.label,
    detail: item.detail,
    code: error.code,
    message: error.detail || error.title || error.code,
    at: new Date().toISOString(),
  };
  writeNotes([note, ...readNotes().filter((n) => n.id !== item.id)].slice(0, 20));
}

function body(req: Pick<QueuedRequest, 'json' | 'parts'>): { body?: BodyInit; type?: string } {
  if (req.parts) {
    const form = new FormData();
    for (const p of req.parts) {
      if ('blob' in p) form.append(p.name, p.blob, p.fileName);
      else form.append(p.name, p.value);
    }
    return { body: form };
  }
  if (req.json !== undefined) return { body: JSON.stringify(req.json), type: 'application/json' };
  return {};
}

/** Sends one request with its idempotency key; refreshes the session once on 401. */
export async function sendOnce(req: Pick<QueuedRequest, 'id' | 'method' | 'url' | 'json' | 'parts'>): Promise<SendResult> {
  const attempt = async (): Promise<Response> => {
    const { body: b, type } = body(req);
    const headers: Record<string, string> = { Accept: 'application/json', 'Idempotency-Key': req.id };
    if (type) headers['Content-Type'] = type;
    const tok = api.bearer();
    if (tok) headers.Authorization = `Bearer ${tok}`;
    return fetch(`/api/v1${req.url}`, { method: req.method, headers, body: b, credentials: 'same-origin' });
  };
  let res: Response;
  try {
    if (!api.hasToken()) await api.refresh();
    res = await attempt();
    if (res.status === 401 && (await api.refresh())) res = await attempt();
  } catch (e) {
    return { ok: false, retry: true, status: 0, message: e instanceof Error ? e.message : String(e) };
  }
  if (res.ok) {
    const text = await res.text();
    return { ok: true, status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }
  const err = await parseError(res);
  const retry = res.status >= 500 || res.status === 408 || res.status === 429 || res.status === 401;
  return { ok: false, retry, status: res.status, message: err.detail || err.title || err.code, error: err };
}

let flushing: Promise<FlushResult> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** What one round of sending did, for the person who asked for it ("Gửi tất cả"). */
export interface FlushResult {
  /** Accepted by the server (2xx). */
  sent: number;
  /** Already done on the server (`ALREADY_DONE`): out of the outbox, with a note. */
  settled: number;
  /** Refused by the server in this round (kept, marked). */
  refused: number;
  /** Failed for now (no answer, a server error): tried again later. */
  failed: number;
  /** Not tried at all for want of a network (the browser says so, or the first try got no answer). */
  offline: boolean;
}

const nothing = (offlineNow: boolean): FlushResult => ({ sent: 0, settled: 0, refused: 0, failed: 0, offline: offlineNow });

/**
 * Tries every item that is due (or all waiting ones, when `force`; refused ones too, when
 * `refused`: the person's own "Gửi tất cả"). Resolves with what happened.
 */
export function flush(force = false, refused = false): Promise<FlushResult> {
  flushing ??= doFlush(force, refused).finally(() => {
    flushing = null;
    offline.syncing = false;
    schedule();
  });
  return flushing;
}

async function doFlush(force: boolean, includeRefused: boolean): Promise<FlushResult> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return nothing(true);
  let items: QueuedRequest[];
  try {
    items = await list();
  } catch {
    return nothing(false); // No IndexedDB: nothing was queued either.
  }
  const now = Date.now();
  const result = nothing(false);
  for (const item of items) {
    if ((item.state === 'refused' && !includeRefused) || (!force && item.nextAt > now)) continue;
    offline.syncing = true;
    const r = await sendOnce(item);
    if (r.ok) {
      await idb.del('outbox', item.id);
      result.sent += 1;
    } else if (alreadyDone(r)) {
      await settle(item, r.error);
      result.settled += 1;
    } else {
      await recordFailure(item, r);
      if (r.retry) result.failed += 1;
      else result.refused += 1;
      // No network after all: the rest would fail the same way.
      if (r.status === 0) {
        result.offline = result.sent + result.settled + result.refused === 0;
        break;
      }
    }
  }
  await changed();
  if (result.sent + result.settled > 0) offline.sentGeneration += 1;
  return result;
}

/** Keeps a failed try on the item: one attempt more, when to try again, or refused for good. */
async function recordFailure(item: QueuedRequest, r: Extract<SendResult, { ok: false }>): Promise<void> {
  const attempts = item.attempts + 1;
  await idb.put('outbox', {
    ...item,
    attempts,
    nextAt: Date.now() + backoffMs(attempts),
    state: r.retry ? 'waiting' : 'refused',
    lastError: r.message,
    lastStatus: r.status,
    lastProblem: r.error && !r.retry ? { code: r.error.code, errors: r.error.errors } : undefined,
  } satisfies QueuedRequest);
}

/** Re-sends one item now (the user's "Gửi lại"). */
export async function resend(id: string): Promise<SendResult | null> {
  const item = await idb.get<QueuedRequest>('outbox', id);
  // Only its maker sends an item, under their own session (never filed as another's village).
  if (!item || item.userId !== currentUser()) return null;
  await idb.put('outbox', { ...item, state: 'waiting', nextAt: 0 } satisfies QueuedRequest);
  const r = await sendOnce(item);
  if (r.ok) {
    await idb.del('outbox', id);
    offline.sentGeneration += 1;
  } else if (alreadyDone(r)) {
    await settle(item, r.error);
    offline.sentGeneration += 1;
  } else {
    await recordFailure(item, r);
  }
  await changed();
  return r;
}

/** Sends now if the network is there; on a network failure or a server error, queues it. */
export async function submit(req: NewRequest): Promise<{ sent: true; body: unknown } | { sent: false; item: QueuedRequest }> {
  const id = req.id ?? newId();
  if (typeof navigator === 'undefined' || navigator.onLine !== false) {
    const r = await sendOnce({ ...req, id });
    if (r.ok) return { sent: true, body: r.body };
    // Refused (4xx): the server's problem as it came, with its field errors, for the form to show.
    if (!r.retry) throw r.error ?? Object.assign(new Error(r.message), { status: r.status });
    return { sent: false, item: await enqueue({ ...req, id }, r) };
  }
  return { sent: false, item: await enqueue({ ...req, id }) };
}

let userOf: () => number | null = () => null;
function currentUser(): number | null {
  return userOf();
}

function schedule(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  void list()
    .then((items) => {
      const due = items.filter((i) => i.state === 'waiting').map((i) => i.nextAt);
      if (due.length === 0) return;
      const wait = Math.max(1_000, Math.min(...due) - Date.now());
      timer = setTimeout(() => {
        timer = null;
        void flush();
      }, wait);
    })
    .catch(() => undefined);
}

/** Asks the browser not to evict the outbox; records whether it agreed. */
async function askPersistence(): Promise<void> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist) return;
  try {
    const already = storage.persisted ? await storage.persisted() : false;
    offline.persist = already || (await storage.persist()) ? 'granted' : 'refused';
  } catch {
    offline.persist = 'refused';
  }
}

let started = false;

/** At app start: count, ask for persistent storage, send what is waiting, and again online. */
export async function start(user: () => number | null = () => null): Promise<void> {
  userOf = user;
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flush(true));
  await changed();
  void askPersistence();
  void flush(true);
}
