import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import PublicSurvey from '../features/public/PublicSurvey.svelte';
import { pt, setPublicLang } from '../features/public/i18n.svelte';

// The citizen's survey page (/khao-sat/{token}) against a stubbed server.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const SURVEY = {
  title: 'Phiếu đánh giá mức độ hài lòng tại Bộ phận Một cửa xã',
  procedure_name: null,
  notice: 'Phiếu không ghi tên.',
  answered: false,
  questions: [
    {
      id: 'education',
      kind: 'single',
      required: false,
      text: 'Trình độ học vấn',
      options: [
        { id: 'a', text: 'Tiểu học trở xuống' },
        { id: 'b', text: 'Trung học cơ sở, trung học phổ thông' },
      ],
    },
  ],
};

let answer: (init?: RequestInit) => Promise<Response>;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  setPublicLang('vi');
  history.replaceState(null, '', '/khao-sat/abc123');
  answer = async () => json(201, { id: 1 });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url === '/api/v1/public/surveys/abc123' && (!init?.method || init.method === 'GET')) return json(200, SURVEY);
      if (url === '/api/v1/public/surveys/abc123/responses') return answer(init);
      return json(404, { status: 404, code: 'not_found' });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

describe('the citizen’s survey page', () => {
  it('keeps the answers ticked through a reload (this tab only) and forgets them once sent', async () => {
    render(PublicSurvey, { t: pt });
    await fireEvent.click(await screen.findByLabelText('Trung học cơ sở, trung học phổ thông'));
    cleanup();
    render(PublicSurvey, { t: pt });
    const again = (await screen.findByLabelText('Trung học cơ sở, trung học phổ thông')) as HTMLInputElement;
    expect(again.checked).toBe(true);
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/education/);
    let body = '';
    answer = async (init) => {
      body = String(init?.body);
      return json(201, { id: 1 });
    };
    await fireEvent.click(screen.getByTestId('survey-submit'));
    expect(await screen.findByTestId('survey-thanks')).toBeInTheDocument();
    expect(JSON.parse(body).answers).toEqual([{ question_id: 'education', value: 'b' }]);
    expect(JSON.stringify({ ...sessionStorage })).not.toMatch(/education/);
    cleanup();
    render(PublicSurvey, { t: pt });
    expect(((await screen.findByLabelText('Trung học cơ sở, trung học phổ thông')) as HTMLInputElement).checked).toBe(false);
  });

  it('says there is no network when sending fails for want of one, as /phan-anh does', async () => {
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    render(PublicSurvey, { t: pt });
    await fireEvent.click(await screen.findByLabelText('Trung học cơ sở, trung học phổ thông'));
    await fireEvent.click(screen.getByTestId('survey-submit'));
    expect(await screen.findByText('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.')).toBeInTheDocument();
    expect(screen.queryByText('Đã có lỗi xảy ra. Vui lòng thử lại sau.')).toBeNull();
    // The answers stay on the page, ready to send again.
    expect((screen.getByLabelText('Trung học cơ sở, trung học phổ thông') as HTMLInputElement).checked).toBe(true);
  });

  it('opening the page without a network says so too', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    render(PublicSurvey, { t: pt });
    expect((await screen.findByTestId('survey-load-error')).textContent).toBe('Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.');
  });

  it('a dossier rated before thanks the citizen once', async () => {
    answer = async () => json(409, { status: 409, code: 'already_answered', title: 'Conflict', detail: '' });
    render(PublicSurvey, { t: pt });
    await fireEvent.click(await screen.findByLabelText('Tiểu học trở xuống'));
    await fireEvent.click(screen.getByTestId('survey-submit'));
    await screen.findByTestId('survey-thanks');
    const page = document.querySelector('section.survey')?.textContent ?? '';
    expect(page.match(/Cảm ơn/g)).toHaveLength(1);
    expect(screen.getByTestId('survey-thanks-text').textContent).toBe('Hồ sơ này đã được đánh giá trước đây; mỗi hồ sơ được đánh giá một lần.');
  });
});
