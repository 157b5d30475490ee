import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import PublicFeedback from '../features/public/PublicFeedback.svelte';
import { pt, setPublicLang } from '../features/public/i18n.svelte';

// The citizen's feedback form (/phan-anh) against a stubbed server.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

let sent: unknown[] = [];
let answer: () => Response = () => json(201, { code: 'DT-261207-0009' });
beforeEach(() => {
  sent = [];
  localStorage.clear();
  sessionStorage.clear();
  setPublicLang('vi');
  history.replaceState(null, '', '/phan-anh');
  answer = () => json(201, { code: 'DT-261207-0009' });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input) === '/api/v1/public/communes/default/petitions' && init?.method === 'POST') {
        sent.push(JSON.parse(String(init.body)));
        return answer();
      }
      return json(404, { status: 404, code: 'not_found' });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement;
async function fill(values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) await fireEvent.input(field(label), { target: { value } });
}
const FULL = { 'Tiêu đề': 'Đèn đường hỏng', 'Nội dung': 'Đèn đường thôn 3 hỏng đã một tuần.', 'Họ và tên': 'Nguyễn Văn A', 'Số điện thoại': '0912345678' };

describe('the feedback form', () => {
  it('says under each empty field what is missing, in words, and sends nothing (no browser bubble)', async () => {
    render(PublicFeedback, { t: pt });
    expect(screen.getByTestId('feedback-form')).toHaveAttribute('novalidate');
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    expect(screen.getByTestId('fb-subject-error')).toHaveTextContent('Vui lòng nhập tiêu đề.');
    expect(screen.getByTestId('fb-content-error')).toHaveTextContent('Vui lòng nhập nội dung');
    expect(screen.getByTestId('fb-name-error')).toHaveTextContent('Vui lòng nhập họ và tên.');
    expect(screen.getByTestId('fb-phone-error')).toHaveTextContent('Vui lòng nhập số điện thoại');
    expect(field('Tiêu đề')).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toEqual([]);
  });

  it('bounds the fields the server bounds, and says the server’s own reason with its limit', async () => {
    render(PublicFeedback, { t: pt });
    expect(field('Tiêu đề')).toHaveAttribute('maxlength', '300');
    expect(field('Nội dung')).toHaveAttribute('maxlength', '10000');
    expect(field('Họ và tên')).toHaveAttribute('maxlength', '200');
    answer = () =>
      json(422, {
        status: 422,
        code: 'validation_failed',
        errors: [
          { field: 'content', code: 'too_long', message: 'Tối đa 10000 ký tự.' },
          { field: 'name', code: 'too_short', message: 'Cần ít nhất 2 ký tự.' },
        ],
      });
    await fill({ ...FULL, 'Họ và tên': 'A' });
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    const content = await screen.findByTestId('fb-content-error');
    expect(content.textContent).toMatch(/Tối đa 10\.000 ký tự/);
    expect(content.textContent).not.toMatch(/ít nhất 3/);
    expect(screen.getByTestId('fb-name-error')).toHaveTextContent('Cần ít nhất 2 ký tự.');
    expect(screen.queryByTestId('fb-subject-error')).toBeNull();
  });

  it('keeps a draft for this tab through a reload, and forgets it once sent', async () => {
    render(PublicFeedback, { t: pt });
    await fireEvent.click(screen.getByLabelText('Kiến nghị'));
    await fill(FULL);
    cleanup();
    // The reload: a new page on the same tab.
    render(PublicFeedback, { t: pt });
    expect(field('Tiêu đề').value).toBe('Đèn đường hỏng');
    expect(field('Nội dung').value).toBe('Đèn đường thôn 3 hỏng đã một tuần.');
    expect(field('Số điện thoại').value).toBe('0912345678');
    expect((screen.getByLabelText('Kiến nghị') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('draft-restored')).toBeInTheDocument();
    // Never in localStorage: the phone may be someone else's.
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/Đèn đường/);
    await fireEvent.click(screen.getByRole('button', { name: 'Gửi' }));
    expect(await screen.findByTestId('tracking-code')).toHaveTextContent('DT-261207-0009');
    expect(sent).toHaveLength(1);
    await waitFor(() => expect(JSON.stringify({ ...sessionStorage })).not.toMatch(/Đèn đường/));
    cleanup();
    render(PublicFeedback, { t: pt });
    expect(field('Tiêu đề').value).toBe('');
  });
});
