import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Dashboard from '../features/onestop/Dashboard.svelte';
import Import from '../features/onestop/Import.svelte';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import { vi as viDict } from '../i18n/all';
import { route } from '../lib/router/router.svelte';
import { api } from '../lib/api';
import type { Me } from '../lib/api/types';
import type { IndicatorRow } from '../features/onestop/stats';
import { deferred } from './deferred';

const commune = { id: 3, name: 'Bình Lương', authority_id: 1, authority_name: 'Tỉnh', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' as const };

function me(role: string, permissions: string[], withCommune = true): Me {
  return {
    user: { id: 1, username: role, full_name: `Người dùng ${role}`, role, active: true } as unknown as Me['user'],
    commune: withCommune ? commune : null,
    authority: withCommune ? null : ({ id: 1, name: 'UBND tỉnh' } as unknown as Me['authority']),
    permissions: permissions as Me['permissions'],
  };
}

function row(over: Partial<IndicatorRow>): IndicatorRow {
  return {
    key: '',
    label: '',
    received: 0,
    resolved: 0,
    returned: 0,
    in_progress: 0,
    early: 0,
    on_time: 0,
    late: 0,
    open_overdue: 0,
    open_not_due: 0,
    on_time_rate: null,
    processing_days: { count: 0, mean: null, median: null, p90: null },
    channels: { in_person: 0, online: 0, postal: 0 },
    counter_guidance: 0,
    counter_refusals: 0,
    from_data_store: 0,
    late_without_apology: 0,
    online_share: 0,
    paid_online_share: 0,
    digitised_share: 0,
    electronic_result_share: 0,
    ...over,
  };
}

const overall = row({
  key: '',
  label: 'Tổng',
  received: 120,
  counter_guidance: 4,
  counter_refusals: 2,
  late_without_apology: 1,
  resolved: 100,
  in_progress: 12,
  early: 60,
  on_time: 28,
  late: 12,
  open_overdue: 3,
  on_time_rate: 0.88,
  processing_days: { count: 100, mean: 1.26, median: 1, p90: 2.5 },
  channels: { in_person: 84, online: 30, postal: 6 },
  online_share: 0.25,
  paid_online_share: 0.1,
});

const months = {
  from: '2025-01-01',
  to: '2025-12-31',
  day_minutes: 480,
  communes: [{ id: 3, name: 'Bình Lương' }],
  overall,
  groups: [
    row({ key: '2025-01', label: '01/2025', received: 10, on_time_rate: 0.9, late: 1 }),
    row({ key: '2025-02', label: '02/2025', received: 12, on_time_rate: 0.8, late: 2 }),
  ],
};

const procedures = {
  ...months,
  groups: [
    row({ key: '1.001193', label: 'Đăng ký khai sinh', procedure_id: 6, procedure_code: '1.001193', limit_days: 1, received: 40, late: 1, processing_days: { count: 38, mean: 0.4, median: 0.3, p90: 0.9 } }),
    row({ key: '1.004873', label: 'Cấp Giấy xác nhận tình trạng hôn nhân', procedure_id: 9, procedure_code: '1.004873', limit_days: 3, received: 20, late: 6, processing_days: { count: 18, mean: 3.6, median: 3, p90: 5 } }),
  ],
};

const byCommune = {
  ...months,
  groups: [
    row({ key: '3', label: 'Bình Lương', commune_id: 3, received: 70, open_overdue: 2 }),
    row({ key: '4', label: 'Bình Minh', commune_id: 4, received: 50, open_overdue: 1 }),
  ],
};

const index = {
  from: '2025-01-01',
  to: '2025-12-31',
  total: 30,
  max: 40,
  out_of: 100,
  rating_min_measurable: 80,
  summary: '30 / 40 điểm đo được (trên 100)',
  percent: 75,
  // Only 40 of 100 points can be measured: no band.
  band: null as string | null,
  indicators: [
    { code: '2.1', name: 'Hồ sơ giải quyết trước hạn, đúng hạn', name_en: 'Processed early or on time', numerator: 88, denominator: 100, ratio: 0.88, score: 17.6, max_score: 20, applicable: true, parts: [] },
    { code: '5.4', name: 'Mức độ hài lòng', name_en: 'Satisfaction', numerator: 0, denominator: 0, ratio: 0, score: 0, max_score: 6, applicable: false, reason: 'Chưa thu thập.', reason_code: 'no_satisfaction_data', parts: [] },
  ],
  communes: [],
};

const levels = {
  year: 2025,
  as_of: '2025-12-31',
  total: 20,
  full: 5,
  partial: 9,
  none: 6,
  online_share: 0.7,
  full_share: 0.25,
  target: null as null | { year: number; online_share: number; full_share?: number | null; note?: string | null },
  trend: [
    { month: '2025-01', as_of: '2025-01-31', total: 20, full: 4, partial: 8, none: 8 },
    { month: '2025-02', as_of: '2025-02-28', total: 20, full: 5, partial: 9, none: 6 },
  ],
  procedures: [],
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let calls: Array<{ method: string; url: URL; body: unknown }> = [];

function stubApi() {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const method = init.method ?? 'GET';
      calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      const path = url.pathname.replace('/api/v1', '');
      if (path === '/onestop/indicators') return json(url.searchParams.get('group_by') === 'procedure' ? procedures : url.searchParams.get('group_by') === 'commune' ? byCommune : months);
      if (path === '/onestop/index766') return json(index);
      if (path === '/onestop/online-levels') return json(levels);
      if (path === '/onestop/targets/2025' && method === 'PUT') return json({ year: 2025, ...(JSON.parse(String(init.body)) as object) });
      if (path === '/communes') return json([{ id: 3, name: 'Bình Lương' }, { id: 4, name: 'Bình Minh' }]);
      return json({ code: 'not_found' }, 404);
    }),
  );
}

function at(path: string) {
  history.replaceState(null, '', path);
  route.path = location.pathname;
  route.search = location.search;
}

describe('one-stop dashboard', () => {
  beforeEach(() => {
    setLang('vi');
    stubApi();
    at('/onestop/dashboard?period=year&year=2025');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('shows the headline numbers, each linked to the dossiers behind it', async () => {
    session.me = me('board', ['read_dossiers', 'read_statistics', 'set_targets', 'read_personal_data']);
    render(Dashboard);
    const received = await screen.findByTestId('kpi-received');
    expect(received.textContent).toBe('120');
    expect(received.getAttribute('href')).toBe('/onestop?view=all&received_from=2025-01-01&received_to=2025-12-31');
    expect(screen.getByTestId('kpi-on-time-rate').textContent).toBe('88%');
    expect(screen.getByTestId('kpi-late').getAttribute('href')).toBe(
      '/onestop?view=all&timeliness=late&finished_from=2025-01-01&finished_to=2025-12-31',
    );
    expect(screen.getByTestId('kpi-open-overdue').getAttribute('href')).toBe('/onestop?view=all&timeliness=open_overdue&open_at=2025-12-31');
    expect(screen.getByTestId('kpi-online').getAttribute('href')).toBe('/onestop?view=all&channel=2&received_from=2025-01-01&received_to=2025-12-31');
    expect(screen.getByTestId('kpi-processing-mean').textContent).toBe('1,3 ngày');
    expect(screen.getByTestId('dash-scope').textContent).toContain('Bình Lương');
    expect(screen.getByTestId('dash-scope').textContent).toContain('Năm 2025 (từ 01/01/2025 đến 31/12/2025)');
    // The API was asked for the period, by month and by procedure, without a commune (staff: their own).
    const groups = calls.filter((c) => c.url.pathname.endsWith('/onestop/indicators')).map((c) => c.url.searchParams.get('group_by'));
    expect(groups.sort()).toEqual(['month', 'procedure']);
    expect(calls.every((c) => !c.url.searchParams.has('commune_id'))).toBe(true);
  });

  it('lists procedures worst first against their limit, and the 766 table with what does not apply', async () => {
    session.me = me('board', ['read_dossiers', 'read_statistics']);
    render(Dashboard);
    const table = await screen.findByTestId('procedure-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0].getAttribute('data-procedure')).toBe('1.004873');
    expect(rows[0].textContent).toContain('120%');
    const lateLink = within(rows[0]).getByRole('link', { name: /Quá hạn.*6/ });
    expect(lateLink.getAttribute('href')).toBe('/onestop?view=all&procedure_id=9&timeliness=late&finished_from=2025-01-01&finished_to=2025-12-31');
    const ix = screen.getByTestId('index766');
    // 40 measurable points of 100, under the 80 a rating needs: the summary and no band, with why.
    expect(screen.getByTestId('index-summary').textContent).toBe('30 / 40 điểm đo được (trên 100)');
    expect(screen.getByTestId('index-band').textContent).toBe(viDict['dash.index_no_band']);
    expect(screen.getByTestId('index-no-band').textContent).toContain('40/100');
    expect(screen.getByTestId('index-no-band').textContent).toContain('80');
    expect(within(ix).getByTestId('na-reason').textContent).toContain(viDict['reason766.no_satisfaction_data']);
    // Charts arrive as their own chunk and describe themselves with the numbers.
    await waitFor(() => expect(screen.getAllByRole('img').length).toBeGreaterThanOrEqual(3));
    const aria = screen.getAllByRole('img').map((e) => e.getAttribute('aria-label') ?? '');
    expect(aria.some((a) => a.includes('01/2025: 90%') && a.includes('02/2025: 80%'))).toBe(true);
  });

  it('lets the board set the year’s target and shows the progress', async () => {
    session.me = me('board', ['read_statistics', 'set_targets']);
    render(Dashboard);
    await fireEvent.click(await screen.findByTestId('target-edit'));
    const online = screen.getByLabelText(viDict['dash.target_online']) as HTMLInputElement;
    await fireEvent.input(online, { target: { value: '120' } });
    await fireEvent.click(screen.getByTestId('target-save'));
    expect(await screen.findByText(viDict['dash.percent_invalid'])).toBeInTheDocument();
    await fireEvent.input(online, { target: { value: '87,5' } });
    await fireEvent.click(screen.getByTestId('target-save'));
    await screen.findByTestId('target-value');
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.url.pathname).toBe('/api/v1/onestop/targets/2025');
    expect(put?.body).toEqual({ online_share: 0.875, full_share: null, note: null });
    expect(screen.getByTestId('target-value').textContent).toContain('87,5%');
    // 70 % online against 87.5 %: 80 % of the way, 17.5 points to go.
    expect(screen.getByRole('progressbar', { name: viDict['dash.target_progress'] }).getAttribute('aria-valuenow')).toBe('80');
    expect(screen.getByTestId('target-progress').textContent).toContain('17,5');
  });

  it('offers no target editing without set_targets', async () => {
    session.me = me('front', ['read_statistics']);
    render(Dashboard);
    await screen.findByTestId('target-none');
    expect(screen.queryByTestId('target-edit')).toBeNull();
  });

  it('gives oversight a commune picker, the summed view unlinked, and links into the picked commune’s dossiers', async () => {
    session.me = me('oversight', ['read_dossiers', 'read_statistics', 'read_communes'], false);
    render(Dashboard);
    const received = await screen.findByTestId('kpi-received');
    expect(received.tagName).toBe('SPAN');
    expect(screen.getByTestId('kpis').querySelectorAll('a')).toHaveLength(0);
    const picker = (await screen.findByTestId('commune-picker')) as HTMLSelectElement;
    await waitFor(() => expect(picker.options.length).toBe(3));
    expect(picker.value).toBe('');
    expect(screen.getByTestId('dash-scope').textContent).toContain(viDict['dash.all_communes']);
    expect(calls.some((c) => c.url.searchParams.get('group_by') === 'commune')).toBe(true);
    // Each row of the per-commune table opens that commune's list.
    const table = await screen.findByTestId('by-commune');
    const row4 = table.querySelector('tr[data-commune="4"]') as HTMLElement;
    expect(within(row4).getByRole('link', { name: /tiếp nhận – Bình Minh: 50 —/ }).getAttribute('href')).toBe(
      '/onestop?commune_id=4&view=all&received_from=2025-01-01&received_to=2025-12-31',
    );
    expect(within(row4).getByRole('link', { name: /chưa giải quyết xong – Bình Minh: 1 —/ }).getAttribute('href')).toBe(
      '/onestop?commune_id=4&view=all&timeliness=open_overdue&open_at=2025-12-31',
    );
    await fireEvent.change(picker, { target: { value: '4' } });
    await waitFor(() => expect(location.search).toBe('?period=year&year=2025&commune=4'));
    await waitFor(() => expect(calls.some((c) => c.url.searchParams.get('commune_id') === '4')).toBe(true));
    // One commune picked: its numbers link to its list, commune_id included.
    await waitFor(() => expect(screen.getByTestId('kpi-received').tagName).toBe('A'));
    expect(screen.getByTestId('kpi-received').getAttribute('href')).toBe('/onestop?commune_id=4&view=all&received_from=2025-01-01&received_to=2025-12-31');
    expect(screen.getByTestId('kpi-open-overdue').getAttribute('href')).toBe('/onestop?commune_id=4&view=all&timeliness=open_overdue&open_at=2025-12-31');
    const lateLink = within(screen.getByTestId('procedure-table')).getByRole('link', { name: /Quá hạn.*6/ });
    expect(lateLink.getAttribute('href')).toBe('/onestop?commune_id=4&view=all&procedure_id=9&timeliness=late&finished_from=2025-01-01&finished_to=2025-12-31');
    expect(screen.queryByTestId('by-commune')).toBeNull();
    expect(screen.queryByTestId('exports')?.querySelector('[data-export="register.csv"]')).toBeNull();
  });

  it('rates the index once 80 points are measurable, and says so in English too', async () => {
    Object.assign(index, { total: 70, max: 85, band: 'fair', summary: '70 / 85 điểm' });
    try {
      session.me = me('board', ['read_dossiers', 'read_statistics']);
      render(Dashboard);
      expect(await screen.findByTestId('index-band')).toHaveTextContent('Khá');
      expect(screen.getByTestId('index-summary').textContent).toBe('70 / 85 điểm');
      expect(screen.queryByTestId('index-no-band')).toBeNull();
    } finally {
      Object.assign(index, { total: 30, max: 40, band: null, summary: '30 / 40 điểm đo được (trên 100)' });
    }
  });

  it('shows counter guidance and refusals apart from received, and the breach count', async () => {
    session.me = me('ubnd', ['process_dossiers', 'read_dossiers', 'read_statistics']);
    render(Dashboard);
    const box = await screen.findByTestId('counter-lines');
    expect(box.textContent).toContain(viDict['dash.counter_guidance']);
    expect(box.textContent).toContain(viDict['dash.counter_refusals']);
    expect(screen.getByTestId('kpi-counter-guidance').textContent).toBe('4');
    expect(screen.getByTestId('kpi-counter-refusals').textContent).toBe('2');
    expect(screen.getByTestId('kpi-late-without-apology').textContent).toBe('1');
    // Received stays received: the counter lines are not in it.
    expect(screen.getByTestId('kpi-received').textContent).toBe('120');
  });

  it('gives a village head the aggregates without a link to any dossier list', async () => {
    session.me = me('village', ['read_units', 'report_tasks', 'read_plans', 'read_statistics', 'run_surveys', 'handle_reception', 'manage_disclosures', 'read_communes']);
    render(Dashboard);
    const received = await screen.findByTestId('kpi-received');
    expect(received.textContent).toBe('120');
    expect(received.tagName).toBe('SPAN');
    expect(screen.getByTestId('kpis').querySelectorAll('a')).toHaveLength(0);
    expect(screen.getByTestId('procedure-table').querySelectorAll('a[href^="/onestop?"]')).toHaveLength(0);
    expect(document.querySelectorAll('a[href^="/onestop?"]')).toHaveLength(0);
  });

  it('keeps the picked period in the address bar', async () => {
    session.me = me('board', ['read_statistics']);
    render(Dashboard);
    await screen.findByTestId('kpi-received');
    await fireEvent.change(screen.getByLabelText(viDict['dash.period']), { target: { value: 'quarter' } });
    expect(location.search).toBe('?period=quarter&year=2025&n=4');
    await fireEvent.change(screen.getByLabelText(viDict['dash.kind_quarter']), { target: { value: '2' } });
    expect(location.search).toBe('?period=quarter&year=2025&n=2');
    await waitFor(() => expect(calls.some((c) => c.url.searchParams.get('from') === '2025-04-01' && c.url.searchParams.get('to') === '2025-06-30')).toBe(true));
  });
});

/** A stand-in XMLHttpRequest: progress in two steps, then a scripted answer. */
class FakeXhr {
  static answer: { status: number; body: string } = { status: 200, body: '{}' };
  static sent: FormData[] = [];
  static hold: Promise<void> = Promise.resolve();
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null; onload: (() => void) | null } = {
    onprogress: null,
    onload: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  open() {}
  setRequestHeader() {}
  getResponseHeader(k: string) {
    return k.toLowerCase() === 'content-type' ? (this.status === 422 ? 'application/problem+json' : 'application/json') : null;
  }
  abort() {
    this.onabort?.();
  }
  send(form: FormData) {
    FakeXhr.sent.push(form);
    void (async () => {
      await Promise.resolve();
      this.upload.onprogress?.({ lengthComputable: true, loaded: 40, total: 100 });
      this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
      this.upload.onload?.();
      await FakeXhr.hold;
      this.status = FakeXhr.answer.status;
      this.responseText = FakeXhr.answer.body;
      this.onload?.();
    })();
  }
}

describe('dossier import page', () => {
  beforeEach(() => {
    setLang('vi');
    FakeXhr.sent = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    session.me = me('ubnd', ['import_dossiers', 'read_statistics', 'process_dossiers']);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clear();
    session.me = null;
  });

  const csv = () => new File(['MaHoSo,MaTTHC\nX-1,1.001193\n'], 'hoso.csv', { type: 'text/csv' });

  it('refuses a file that is not CSV or XLSX before sending it', async () => {
    render(Import);
    const input = screen.getByLabelText(viDict['import.file']);
    await fireEvent.change(input, { target: { files: [new File(['x'], 'hoso.xls')] } });
    expect(screen.getByText(viDict['import.bad_type'])).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('import-submit'));
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('shows the processing phase, then the row errors translated by code', async () => {
    let release = () => {};
    FakeXhr.hold = new Promise((r) => (release = r));
    FakeXhr.answer = {
      status: 422,
      body: JSON.stringify({
        code: 'validation_failed',
        status: 422,
        errors: [
          { field: 'rows[3].NgayTiepNhan', code: 'invalid_date', message: 'Ngày sai.' },
          { field: 'rows[2].MaTTHC', code: 'unknown_procedure', message: 'Không có.' },
          { field: 'rows[4].X', code: 'something_new', message: 'Lỗi mới từ máy chủ.' },
          { field: 'rows', code: 'more_errors', message: 'Còn 997 lỗi khác không liệt kê.' },
        ],
      }),
    };
    render(Import);
    await fireEvent.change(screen.getByLabelText(viDict['import.file']), { target: { files: [csv()] } });
    await fireEvent.click(screen.getByTestId('import-submit'));
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress.getAttribute('data-phase')).toBe('processing'));
    expect(progress.textContent).toContain('Đang xử lý… 0 giây');
    expect((FakeXhr.sent[0].get('file') as File).name).toBe('hoso.csv');
    release();
    const box = await screen.findByTestId('import-errors');
    expect(box.textContent).toContain('Tệp có 1.000 lỗi');
    expect(screen.getByTestId('more-errors').textContent).toBe('Còn 997 lỗi khác không liệt kê ở đây.');
    const rows = within(box).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-row'))).toEqual(['2', '3', '4']);
    expect(rows[0].textContent).toContain(viDict['field.unknown_procedure']);
    expect(rows[1].textContent).toContain('NgayTiepNhan');
    expect(rows[1].textContent).toContain(viDict['field.invalid_date.NgayTiepNhan']);
    // A code this app does not know yet keeps the server's own sentence.
    expect(rows[2].textContent).toContain('Lỗi mới từ máy chủ.');
  });

  it('shows the counts of an accepted file', async () => {
    FakeXhr.hold = Promise.resolve();
    FakeXhr.answer = { status: 200, body: JSON.stringify({ rows: 3, created: 2, updated: 1, unchanged: 0 }) };
    render(Import);
    await fireEvent.change(screen.getByLabelText(viDict['import.file']), { target: { files: [csv()] } });
    await fireEvent.click(screen.getByTestId('import-submit'));
    await screen.findByTestId('import-result');
    expect(screen.getByTestId('count-created').textContent).toBe('2');
    expect(screen.getByTestId('count-updated').textContent).toBe('1');
    expect(screen.getByText('Đã nhập xong tệp hoso.csv.')).toBeInTheDocument();
  });
});

describe('dossier list opened from a dashboard number', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('reads its filters from the address bar, asks the API with them and shows the extra ones as chips', async () => {
    setLang('vi');
    session.me = me('board', ['read_statistics', 'read_personal_data']);
    const seen: URL[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        seen.push(url);
        if (url.pathname.endsWith('/procedures')) return json({ items: [{ id: 9, name: 'Cấp Giấy xác nhận tình trạng hôn nhân' }], total: 1, page: 1, per_page: 100 });
        return json({ items: [], total: 0, page: 1, per_page: 50 });
      }),
    );
    at('/onestop?view=all&procedure_id=9&timeliness=late&finished_from=2025-01-01&finished_to=2025-12-31');
    const { default: Dossiers } = await import('../features/onestop/Dossiers.svelte');
    render(Dossiers);
    await waitFor(() => expect(seen.some((u) => u.pathname.endsWith('/dossiers'))).toBe(true));
    const q = seen.find((u) => u.pathname.endsWith('/dossiers'))!.searchParams;
    expect(Object.fromEntries(q)).toEqual({
      page: '1',
      per_page: '50',
      procedure_id: '9',
      timeliness: 'late',
      finished_from: '2025-01-01',
      finished_to: '2025-12-31',
    });
    expect(screen.getByTestId('filter-chips').textContent).toContain('Kết thúc xử lý từ 01/01/2025 đến 31/12/2025');
    // Reading roles get the list, not the intake buttons.
    expect(screen.queryByTestId('new-dossier')).toBeNull();
    await waitFor(() => expect((screen.getByLabelText(viDict['onestop.filter_procedure']) as HTMLSelectElement).value).toBe('9'));
    // Removing the chip drops the filter from the address bar too.
    await fireEvent.click(screen.getByRole('button', { name: /Bỏ lọc/ }));
    await waitFor(() => expect(location.search).toBe('?view=all&procedure_id=9&timeliness=late'));
  });

  it('lists one commune for oversight: commune_id from the address bar to the API, kept, masked, rows not opened', async () => {
    setLang('vi');
    session.me = me('oversight', ['read_dossiers', 'read_statistics', 'read_communes'], false);
    const seen: URL[] = [];
    const masked = {
      id: 51,
      code: 'UBND-250301-0007',
      commune_id: 4,
      procedure_id: 9,
      procedure_name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
      applicant: { name: 'N*** V** A*', phone: '09******78' },
      status: 4,
      channel: 1,
      received_at: '2025-03-01T01:00:00Z',
      due_at: '2025-03-04T10:00:00Z',
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        seen.push(url);
        if (url.pathname.endsWith('/communes')) return json([{ id: 3, name: 'Bình Lương' }, { id: 4, name: 'Bình Minh' }]);
        if (url.pathname.endsWith('/dossiers')) return json({ items: [masked], total: 1, page: 1, per_page: 50 });
        return json({ code: 'forbidden', status: 403 }, 403);
      }),
    );
    at('/onestop?commune_id=4&view=all&procedure_id=9&timeliness=open_overdue&open_at=2025-12-31');
    const { default: Dossiers } = await import('../features/onestop/Dossiers.svelte');
    render(Dossiers);
    const row = await screen.findByText('UBND-250301-0007');
    const lists = () => seen.filter((u) => u.pathname.endsWith('/dossiers')).map((u) => Object.fromEntries(u.searchParams));
    expect(lists()[0]).toEqual({ page: '1', per_page: '50', commune_id: '4', procedure_id: '9', timeliness: 'open_overdue', open_at: '2025-12-31' });
    // Which commune: the picker shows it by name once the communes are in.
    const commune = screen.getByTestId('list-commune') as HTMLSelectElement;
    await waitFor(() => expect(commune.selectedOptions[0]?.textContent).toBe('Bình Minh'));
    // The procedure's name comes from the dossiers (oversight has no catalogue of its own).
    expect((screen.getByLabelText(viDict['onestop.filter_procedure']) as HTMLSelectElement).selectedOptions[0]?.textContent).toBe(
      'Cấp Giấy xác nhận tình trạng hôn nhân',
    );
    expect(seen.some((u) => u.pathname.endsWith('/procedures'))).toBe(false);
    // Masked data, said so; no way into one dossier, no intake or register.
    expect(screen.getByText('N*** V** A*')).toBeInTheDocument();
    expect(screen.getByTestId('masked-note').textContent).toBe(viDict['dossier.masked']);
    expect(row.closest('a')).toBeNull();
    expect(within(screen.getByTestId('dossiers-table')).queryAllByRole('link')).toHaveLength(0);
    expect(screen.queryByTestId('new-dossier')).toBeNull();
    expect(screen.queryByRole('link', { name: viDict['forms.07_short'] })).toBeNull();
    // Other filters change; the commune stays, in the address bar and in the query.
    await fireEvent.click(screen.getByRole('button', { name: /Bỏ lọc/ }));
    await waitFor(() => expect(location.search).toBe('?commune_id=4&view=all&procedure_id=9&timeliness=open_overdue'));
    await fireEvent.click(screen.getByRole('button', { name: viDict['onestop.view_overdue'] }));
    await waitFor(() => expect(lists().at(-1)).toMatchObject({ commune_id: '4', view: 'overdue' }));
    await fireEvent.click(screen.getByRole('button', { name: viDict['common.reset'] }));
    await waitFor(() => expect(location.search).toBe('?commune_id=4&view=overdue'));
    expect(lists().at(-1)).toEqual({ page: '1', per_page: '50', commune_id: '4', view: 'overdue' });
    // Another commune picked here: the list follows.
    await fireEvent.change(commune, { target: { value: '3' } });
    await waitFor(() => expect(location.search).toBe('?commune_id=3&view=overdue'));
    await waitFor(() => expect(lists().at(-1)).toMatchObject({ commune_id: '3' }));
  });

  it('keeps the list of the filters shown when a slower answer to the filters before arrives', async () => {
    setLang('vi');
    session.me = me('board', ['read_statistics', 'read_personal_data']);
    const dossier = (id: number, code: string) => ({
      id,
      code,
      commune_id: 3,
      procedure_id: 9,
      procedure_name: 'Chứng thực bản sao',
      applicant: { name: 'Lò Văn A', phone: '0912000777' },
      status: 2,
      channel: 1,
      received_at: '2025-03-01T01:00:00Z',
      due_at: '2025-03-04T10:00:00Z',
    });
    const first = deferred<Response>();
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        if (url.pathname.endsWith('/procedures')) return json({ items: [], total: 0, page: 1, per_page: 100 });
        if (url.searchParams.get('view') === 'overdue') return json({ items: [dossier(2, 'UBND-250301-0002')], total: 1, page: 1, per_page: 50 });
        return first.promise;
      }),
    );
    at('/onestop?view=all');
    const { default: Dossiers } = await import('../features/onestop/Dossiers.svelte');
    render(Dossiers);
    await fireEvent.click(screen.getByRole('button', { name: viDict['onestop.view_overdue'] }));
    await screen.findByText('UBND-250301-0002');
    first.resolve(json({ items: [dossier(1, 'UBND-250301-0001'), dossier(2, 'UBND-250301-0002')], total: 2, page: 1, per_page: 50 }));
    await first.promise;
    // Let every continuation of the late answer run (a task runs after all pending microtasks).
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByText('UBND-250301-0001')).toBeNull();
    expect(screen.getByText(viDict['common.total'].replace('{count}', '1'))).toBeInTheDocument();
  });

  it('says a list that answers 404 is not found, with a retry, rather than showing no dossiers', async () => {
    setLang('vi');
    session.me = me('board', ['read_statistics', 'read_personal_data']);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        if (url.pathname.endsWith('/procedures')) return json({ items: [], total: 0, page: 1, per_page: 100 });
        return json({ code: 'not_found', status: 404 }, 404);
      }),
    );
    at('/onestop?view=all');
    const { default: Dossiers } = await import('../features/onestop/Dossiers.svelte');
    render(Dossiers);
    expect((await screen.findByRole('alert')).textContent).toContain(viDict['error.not_found']);
    expect(screen.getByRole('button', { name: viDict['common.retry'] })).toBeInTheDocument();
    expect(screen.queryByText(viDict['onestop.empty_all'])).toBeNull();
  });

  it('asks oversight to pick a commune before listing anything', async () => {
    setLang('vi');
    session.me = me('oversight', ['read_dossiers', 'read_statistics', 'read_communes'], false);
    const seen: URL[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const url = new URL(input, 'http://localhost');
        seen.push(url);
        if (url.pathname.endsWith('/communes')) return json([{ id: 3, name: 'Bình Lương' }]);
        return json({ items: [], total: 0, page: 1, per_page: 50 });
      }),
    );
    at('/onestop?view=all');
    const { default: Dossiers } = await import('../features/onestop/Dossiers.svelte');
    render(Dossiers);
    expect((await screen.findByTestId('pick-commune')).textContent).toBe(viDict['onestop.pick_commune']);
    const picker = screen.getByTestId('list-commune') as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).toEqual(['—', 'Bình Lương']));
    expect(seen.some((u) => u.pathname.endsWith('/dossiers'))).toBe(false);
    await fireEvent.change(picker, { target: { value: '3' } });
    await waitFor(() => expect(seen.find((u) => u.pathname.endsWith('/dossiers'))?.searchParams.get('commune_id')).toBe('3'));
    expect(screen.queryByTestId('pick-commune')).toBeNull();
  });
});
