import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Oversight from '../features/oversight/Oversight.svelte';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import { route } from '../lib/router/router.svelte';
import type { Me } from '../lib/api/types';
import { democracyTotal, periodProblem, petitionSums } from '../features/oversight/logic';

// The province's page of the communes side by side (/oversight), against a stubbed server.

const province: Me = {
  user: { id: 9, username: 'tinh', full_name: 'Sở Nội vụ', role: 'oversight', active: true } as unknown as Me['user'],
  commune: null,
  authority: { id: 1, name: 'Thanh Hóa' } as unknown as Me['authority'],
  permissions: ['read_dossiers', 'read_statistics', 'read_communes', 'read_evaluations'] as Me['permissions'],
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const COMMUNES = [
  { id: 1, name: 'Bình Lương', authority_id: 1, authority_name: 'Thanh Hóa', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' },
  { id: 2, name: 'Xuân Bình', authority_id: 1, authority_name: 'Thanh Hóa', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' },
];
const SURVEYS = {
  from: '2026-01-01',
  to: '2026-06-30',
  minimum_sample: 10,
  communes: [
    { commune_id: 1, name: 'Bình Lương', responses: 90, duplicates_flagged: 14, satisfaction_index: 0.7444, rank: 1 },
    { commune_id: 2, name: 'Xuân Bình', responses: 4, duplicates_flagged: 0, satisfaction_index: null, note: 'chưa đủ số phiếu', rank: null },
  ],
  total: { commune_id: null, name: 'Tổng', responses: 94, duplicates_flagged: 14, satisfaction_index: 0.75 },
};
const DEMOCRACY = [
  { commune_id: 1, commune_name: 'Bình Lương', disclosures: 20, with_warnings: 1, relay_on_time_share: 0.5, periodic_overdue: 3, activities: 11, people_reached: 775, meetings: 4, decisions_due: 9, decisions_done_on_time: 3, recommendations: 4, recommendations_answered: 3 },
  { commune_id: 2, commune_name: 'Xuân Bình', disclosures: 5, with_warnings: 0, relay_on_time_share: null, periodic_overdue: 0, activities: 2, people_reached: 40, meetings: 1, decisions_due: 1, decisions_done_on_time: 1, recommendations: 0, recommendations_answered: 0 },
];
const kinds = (received: number, overdue: number) => [
  { kind: 'feedback', received, accepted: received, settled: received - 1, settled_with_time_limit: received - 1, settled_on_time: received - 2, average_days: 10, overdue_open: overdue },
  { kind: 'complaint', received: 1, accepted: 1, settled: 1, settled_with_time_limit: 1, settled_on_time: 1, average_days: 12, overdue_open: 0 },
];
const petitions = (id: string | null) =>
  id === '1'
    ? { from: '2026-01-01', to: '2026-06-30', communes: 1, by_kind: kinds(20, 2), sessions_required: 26, sessions_held: 24 }
    : id === '2'
      ? { from: '2026-01-01', to: '2026-06-30', communes: 1, by_kind: kinds(5, 0), sessions_required: 26, sessions_held: 26 }
      : { from: '2026-01-01', to: '2026-06-30', communes: 2, by_kind: kinds(25, 2), sessions_required: 52, sessions_held: 50 };

let calls: URL[] = [];
let surveys: unknown = SURVEYS;
let byCommuneFails = false;
beforeEach(() => {
  calls = [];
  byCommuneFails = false;
  surveys = SURVEYS;
  setLang('vi');
  session.me = province;
  history.replaceState(null, '', '/oversight?from=2026-01-01&to=2026-06-30');
  route.path = location.pathname;
  route.search = location.search;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      calls.push(url);
      const path = url.pathname.replace('/api/v1', '');
      if (path === '/communes') return json(COMMUNES);
      if (path === '/survey-aggregates') return json(surveys);
      if (path === '/democracy/oversight') return json(DEMOCRACY);
      if (path === '/petitions/figures') return json(petitions(url.searchParams.get('commune_id')));
      if (path === '/petitions/figures/by-commune') {
        if (byCommuneFails) return json({ status: 503, code: 'service_unavailable' }, 503);
        return json([1, 2].map((id) => ({ commune_id: id, figures: petitions(String(id)) })));
      }
      return json({ status: 404, code: 'not_found' }, 404);
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  session.me = null;
});

const row = (section: string, id: number) => screen.getByTestId(section).querySelector(`tr[data-commune="${id}"]`) as HTMLElement;

describe('the communes overview', () => {
  it('shows each commune’s satisfaction with the repeats said in words, its petitions and democracy, and the totals', async () => {
    render(Oversight);
    await screen.findByTestId('ov-sat-total');
    const bl = row('ov-satisfaction', 1);
    expect(bl).toHaveTextContent('74,4%');
    expect(within(bl).getByTestId('ov-repeats')).toHaveTextContent('trong đó 14 phiếu bị đánh dấu gửi lặp');
    // Below the minimum sample: no index, the reason in words.
    expect(row('ov-satisfaction', 2)).toHaveTextContent('Chưa đủ số phiếu (cần ít nhất 10)');
    expect(row('ov-satisfaction', 2)).toHaveTextContent('không có phiếu nào bị đánh dấu gửi lặp');
    expect(screen.getByTestId('ov-sat-total')).toHaveTextContent('75%');
    // Petitions per commune (the kinds summed) and in total.
    await waitFor(() => expect(row('ov-petitions', 1)).toHaveTextContent('21'));
    expect(row('ov-petitions', 1)).toHaveTextContent('24 / 26');
    expect(screen.getByTestId('ov-pet-total')).toHaveTextContent('26');
    expect(screen.getByTestId('ov-pet-total')).toHaveTextContent('50 / 52');
    // Democracy lines, and their sum.
    expect(row('ov-democracy', 1)).toHaveTextContent('11 (775)');
    expect(screen.getByTestId('ov-dem-total')).toHaveTextContent('13 (815)');
    // The period asked for is the address's.
    const asked = calls.filter((u) => u.pathname === '/api/v1/survey-aggregates');
    expect(asked[0].searchParams.get('from')).toBe('2026-01-01');
    expect(asked[0].searchParams.get('to')).toBe('2026-06-30');
    // Never a name or personal data: only the communes' names and counts reach the page.
    expect(screen.getByTestId('oversight').textContent).not.toMatch(/Nguyễn|@|09\d{8}/);
  });

  it('asks for the petitions of every commune in one request, and says so when only the total came', async () => {
    render(Oversight);
    await waitFor(() => expect(row('ov-petitions', 2)).toHaveTextContent('26 / 26'));
    const petitionCalls = calls.filter((u) => u.pathname.startsWith('/api/v1/petitions/'));
    expect(petitionCalls.map((u) => u.pathname).sort()).toEqual(['/api/v1/petitions/figures', '/api/v1/petitions/figures/by-commune']);
    expect(petitionCalls.every((u) => !u.searchParams.has('commune_id'))).toBe(true);
    expect(screen.queryByTestId('ov-petitions-total-only')).toBeNull();
    cleanup();

    byCommuneFails = true;
    render(Oversight);
    expect(await screen.findByTestId('ov-petitions-total-only')).toHaveTextContent('chỉ hiện tổng');
    expect(screen.getByTestId('ov-pet-total')).toHaveTextContent('50 / 52');
  });

  it('keeps the commune filter in the address and asks for that commune', async () => {
    render(Oversight);
    await screen.findByTestId('ov-sat-total');
    const select = screen.getByTestId('ov-commune') as HTMLSelectElement;
    await waitFor(() => expect(select.options).toHaveLength(3));
    await fireEvent.change(select, { target: { value: '2' } });
    await waitFor(() => expect(new URLSearchParams(route.search).get('commune')).toBe('2'));
    expect(new URLSearchParams(route.search).get('to')).toBe('2026-06-30');
    await waitFor(() => expect(calls.some((u) => u.pathname === '/api/v1/survey-aggregates' && u.searchParams.get('commune_id') === '2')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('ov-satisfaction').querySelectorAll('tbody tr')).toHaveLength(1));
    expect(row('ov-satisfaction', 2)).toBeTruthy();
    expect(screen.getByTestId('ov-onestop').getAttribute('href')).toBe('/onestop/dashboard?commune=2');
  });

  it('says what is wrong with a reversed period and asks nothing', async () => {
    history.replaceState(null, '', '/oversight?from=2026-06-30&to=2026-01-01');
    route.search = location.search;
    render(Oversight);
    expect(await screen.findByText('Ngày kết thúc không được trước ngày bắt đầu.')).toBeInTheDocument();
    expect(calls.some((u) => u.pathname === '/api/v1/survey-aggregates')).toBe(false);
  });

  it('shows nothing for repeats when the server does not count them (an older server)', async () => {
    surveys = {
      ...SURVEYS,
      communes: SURVEYS.communes.map(({ duplicates_flagged: _d, ...c }) => c),
      total: { commune_id: null, name: 'Tổng', responses: 94, satisfaction_index: 0.75 },
    };
    render(Oversight);
    await screen.findByTestId('ov-sat-total');
    expect(row('ov-satisfaction', 1)).toHaveTextContent('74,4%');
    expect(screen.queryByTestId('ov-repeats')).toBeNull();
    expect(screen.getByTestId('ov-satisfaction').textContent).not.toMatch(/gửi lặp/);
  });

  it('speaks English', async () => {
    setLang('en');
    render(Oversight);
    await screen.findByTestId('ov-sat-total');
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Communes overview'));
    expect(within(row('ov-satisfaction', 1)).getByTestId('ov-repeats')).toHaveTextContent('of which 14 flagged as repeated');
  });
});

describe('the overview’s sums', () => {
  it('add the kinds of petitions, and the democracy lines (a share has no sum)', () => {
    expect(petitionSums(petitions('1'))).toEqual({ received: 21, settled: 20, settled_with_time_limit: 20, settled_on_time: 19, overdue_open: 2, sessions_held: 24, sessions_required: 26 });
    // A kind the law gives no time limit is settled, but neither on time nor late.
    const withOther = petitions('1');
    withOther.by_kind.push({ kind: 'other', received: 3, accepted: 3, settled: 3, settled_with_time_limit: 0, settled_on_time: 0, average_days: 4, overdue_open: 0 });
    expect(petitionSums(withOther)).toMatchObject({ settled: 23, settled_with_time_limit: 20, settled_on_time: 19 });
    const total = democracyTotal(DEMOCRACY);
    expect(total.disclosures).toBe(25);
    expect(total.relay_on_time_share).toBeNull();
    expect(democracyTotal([DEMOCRACY[0]]).relay_on_time_share).toBe(0.5);
  });

  it('refuse a reversed, a missing or a too long period', () => {
    expect(periodProblem('2026-01-01', '2026-06-30')).toBeNull();
    expect(periodProblem('2026-06-30', '2026-01-01')).toBe('order');
    expect(periodProblem('', '2026-01-01')).toBe('missing');
    expect(periodProblem('2020-01-01', '2026-01-01')).toBe('too_long');
  });
});
