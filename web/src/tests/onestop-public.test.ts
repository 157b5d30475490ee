import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import PublicLookup from '../features/public/PublicLookup.svelte';
import PublicProcedures from '../features/public/PublicProcedures.svelte';
import { pt, publicLang, setPublicLang } from '../features/public/i18n.svelte';

// The citizen pages against a stubbed server.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const DOSSIER = {
  code: 'UBND-261126-0007',
  procedure_name: 'Đăng ký khai sinh',
  status: 5,
  status_name: 'Yêu cầu bổ sung giấy tờ',
  received_at: '2026-11-26T08:00:00+07:00',
  due_at: '2026-11-26T17:00:00+07:00',
  returned_at: null,
};

let calls: string[] = [];
beforeEach(() => {
  calls = [];
  localStorage.clear();
  setPublicLang('vi');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      calls.push(url);
      if (url === '/api/v1/public/dossiers/UBND-261126-0007?phone_last4=5678') return json(200, DOSSIER);
      if (url.startsWith('/api/v1/public/dossiers/')) return json(404, { status: 404, code: 'not_found' });
      if (url === '/api/v1/public/procedures')
        return json(200, {
          commune_id: 1,
          commune_name: 'Bình Lương',
          items: [
            { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', limit_amount: 0, limit_unit: 'same_day', fee_vnd: null, online_level: 'full', online_payment: false, result_kind: 'paper' },
            { code: '2.001035', name: 'Chứng thực hợp đồng, giao dịch', field: 'Chứng thực', limit_amount: 2, limit_unit: 'working_days', fee_vnd: 50000, online_level: 'none', online_payment: false, result_kind: 'paper' },
          ],
        });
      return json(404, { status: 404, code: 'not_found' });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

describe('public dossier lookup', () => {
  it('takes the code from the receipt’s QR address and shows the status', async () => {
    history.replaceState(null, '', '/tra-cuu/UBND-261126-0007');
    render(PublicLookup, { t: pt });
    expect((screen.getByLabelText('Mã hồ sơ') as HTMLInputElement).value).toBe('UBND-261126-0007');
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '5678' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    expect(await screen.findByText('Yêu cầu bổ sung giấy tờ')).toBeInTheDocument();
    expect(screen.getByText('26/11/2026 17:00')).toBeInTheDocument();
    expect(calls).toEqual(['/api/v1/public/dossiers/UBND-261126-0007?phone_last4=5678']);
  });

  it('answers wrong digits like an unknown code, and checks the digits before asking', async () => {
    render(PublicLookup, { t: pt });
    await fireEvent.input(screen.getByLabelText('Mã hồ sơ hoặc mã phản ánh'), { target: { value: ' ubnd-261126-0007 ' } });
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '56' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    expect(screen.getByRole('alert').textContent).toBe(pt('public.invalid'));
    expect(calls).toEqual([]);
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    expect(await screen.findByText(/Không tìm thấy hồ sơ/)).toBeInTheDocument();
    expect(calls).toEqual(['/api/v1/public/dossiers/UBND-261126-0007?phone_last4=1234']);
  });

  it('speaks of the code the citizen holds: a receipt’s, feedback’s (DT-…), or either', async () => {
    // Plain /tra-cuu: dossiers and feedback alike, no paper receipt assumed.
    render(PublicLookup, { t: pt });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tra cứu hồ sơ, phản ánh');
    expect(screen.getByTestId('lookup-intro').textContent).toMatch(/giấy tiếp nhận hồ sơ hoặc mã phản ánh/);
    expect(screen.getByLabelText('Mã hồ sơ hoặc mã phản ánh')).toBeInTheDocument();
    cleanup();
    // From the feedback confirmation: /tra-cuu/DT-…, feedback's words only.
    history.replaceState(null, '', '/tra-cuu/DT-261207-0003');
    render(PublicLookup, { t: pt });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tra cứu phản ánh, kiến nghị');
    expect(screen.getByTestId('lookup-intro').textContent).not.toMatch(/giấy tiếp nhận|hồ sơ/);
    expect((screen.getByLabelText('Mã phản ánh') as HTMLInputElement).value).toBe('DT-261207-0003');
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    expect(await screen.findByText(/Không tìm thấy phản ánh/)).toBeInTheDocument();
    expect(calls).toEqual(['/api/v1/public/petitions/DT-261207-0003?phone_last4=1234']);
    cleanup();
    // A receipt's QR: the dossier's words, as before.
    history.replaceState(null, '', '/tra-cuu/UBND-261126-0007');
    render(PublicLookup, { t: pt });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tra cứu hồ sơ');
    expect(screen.getByLabelText('Mã hồ sơ')).toBeInTheDocument();
  });
});

describe('a lookup locked after too many wrong tries', () => {
  const locked = (headers: Record<string, string>, detail: string) =>
    vi.fn(async () => new Response(JSON.stringify({ status: 429, code: 'rate_limited', title: 'Thử quá nhiều lần', detail }), {
      status: 429,
      headers: { 'content-type': 'application/problem+json', ...headers },
    }));

  it('says the real wait in words and that the one-stop desk can unlock it sooner', async () => {
    vi.stubGlobal('fetch', locked({ 'retry-after': '3599' }, 'Vui lòng thử lại sau 3599 giây.'));
    history.replaceState(null, '', '/tra-cuu/UBND-261126-0007');
    render(PublicLookup, { t: pt });
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    const alert = await screen.findByTestId('lookup-error');
    expect(alert.textContent).toMatch(/khoảng 60 phút/);
    expect(alert.textContent).toMatch(/Bộ phận Một cửa/);
    expect(alert.textContent).not.toMatch(/ít phút/);
  });

  it('says it in English too', async () => {
    vi.stubGlobal('fetch', locked({ 'retry-after': '1500' }, 'Vui lòng thử lại sau 1500 giây.'));
    setPublicLang('en');
    await vi.waitFor(() => expect(pt('public.rate_limited', { minutes: 1 })).toMatch(/about 1 minutes/));
    history.replaceState(null, '', '/tra-cuu/UBND-261126-0007');
    render(PublicLookup, { t: pt });
    await fireEvent.input(screen.getByLabelText('Last 4 digits of your phone'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Look up' }));
    const alert = await screen.findByTestId('lookup-error');
    expect(alert.textContent).toMatch(/about 25 minutes/);
    expect(alert.textContent).toMatch(/one-stop desk can unlock it sooner/);
  });

  it('names no desk for a feedback code (the desk unlocks dossiers)', async () => {
    vi.stubGlobal('fetch', locked({ 'retry-after': '600' }, 'Vui lòng thử lại sau 600 giây.'));
    history.replaceState(null, '', '/tra-cuu/DT-261207-0003');
    render(PublicLookup, { t: pt });
    await fireEvent.input(screen.getByLabelText('4 số cuối điện thoại'), { target: { value: '1234' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Tra cứu' }));
    const alert = await screen.findByTestId('lookup-error');
    expect(alert.textContent).toMatch(/khoảng 10 phút/);
    expect(alert.textContent).not.toMatch(/Bộ phận Một cửa/);
  });
});

describe('public procedure list', () => {
  it('lists limits, fees and online levels, filtered without diacritics', async () => {
    render(PublicProcedures, { t: pt });
    expect(await screen.findByText('Đăng ký khai sinh')).toBeInTheDocument();
    expect(screen.getByText('Bình Lương')).toBeInTheDocument();
    expect(screen.getByText('Trong ngày')).toBeInTheDocument();
    expect(screen.getByText('2 ngày làm việc')).toBeInTheDocument();
    expect(screen.getByText('50.000 đ')).toBeInTheDocument();
    expect(screen.getByText('Toàn trình (trước đây mức độ 4)')).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText('Tìm thủ tục'), { target: { value: 'chung thuc hop dong' } });
    expect(screen.queryByText('Đăng ký khai sinh')).toBeNull();
    expect(screen.getByText('Chứng thực hợp đồng, giao dịch')).toBeInTheDocument();
  });

  it('speaks English on request', async () => {
    setPublicLang('en');
    expect(publicLang.lang).toBe('en');
    render(PublicProcedures, { t: pt });
    expect(await screen.findByText('Fully online (formerly level 4)')).toBeInTheDocument();
    expect(screen.getByText('Same day')).toBeInTheDocument();
    expect(localStorage.getItem('thanthien.lang')).toBe('en');
    // English counts agree with their number, as on the staff pages.
    expect(pt('public.procedure_count', { count: 1 })).toBe('1 procedure');
    expect(pt('public.procedure_count', { count: 21 })).toBe('21 procedures');
    expect(document.body.textContent).not.toMatch(/\{\w+\|s\}/);
  });
});
