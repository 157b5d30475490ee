import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { ApiError } from '../lib/api/client';
import { villageHead, withOutbox } from './offline-harness';

// A village head's home (their tasks) after a report queued with no network: it tells what became
// of it — waiting, or refused by the server, and then it stops promising to send it.

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const TASK = {
  id: 5,
  title: 'Sửa đường liên thôn',
  status: 'in_progress',
  progress: 40,
  due_date: '2030-12-31',
  source: 'plan',
  missing_periods: [],
};
vi.mock('../features/plans/mine', () => ({
  MY_TASKS_PER_PAGE: 30,
  myTasks: async () => ({ items: [TASK], total: 1, page: 1, per_page: 30 }),
}));
vi.mock('../features/plans/units', () => ({ communeUnits: async () => [], unitNames: () => '' }));
vi.mock('../features/plans/api', async (original) => ({
  ...(await original<typeof import('../features/plans/api')>()),
  // The upload finds no network: the form queues the report.
  postReport: async () => {
    throw new ApiError({ status: 0, code: 'network' });
  },
  getTask: async () => TASK,
}));
const box = await import('../lib/offline/outbox');
const { default: MyTasks } = await import('../features/plans/MyTasks.svelte');

const village = villageHead(['report_tasks']);
const fetchFn = vi.fn(async (): Promise<Response> => new Response('', { status: 503 }));
withOutbox(village, fetchFn);

describe('a report queued from the home page', () => {
  it('says it waits, then that the server refused it and where to see it', async () => {
    render(MyTasks);
    await fireEvent.click(await screen.findByTestId('report-button'));
    await fireEvent.input(await screen.findByRole('textbox', { name: 'Đã làm được gì?' }), { target: { value: 'Đã đổ xong 200 m bê tông.' } });
    await fireEvent.submit(screen.getByTestId('report-form'));
    expect(await screen.findByText(/báo cáo “Sửa đường liên thôn” đã được lưu trên điện thoại và sẽ tự gửi khi có mạng/)).toBeInTheDocument();
    expect(await screen.findByTestId('queued-tag')).toBeInTheDocument();
    // The network returns and the server refuses it.
    fetchFn.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          status: 422,
          code: 'validation_failed',
          detail: '1 trường chưa hợp lệ.',
          errors: [{ field: 'progress', code: 'invalid_value', message: 'Nhiệm vụ đã hủy, không nhận báo cáo tiến độ.' }],
        }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    expect(await box.flush(true)).toMatchObject({ refused: 1 });
    const refused = await screen.findByTestId('report-refused');
    expect(refused.textContent).toMatch(/Máy chủ không nhận báo cáo “Sửa đường liên thôn”: Nhiệm vụ đã hủy, không nhận báo cáo tiến độ\./);
    expect(refused.querySelector('a')?.getAttribute('href')).toBe('/outbox');
    expect(screen.queryByText(/sẽ tự gửi khi có mạng/)).toBeNull();
    expect(await screen.findByTestId('refused-tag')).toBeInTheDocument();
    expect(screen.queryByTestId('queued-tag')).toBeNull();
  });
});
