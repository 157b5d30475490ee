import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { ApiError } from '../lib/api/client';
import { villageHead, withOutbox } from './offline-harness';

// A task's page with no network: a comment waits in the outbox under the key it was first sent
// with, and is sent once; a status change is not queued, and the page says so instead of
// promising it.

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const TASK = {
  id: 5,
  plan_id: 2,
  plan_closed: false,
  title: 'Sửa đường liên thôn',
  description: '',
  status: 'in_progress',
  progress: 40,
  start_date: '2030-01-01',
  due_date: '2030-12-31',
  lead_unit_id: 11,
  supporting_unit_ids: [],
  source: 'plan',
  can_report: true,
  can_edit: false,
  missing_periods: [],
  reports: [],
  comments: [],
  history: [],
};
const sentKeys: (string | undefined)[] = [];
vi.mock('../features/plans/units', () => ({ communeUnits: async () => [], unitNames: () => new Map() }));
vi.mock('../features/plans/api', async (original) => ({
  ...(await original<typeof import('../features/plans/api')>()),
  getTask: async () => TASK,
  addComment: async (_task: number, _text: string, key?: string) => {
    sentKeys.push(key);
    throw new ApiError({ status: 0, code: 'network' });
  },
  updateTask: async () => {
    throw new ApiError({ status: 0, code: 'network' });
  },
}));
const box = await import('../lib/offline/outbox');
const { default: TaskDetail } = await import('../features/plans/TaskDetail.svelte');

const village = villageHead(['report_tasks', 'read_plans']);
const fetchFn = vi.fn(async (): Promise<Response> => new Response('', { status: 503 }));
withOutbox(village, fetchFn);
beforeEach(() => {
  sentKeys.length = 0;
});

describe('a task page with no network', () => {
  it('keeps a comment in the outbox under the key it was first sent with, and sends it once', async () => {
    render(TaskDetail, { params: { id: '5' } });
    await fireEvent.input(await screen.findByLabelText('Ý kiến của bạn'), { target: { value: 'Đã gửi ảnh bổ sung.' } });
    await fireEvent.submit(document.querySelector('#comment-text')!.closest('form')!);
    expect(await screen.findByText(/ý kiến đã được lưu trên điện thoại và sẽ tự gửi khi có mạng/)).toBeInTheDocument();
    const items = await box.list(7);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ method: 'POST', url: '/tasks/5/comments', json: { text: 'Đã gửi ảnh bổ sung.' } });
    expect(sentKeys).toEqual([items[0].id]);
    // The network returns: sent with that key, and the page says so.
    fetchFn.mockResolvedValueOnce(new Response(JSON.stringify({ id: 1, text: 'Đã gửi ảnh bổ sung.' }), { status: 201 }));
    expect(await box.flush(true)).toMatchObject({ sent: 1 });
    const call = fetchFn.mock.calls.at(-1) as unknown as [string, RequestInit];
    expect(call[0]).toMatch(/\/api\/v1\/tasks\/5\/comments$/);
    expect((call[1].headers as Record<string, string>)['Idempotency-Key']).toBe(items[0].id);
    expect(await screen.findByText('Đã gửi ý kiến.')).toBeInTheDocument();
  });

  it('does not queue a status change, and says the report is what waits for a network', async () => {
    render(TaskDetail, { params: { id: '5' } });
    const select = await screen.findByLabelText('Trạng thái');
    await fireEvent.submit(select.closest('form')!);
    expect((await screen.findByTestId('status-offline')).textContent).toMatch(/trạng thái chưa được lưu/);
    expect(await box.list(7)).toHaveLength(0);
  });
});
