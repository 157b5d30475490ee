import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reset } from './memory-db';
import { setLang } from '../i18n/index.svelte';
import { offline } from '../lib/offline/state.svelte';

// The outbox against a server that refuses: the fields it names stay on the item, and an answer
// that says the thing is already done settles the item instead of leaving it red for ever.

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const box = await import('../lib/offline/outbox');
const { refusalText } = await import('../lib/offline/words');

const ME = 7;
const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });
const relay = (id: number) => ({
  method: 'POST' as const,
  url: `/disclosures/${id}/relays`,
  parts: [{ name: 'relayed_on', value: '2026-12-01' }],
  label: `Xác nhận thông báo: #${id}`,
  detail: 'Thôn 1 · 01/12/2026',
  kind: `relay:${id}`,
  userId: ME,
});
const BEFORE_START = {
  code: 'validation_failed',
  detail: '1 trường chưa hợp lệ.',
  errors: [{ field: 'relayed_on', code: 'invalid_value', message: 'Ngày thông báo không được trước ngày bắt đầu công khai.' }],
};

let answer: (url: string) => Response;
const fetchFn = vi.fn(async (input: RequestInfo | URL) => answer(String(input)));

beforeAll(async () => {
  // The back-off timer never fires by itself here: each test sends when it says so.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('fetch', fetchFn);
  await box.start(() => ME);
});
beforeEach(() => {
  reset();
  localStorage.clear();
  fetchFn.mockClear();
  void setLang('vi');
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('a refused item', () => {
  it('keeps the fields the server named, with its own words', async () => {
    answer = () => problem(422, BEFORE_START);
    await box.enqueue(relay(21));
    const r = await box.flush(true);
    expect(r).toEqual({ sent: 0, settled: 0, refused: 1, failed: 0, offline: false });
    const [item] = await box.list();
    expect(item.state).toBe('refused');
    expect(item.lastProblem).toEqual({ code: 'validation_failed', errors: BEFORE_START.errors });
    // Not "1 trường chưa hợp lệ.": what was wrong.
    expect(refusalText(item)).toBe('Ngày thông báo không được trước ngày bắt đầu công khai.');
    void setLang('en');
    expect(refusalText(item)).not.toMatch(/relayed_on|trường/);
    expect(refusalText(item)).toMatch(/announcement day/i);
  });

  it('is not tried again by the automatic sending, only by the person', async () => {
    answer = () => problem(422, BEFORE_START);
    await box.enqueue(relay(21));
    await box.flush(true);
    fetchFn.mockClear();
    expect(await box.flush(true)).toEqual({ sent: 0, settled: 0, refused: 0, failed: 0, offline: false });
    expect(fetchFn).not.toHaveBeenCalled();
    answer = () => new Response('{"id":1}', { status: 201, headers: { 'content-type': 'application/json' } });
    expect(await box.flush(true, true)).toEqual({ sent: 1, settled: 0, refused: 0, failed: 0, offline: false });
    expect(await box.list()).toEqual([]);
  });
});

describe('an item the server already has', () => {
  const ALREADY = { code: 'already_relayed', detail: 'Thôn đã xác nhận thông báo nội dung này.' };

  it('leaves the outbox with a note instead of staying refused', async () => {
    answer = () => problem(409, ALREADY);
    const generation = offline.sentGeneration;
    const item = await box.enqueue(relay(21));
    expect(await box.flush(true)).toEqual({ sent: 0, settled: 1, refused: 0, failed: 0, offline: false });
    expect(await box.list()).toEqual([]);
    expect(offline.queued).toBe(0);
    // Pages reload what the server holds now (the village shows as relayed).
    expect(offline.sentGeneration).toBe(generation + 1);
    const notes = box.settledNotes();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ id: item.id, label: 'Xác nhận thông báo: #21', code: 'already_relayed', message: ALREADY.detail });
    // Another user signed in on this phone does not read it; hiding it forgets it.
    expect(box.settledNotes(8)).toEqual([]);
    box.dismissSettled();
    expect(box.settledNotes()).toEqual([]);
  });

  it('is settled by "Gửi lại" too', async () => {
    answer = () => problem(422, BEFORE_START);
    const item = await box.enqueue(relay(22));
    await box.flush(true);
    answer = () => problem(409, ALREADY);
    const r = await box.resend(item.id);
    expect(r && box.alreadyDone(r)).toBe(true);
    expect(await box.list()).toEqual([]);
    expect(box.settledNotes().map((n) => n.id)).toEqual([item.id]);
  });

  it('but another rule refusal (409) stays refused for the person to read', async () => {
    answer = () => problem(409, { code: 'village_not_asked', detail: 'Nội dung này không yêu cầu thôn của bạn thông báo.' });
    await box.enqueue(relay(23));
    expect(await box.flush(true)).toMatchObject({ settled: 0, refused: 1 });
    const [item] = await box.list();
    expect(item.state).toBe('refused');
    expect(refusalText(item)).toBe('Nội dung này không yêu cầu thôn của bạn thông báo.');
    expect(box.settledNotes()).toEqual([]);
  });

  // Every "already done" rule the server refuses by is classified here, so a new one is not
  // left red in the outbox by oversight.
  const api = resolve(__dirname, '../../../api/src');
  it.skipIf(!existsSync(api))('covers every already_* rule code of the server', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.rs') ? [join(dir, n)] : []));
    const codes = new Set(files(api).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/AppError::rule\(\s*"([a-z_]+)"/g)].map((m) => m[1])));
    expect(codes.has('already_relayed')).toBe(true);
    // Enabling two-factor sign-in is never queued, and its refusal is for the person to read.
    const already = [...codes].filter((c) => c.includes('already') && c !== 'mfa_already_enabled');
    expect(already.filter((c) => !box.ALREADY_DONE.has(c))).toEqual([]);
    expect([...box.ALREADY_DONE].filter((c) => !codes.has(c))).toEqual([]);
  });
});

describe('sending with no network', () => {
  it('says nothing was tried', async () => {
    answer = () => problem(500, {});
    await box.enqueue(relay(24));
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    expect(await box.flush(true, true)).toEqual({ sent: 0, settled: 0, refused: 0, failed: 0, offline: true });
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('stops at the first try that gets no answer', async () => {
    const a = await box.enqueue(relay(25));
    await box.enqueue(relay(26));
    fetchFn.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect(await box.flush(true)).toEqual({ sent: 0, settled: 0, refused: 0, failed: 1, offline: true });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect((await box.list()).find((i) => i.id === a.id)?.state).toBe('waiting');
  });
});
