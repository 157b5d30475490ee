import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Intake from '../features/onestop/Intake.svelte';
import CounterPrint from '../features/onestop/CounterPrint.svelte';
import Counter from '../features/onestop/Counter.svelte';
import Dossier from '../features/onestop/Dossier.svelte';
import Print from '../features/onestop/Print.svelte';
import Register from '../features/onestop/Register.svelte';
import { counterBody, counterQuery, COUNTER_KINDS } from '../features/onestop/logic';
import { bodyFromIssuer, controlRows, deskName, formLabel, formsFor, sameInstant } from '../features/onestop/print';
import type { DossierDetail, DossierEvent, FormData } from '../features/onestop/types';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import { vi as viDict } from '../i18n/all';
import { route } from '../lib/router/router.svelte';
import { deferred } from './deferred';
import type { Me } from '../lib/api/types';

const commune = { id: 3, name: 'Bình Lương', authority_id: 1, authority_name: 'Tỉnh', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' as const };
const me = (role: string, permissions: string[]): Me => ({
  user: { id: 1, username: role, full_name: `Người dùng ${role}`, role, active: true } as unknown as Me['user'],
  commune,
  authority: null,
  permissions: permissions as Me['permissions'],
});
const DESK = ['process_dossiers', 'read_dossiers', 'read_personal_data', 'read_statistics'];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const header = {
  issuer: 'UBND PHƯỜNG BÌNH LƯƠNG',
  issuer_unit: 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG',
  motto_line1: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto_line2: 'Độc lập - Tự do - Hạnh phúc',
  place_date: 'Bình Lương, ngày 2 tháng 12 năm 2026',
};
const procedure = {
  id: 5, code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', active: true, limit_unit: 'working_days', limit_amount: 3,
  cutoff: '15:00', fee_vnd: 0, online_level: 'full', result_kind: 'paper', online_payment: false, posting_complete: true,
} as const;
const record = (over: Record<string, unknown> = {}) => ({
  id: 41, kind: 'refusal', at: '2026-12-02T09:15:00+07:00', channel: 1, procedure_id: 5, procedure_code: '1.001193',
  procedure_name: 'Đăng ký khai sinh', applicant: { name: 'Trần Văn Bình', phone: '0912345678' }, reason: 'Không thuộc thẩm quyền của xã.',
  personal_data_masked: false, unit_id: 2, user_name: 'Lê Thị Một Cửa', ...over,
});

let calls: Array<{ method: string; path: string; url: URL; body: unknown }> = [];
let answers: Record<string, (url: URL, body: unknown) => Response | Promise<Response>> = {};

function stubApi() {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input, 'http://localhost');
      const method = init.method ?? 'GET';
      const path = url.pathname.replace('/api/v1', '');
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, path, url, body });
      const a = answers[`${method} ${path}`];
      return a ? a(url, body) : json({ code: 'not_found', title: 'x', status: 404 }, 404);
    }),
  );
}

function at(path: string) {
  history.replaceState(null, '', path);
  route.path = location.pathname;
  route.search = location.search;
}

describe('counter records: logic', () => {
  const form = { procedure_id: 5, channel: 1, name: '  Trần  Văn Bình ', phone: ' 0912345678 ', address: '' };

  it('asks for the procedure and the name before anything, then for the reason', () => {
    expect(counterBody({ ...form, procedure_id: null }, 'guidance', 'Thiếu tờ khai')).toEqual({ missing: 'setup' });
    expect(counterBody({ ...form, name: '  ' }, 'guidance', 'Thiếu tờ khai')).toEqual({ missing: 'setup' });
    expect(counterBody(form, 'refusal', '   ')).toEqual({ missing: 'reason' });
  });

  it('sends the person at the counter without an identity number, blank fields left out', () => {
    expect(counterBody(form, 'guidance', ' Thiếu tờ khai ')).toEqual({
      body: { kind: 'guidance', procedure_id: 5, channel: 1, applicant: { name: 'Trần Văn Bình', phone: '0912345678' }, reason: 'Thiếu tờ khai' },
    });
    expect(COUNTER_KINDS).toEqual(['guidance', 'refusal']);
  });

  it('lists today or the last 30 days, one kind or both', () => {
    expect(counterQuery('today', '', '2026-12-02')).toEqual({ from: '2026-12-02', to: '2026-12-02', page: 1, per_page: 50 });
    expect(counterQuery('30', 'refusal', '2026-12-02', 2)).toEqual({ from: '2026-11-03', to: '2026-12-02', page: 2, per_page: 50, kind: 'refusal' });
  });
});

describe('printed forms: number, set and header from the server', () => {
  it('prints the number and the set, and words the body and desk from the header', () => {
    expect(formLabel('06', 'Thông tư 03/2025/TT-VPCP')).toBe('Mẫu số 06 — Thông tư 03/2025/TT-VPCP');
    expect(formLabel('05', 'Thông tư 01/2018/TT-VPCP')).toBe('Mẫu số 05 — Thông tư 01/2018/TT-VPCP');
    expect(deskName('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG')).toBe('Trung tâm phục vụ hành chính công');
    expect(bodyFromIssuer('UBND PHƯỜNG BÌNH LƯƠNG', 'Bình Lương')).toBe('Ủy ban nhân dân phường Bình Lương');
    expect(bodyFromIssuer('UBND ĐẶC KHU CÔN ĐẢO', 'Côn Đảo')).toBe('Ủy ban nhân dân đặc khu Côn Đảo');
    expect(bodyFromIssuer('', 'Bình Lương')).toBe('Ủy ban nhân dân xã Bình Lương');
  });

  it('offers form 05 once the dossier was stopped', () => {
    const ev = (action: string): DossierEvent => ({ id: 1, action, at: '2026-12-01T08:00:00+07:00', to_status: 8, note_hidden: false, user_name: 'A' });
    expect(formsFor({ status: 8, events: [ev('receive'), ev('stop')] })).toEqual(['01', '05', '06']);
    expect(formsFor({ status: 4, events: [ev('receive')] })).toEqual(['01', '06']);
  });

  it('says a hidden note is hidden on the control sheet', () => {
    const rows = controlRows([{ id: 1, action: 'request_supplement', at: '2026-12-01T08:00:00+07:00', to_status: 5, note: null, note_hidden: true, user_name: 'A' }], (s) => s);
    expect(rows[0].note).toBe('(nội dung ẩn — chứa thông tin cá nhân)');
  });

  it('compares times as instants', () => {
    expect(sameInstant('2026-12-02T17:00:00+07:00', '2026-12-02T10:00:00Z')).toBe(true);
    expect(sameInstant('2026-12-02T17:00:00+07:00', '2026-12-03T07:00:00+07:00')).toBe(false);
  });
});

describe('counter pages', () => {
  beforeEach(() => {
    setLang('vi');
    answers = {
      'GET /procedures': () => json({ items: [procedure], total: 1, page: 1, per_page: 100 }),
      'POST /dossiers/preview-due': () => json({ due_at: '2026-12-05T17:00:00+07:00' }),
      'POST /onestop/counter-records': (_u, b) => json(record({ ...(b as object), id: 42 }), 201),
      'GET /onestop/counter-records/42/form': () =>
        json({ form: '03', form_set: 'Thông tư 03/2025/TT-VPCP', title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', header, commune_name: 'Bình Lương', procedure, record: record({ id: 42 }) }),
      'GET /onestop/counter-records': () =>
        json({ items: [record(), record({ id: 40, kind: 'guidance', reason: null, personal_data_masked: true, applicant: { name: 'T. V. B.' } })], total: 2, page: 1, per_page: 50 }),
    };
    stubApi();
    session.me = me('ubnd', DESK);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('records a counter refusal from the intake page, with a required reason, then opens its form', async () => {
    at('/onestop/new');
    render(Intake);
    const refuse = await screen.findByRole('button', { name: viDict['counter.refusal_action'] });
    // Nothing chosen yet: it asks for the procedure and the name first.
    await fireEvent.click(refuse);
    expect(screen.getByTestId('counter-setup').textContent).toBe(viDict['counter.needs_procedure_and_name']);
    await waitFor(() => expect((document.getElementById('proc-id') as HTMLSelectElement).options.length).toBe(2));
    await fireEvent.change(document.getElementById('proc-id') as HTMLSelectElement, { target: { value: '5' } });
    await fireEvent.input(document.getElementById('a-name') as HTMLInputElement, { target: { value: 'Trần Văn Bình' } });
    await fireEvent.click(refuse);
    const submit = await screen.findByTestId('counter-submit');
    await fireEvent.click(submit);
    expect(await screen.findByText(viDict['counter.reason_required'])).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/onestop/counter-records')).toBe(false);
    await fireEvent.input(document.getElementById('counter-reason') as HTMLTextAreaElement, { target: { value: 'Không thuộc thẩm quyền của xã.' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(location.pathname).toBe('/onestop/counter/42/print'));
    const post = calls.find((c) => c.method === 'POST' && c.path === '/onestop/counter-records');
    expect(post?.body).toEqual({ kind: 'refusal', procedure_id: 5, channel: 1, applicant: { name: 'Trần Văn Bình' }, reason: 'Không thuộc thẩm quyền của xã.' });
    // No dossier was created.
    expect(calls.some((c) => c.method === 'POST' && c.path === '/dossiers')).toBe(false);
  });

  it('prints the counter slip with the server’s title, form number, set and header', async () => {
    render(CounterPrint, { params: { id: '42' } });
    expect(await screen.findByTestId('form-ref')).toHaveTextContent('Mẫu số 03 — Thông tư 03/2025/TT-VPCP');
    const paper = screen.getByTestId('paper');
    expect(paper.textContent).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
    expect(paper.textContent).toContain('UBND PHƯỜNG BÌNH LƯƠNG');
    expect(paper.textContent).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG');
    expect(paper.textContent).not.toContain('BỘ PHẬN MỘT CỬA');
    expect(screen.getByTestId('paper-reason').textContent).toBe('Không thuộc thẩm quyền của xã.');
    expect(screen.getByTestId('paper-applicant').textContent).toBe('Trần Văn Bình');
  });

  it('lists the desk’s counter records with a reprint, the hidden reason said as hidden', async () => {
    render(Counter);
    const list = await screen.findByTestId('counter-list');
    expect(list.querySelectorAll('li')).toHaveLength(2);
    expect(screen.getAllByTestId('counter-reprint')[0].getAttribute('href')).toBe('/onestop/counter/41/print');
    expect(list.textContent).toContain(viDict['counter.reason_hidden']);
    const q = calls.find((c) => c.path === '/onestop/counter-records')!.url.searchParams;
    expect(q.get('from')).toBe(q.get('to'));
  });
});

describe('dossier page: apology, breach, appointment, data store, hidden notes', () => {
  const base: DossierDetail = {
    id: 7, code: 'UBND-261201-0001', status: 4, status_name: 'Đang xử lý', procedure_id: 5, procedure_code: '1.001193', procedure_name: 'Đăng ký khai sinh',
    channel: 1, received_at: '2026-12-01T08:00:00+07:00', appointed_at: '2026-12-04T17:00:00+07:00', due_at: '2026-12-04T17:00:00+07:00',
    deadline_at: '2026-12-07T17:00:00+07:00', apology_by: '2026-12-03T17:00:00+07:00', applicant: { name: 'Trần Văn Bình', phone: '', id_number: '', address: '' },
    personal_data_masked: false, source: 'local', supplement_requests: 0, timeliness: 'open_not_due', unit_id: 2,
    flags: { paid_online: false, digitised: false, electronic_result: false, extended: false, paused: false, needs_apology: true, late_without_apology: false, from_data_store: false },
    survey: { url: '/khao-sat/abc', answered: false },
    allowed_actions: ['request_supplement', 'request_payment', 'withdraw', 'stop', 'resolve', 'apologize_and_extend'],
    events: [{ id: 1, action: 'request_supplement', at: '2026-12-01T09:00:00+07:00', from_status: 4, to_status: 5, note: null, note_hidden: true, user_name: 'Lê Thị Một Cửa' }],
  };
  let current: DossierDetail;
  beforeEach(() => {
    setLang('vi');
    current = structuredClone(base);
    answers = {
      'GET /dossiers/7': () => json(current),
      'PATCH /dossiers/7': (_u, b) => {
        current = { ...current, flags: { ...current.flags, ...(b as object) } };
        return json(current);
      },
      'GET /dossiers/7/forms/05': () =>
        json({
          form: '05', form_number: '05', form_set: 'Thông tư 03/2025/TT-VPCP', title: 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', header, commune_name: 'Bình Lương',
          dossier: { ...base, status: 8 }, procedure, staff_name: 'Lê Thị Một Cửa', note: 'Người nộp không bổ sung.', lookup_path: '/tra-cuu/x', events: [],
        } as unknown as FormData),
    };
    stubApi();
    session.me = me('ubnd', DESK);
    at('/onestop/dossiers/7');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('warns that form 04 is due, offers resolve and the apology side by side, shows both times', async () => {
    // Before the letter's time (its clock only: the page's loading waits run as usual).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T10:00:00+07:00'));
    render(Dossier, { params: { id: '7' } });
    const warn = await screen.findByTestId('apology-due');
    expect(warn.textContent).toContain('Cần gửi văn bản xin lỗi (mẫu 04) trước');
    expect(warn.textContent).toContain('03/12/2026');
    const acts = [...screen.getByTestId('dossier-actions').querySelectorAll('button')].map((b) => b.dataset.action);
    expect(acts).toContain('resolve');
    expect(acts).toContain('apologize_and_extend');
    expect(screen.getByTestId('dossier-deadline').textContent).toContain('07/12/2026');
    expect(screen.queryByTestId('late-without-apology')).toBeNull();
    expect(screen.getByTestId('note-hidden').textContent).toBe(viDict['dossier.note_hidden']);
  });

  it("says when the letter's time has passed, and marks the legal deadline late, not a new appointment ahead", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-08T10:00:00+07:00'));
    current = { ...current, timeliness: 'open_overdue', due_at: '2026-12-10T16:00:00+07:00' };
    render(Dossier, { params: { id: '7' } });
    const warn = await screen.findByTestId('apology-due');
    expect(warn.textContent).toContain('Đã quá thời hạn gửi văn bản xin lỗi (mẫu 04) lúc 03/12/2026');
    expect(screen.getByTestId('dossier-deadline').textContent).toContain('Đã quá hạn');
    expect(screen.getByTestId('dossier-due').textContent).not.toContain('Đã quá hạn');
  });

  it('shows the breach badge, and toggles "from the national data store"', async () => {
    current.flags = { ...current.flags, needs_apology: false, late_without_apology: true };
    render(Dossier, { params: { id: '7' } });
    expect(await screen.findByTestId('late-without-apology')).toHaveTextContent('Quá hạn không xin lỗi đúng hạn');
    expect(screen.queryByTestId('apology-due')).toBeNull();
    const box = document.querySelector('input[data-flag="from_data_store"]') as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH' && (c.body as { from_data_store?: boolean }).from_data_store === true)).toBe(true));
  });

  it('shows the dossier of its address: a slower answer for the one opened before is not drawn over it', async () => {
    const slow = deferred<Response>();
    answers['GET /dossiers/7'] = () => slow.promise;
    answers['GET /dossiers/8'] = () => json({ ...current, id: 8, code: 'UBND-261201-0002' });
    const { rerender } = render(Dossier, { params: { id: '7' } });
    await rerender({ params: { id: '8' } });
    await waitFor(() => expect(screen.getByTestId('dossier-code')).toHaveTextContent('UBND-261201-0002'));
    slow.resolve(json(current));
    await slow.promise;
    // Let every continuation of the late answer run (a task runs after all pending microtasks).
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByTestId('dossier-code')).toHaveTextContent('UBND-261201-0002');
    expect(calls.filter((c) => /^\/dossiers\/\d+$/.test(c.path)).map((c) => c.path)).toEqual(['/dossiers/7', '/dossiers/8']);
  });

  it("says another unit's dossier is forbidden, and a missing one not found, without a retry", async () => {
    answers['GET /dossiers/7'] = () => json({ code: 'forbidden', title: 'x', status: 403 }, 403);
    const { unmount } = render(Dossier, { params: { id: '7' } });
    expect(await screen.findByTestId('error-forbidden')).toBeTruthy();
    expect(screen.queryByRole('button', { name: viDict['common.retry'] })).toBeNull();
    unmount();
    render(Dossier, { params: { id: '9' } });
    expect(await screen.findByTestId('error-notfound')).toBeTruthy();
  });

  it('says a failed load with a retry that loads the dossier', async () => {
    let n = 0;
    answers['GET /dossiers/7'] = () => (++n === 1 ? json({ code: 'internal', title: 'x', status: 503 }, 503) : json(current));
    render(Dossier, { params: { id: '7' } });
    await fireEvent.click(await screen.findByRole('button', { name: viDict['common.retry'] }));
    await waitFor(() => expect(screen.getByTestId('dossier-code')).toHaveTextContent(base.code));
    expect(n).toBe(2);
  });

  it('prints form 05 with the title, number and set the server gives', async () => {
    render(Print, { params: { id: '7', form: '05' } });
    expect(await screen.findByTestId('form-ref')).toHaveTextContent('Mẫu số 05 — Thông tư 03/2025/TT-VPCP');
    expect(screen.getByTestId('paper').textContent).toContain('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ');
    expect(screen.getByTestId('paper-reason').textContent).toBe('Người nộp không bổ sung.');
    expect(screen.getByTestId('paper').textContent).toContain('Ủy ban nhân dân phường Bình Lương');
  });
});

describe("form 07's register", () => {
  const register = (from: string, to: string) =>
    json({ form: '07', form_set: 'Thông tư 03/2025/TT-VPCP', title: 'SỔ THEO DÕI HỒ SƠ', header, from, to, rows: [] });
  beforeEach(() => {
    setLang('vi');
    stubApi();
    session.me = me('ubnd', DESK);
    at('/onestop/register');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('loads on opening and on "apply", not as a date is typed, and keeps the answer to the last period asked', async () => {
    const first = deferred<Response>();
    let asked = 0;
    answers['GET /dossiers/register'] = (url) => {
      asked++;
      return asked === 1 ? first.promise : register(url.searchParams.get('from')!, url.searchParams.get('to')!);
    };
    render(Register);
    const from = document.getElementById('reg-from') as HTMLInputElement;
    const to = document.getElementById('reg-to') as HTMLInputElement;
    await fireEvent.input(from, { target: { value: '' } });
    await fireEvent.input(from, { target: { value: '2026-11-01' } });
    await fireEvent.input(to, { target: { value: '2026-11-30' } });
    expect(asked).toBe(1);
    await fireEvent.submit(from.form!);
    await waitFor(() => expect(screen.getByTestId('paper').textContent).toContain('Từ ngày 01/11/2026 đến ngày 30/11/2026'));
    first.resolve(register('2026-12-01', '2026-12-07'));
    await first.promise;
    // Let every continuation of the late answer run (a task runs after all pending microtasks).
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByTestId('paper').textContent).toContain('Từ ngày 01/11/2026 đến ngày 30/11/2026');
    expect(calls.filter((c) => c.path === '/dossiers/register').map((c) => c.url.searchParams.get('from'))).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-01$/),
      '2026-11-01',
    ]);
  });
});
