import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import * as memory from './memory-db';
import { villageHead, withOutbox } from './offline-harness';
import { session } from '../lib/session.svelte';
import { offline } from '../lib/offline/state.svelte';
import type { Me } from '../lib/api/types';
import type { Query } from '../lib/api/client';
import { notice } from './disclosure-fixtures';

// A village head opens only the landing page while in signal, then goes to the village: the
// warm-up kept the surveys to capture and the notices to relay, so "Khảo sát hài lòng", a
// survey's capture, "Công khai" and a notice beyond the list's first page open with no network.

// The in-memory database, its reads counted (a phone with no network does not even look).
vi.mock('../lib/offline/db', async () => {
  const m = await import('./memory-db');
  return { ...m, get: vi.fn(m.get) };
});
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const listSurveys = vi.fn();
const getSurvey = vi.fn();
vi.mock('../features/surveys/api', async (original) => ({
  ...(await original<typeof import('../features/surveys/api')>()),
  listSurveys: () => listSurveys(),
  getSurvey: (id: number) => getSurvey(id),
}));
const listDisclosures = vi.fn();
const getDisclosure = vi.fn();
vi.mock('../features/democracy/api', async (original) => ({
  ...(await original<typeof import('../features/democracy/api')>()),
  listDisclosures: (query: Query) => listDisclosures(query),
  getDisclosure: (id: number | string) => getDisclosure(id),
  disclosureAlerts: async () => [],
}));
const db = await import('../lib/offline/db');
const { warm } = await import('../features/offline/warm');
const { default: SurveysPage } = await import('../features/surveys/Surveys.svelte');
const { default: CapturePage } = await import('../features/surveys/Capture.svelte');
const { default: DisclosuresPage } = await import('../features/democracy/Disclosures.svelte');
const { default: DisclosurePage } = await import('../features/democracy/Disclosure.svelte');

const PERMS = ['report_tasks', 'read_plans', 'read_statistics', 'read_democracy', 'relay_disclosures', 'capture_survey_answers'];
const village = villageHead(PERMS);
withOutbox(village, vi.fn(async (): Promise<Response> => new Response('', { status: 503 })));

/** A survey of the list: open or not, by these channels. */
function survey(id: number, open: boolean, channels: string[]) {
  return {
    id,
    form_id: 1,
    form_title: 'Mẫu thân thiện',
    title: `Khảo sát ${id}`,
    starts_on: '2020-01-01',
    ends_on: null,
    target: 'all',
    channels,
    per_dossier: false,
    public_path: `/khao-sat/${id}`,
    open,
    responses: 0,
    created_at: '2020-01-01T00:00:00Z',
  };
}
const SURVEYS = [survey(5, true, ['paper', 'village']), survey(6, true, ['link']), survey(8, false, ['village'])];
const surveyDetail = (id: number) => ({
  ...SURVEYS.find((s) => s.id === id),
  questions: [{ id: 'overall', kind: 'likert5', text: 'Anh/chị hài lòng chung thế nào?', required: true }],
});

// 31 notices still to relay: the list shows 30 a page, so the last (99) is only on page 2.
const TO_RELAY = [...Array.from({ length: 30 }, (_, i) => notice(101 + i)), notice(99)];
/** The server's list: a village head's `unrelayed` is what their village has still to relay. */
function serverList(query: Query) {
  const page = Number(query.page ?? 1);
  const per = Number(query.per_page ?? 30);
  const all = query.unrelayed ? TO_RELAY : [...TO_RELAY, notice(200)];
  return { items: all.slice((page - 1) * per, page * per), total: all.length, page, per_page: per };
}

let online: ReturnType<typeof vi.spyOn>;
beforeAll(() => {
  // The phone is idle at once (the outbox's frozen timers hold whenIdle's setTimeout fallback).
  vi.stubGlobal('requestIdleCallback', (cb: () => void) => queueMicrotask(cb));
});
beforeEach(() => {
  online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
  offline.online = true;
  listSurveys.mockReset().mockImplementation(async () => ({ items: SURVEYS, total: SURVEYS.length, page: 1, per_page: 100 }));
  getSurvey.mockReset().mockImplementation(async (id: number) => surveyDetail(id));
  listDisclosures.mockReset().mockImplementation(async (query: Query) => serverList(query));
  getDisclosure.mockReset().mockImplementation(async (id: number | string) => notice(Number(id)));
});
afterEach(() => {
  online.mockRestore();
  offline.online = true;
});

/** The network goes: from now on every read comes from what the phone kept. */
function goOffline() {
  online.mockReturnValue(false);
  offline.online = false;
}

describe('the warm-up of a village head’s phone', () => {
  it('keeps the surveys to capture and every notice to relay, so their pages open with no network', async () => {
    await warm();
    // What the pages ask for: the surveys, each one captured in the village (not 6, not 8),
    // the list as it opens, its second page, and each notice to relay.
    expect(listSurveys).toHaveBeenCalledTimes(1);
    expect(getSurvey.mock.calls).toEqual([[5]]);
    expect(listDisclosures.mock.calls.map(([q]) => q)).toEqual([
      { page: 1, per_page: 30, unrelayed: true },
      { page: 2, per_page: 30, unrelayed: true },
    ]);
    expect(getDisclosure.mock.calls.map(([id]) => Number(id)).sort()).toEqual(TO_RELAY.map((d) => d.id).sort());

    goOffline();
    await openOffline(SurveysPage, {}, 'surveys-synced');
    expect(await screen.findByTestId('survey-5')).toBeInTheDocument();
    expect(screen.queryByTestId('survey-6')).toBeNull();

    await openOffline(CapturePage, { params: { id: '5' } }, 'capture-synced');
    expect((await screen.findByTestId('cq-overall')).textContent).toContain('Anh/chị hài lòng chung thế nào?');

    await openOffline(DisclosuresPage, {}, 'synced-at');
    expect(await screen.findByText('Kế hoạch sử dụng đất 101')).toBeInTheDocument();
    // Beyond the list's first page, never shown on it: kept all the same.
    expect(screen.queryByText('Kế hoạch sử dụng đất 99')).toBeNull();

    await openOffline(DisclosurePage, { params: { id: '99' } }, 'synced-at');
    await waitFor(() => expect(screen.getByTestId('disclosure-title').textContent).toBe('Kế hoạch sử dụng đất 99'));
    expect(await screen.findByTestId('relay-form')).toBeInTheDocument();
    // Nothing of it was asked of the server once offline.
    expect(listSurveys).toHaveBeenCalledTimes(1);
    expect(getDisclosure).toHaveBeenCalledTimes(TO_RELAY.length);
  });

  it('keeps under the keys the pages read, for the user signed in', async () => {
    await warm();
    const keys = (await memory.all<{ key: string }>('reads')).map((r) => r.key).sort();
    expect(keys).toEqual(
      [
        'surveys:7',
        'survey:7:5',
        'disclosures:7:{"page":1,"per_page":30,"unrelayed":true}',
        'disclosures:7:{"page":2,"per_page":30,"unrelayed":true}',
        ...TO_RELAY.map((d) => `disclosure:7:${d.id}`),
      ].sort(),
    );
  });

  it('does nothing for another role', async () => {
    for (const role of ['board', 'front', 'ubnd', 'admin']) {
      session.me = { ...village, user: { ...village.user, role } } as Me;
      await warm();
    }
    expectNothingAsked();
    expect(await memory.count('reads')).toBe(0);
  });

  it('does nothing when the phone has no network, or when the session was started without one', async () => {
    // Kept at an earlier sync: not even read again.
    await memory.put('reads', { key: 'surveys:7', at: '2026-12-01T08:00:00Z', value: { items: SURVEYS, total: 3 } });
    vi.mocked(db.get).mockClear();
    goOffline();
    await warm();
    online.mockReturnValue(true);
    offline.online = true;
    session.offline = true;
    try {
      await warm();
    } finally {
      session.offline = false;
    }
    expectNothingAsked();
    expect(db.get).not.toHaveBeenCalled();
    expect(await memory.count('reads')).toBe(1);
  });

  it('warms again when the network comes back', async () => {
    await warm();
    expect(listSurveys).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(getDisclosure).toHaveBeenCalledTimes(2 * TO_RELAY.length));
    expect(listSurveys).toHaveBeenCalledTimes(2);
  });
});

/** Opens a page after the last one (as the router does) and waits until it says it shows the last sync. */
async function openOffline(page: Parameters<typeof render>[0], props: Record<string, unknown>, synced: string) {
  cleanup();
  render(page, { props });
  await screen.findByTestId(synced);
}

function expectNothingAsked() {
  expect(listSurveys).not.toHaveBeenCalled();
  expect(getSurvey).not.toHaveBeenCalled();
  expect(listDisclosures).not.toHaveBeenCalled();
  expect(getDisclosure).not.toHaveBeenCalled();
}
