import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { villageHead, withOutbox } from './offline-harness';

// The "Chưa gửi" page says what a refusal was about and what "Gửi tất cả" did, even when it
// could send nothing.

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const box = await import('../lib/offline/outbox');
const { default: Outbox } = await import('../features/offline/Outbox.svelte');

const ME = 7;
const village = villageHead(['relay_disclosures']);
const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });
const item = (id: number) => ({
  method: 'POST' as const,
  url: `/disclosures/${id}/relays`,
  parts: [{ name: 'relayed_on', value: '2026-12-01' }],
  label: `Xác nhận thông báo: Kế hoạch ${id}`,
  kind: `relay:${id}`,
  userId: ME,
});
const BEFORE_START = {
  code: 'validation_failed',
  detail: '1 trường chưa hợp lệ.',
  errors: [{ field: 'relayed_on', code: 'invalid_value', message: 'Ngày thông báo không được trước ngày bắt đầu công khai.' }],
};

let answer: () => Response;
const fetchFn = vi.fn(async () => answer());

withOutbox(village, fetchFn);
beforeEach(() => {
  localStorage.clear();
  fetchFn.mockClear();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the outbox page', () => {
  it('shows the field the server refused, in its words', async () => {
    answer = () => problem(422, BEFORE_START);
    await box.enqueue(item(21));
    await box.flush(true);
    render(Outbox);
    expect((await screen.findByTestId('outbox-refused')).textContent).toBe(
      'Máy chủ không nhận: Ngày thông báo không được trước ngày bắt đầu công khai.',
    );
  });

  it('"Gửi tất cả" with no network says nothing was sent', async () => {
    await box.enqueue(item(21));
    await box.enqueue(item(22));
    render(Outbox);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    await fireEvent.click(await screen.findByTestId('outbox-send-all'));
    expect(await screen.findByText(/Chưa có mạng nên chưa gửi được việc nào/)).toBeInTheDocument();
    expect(fetchFn).not.toHaveBeenCalled();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it('"Gửi tất cả" when the server refuses every item says so, and tries the refused ones again', async () => {
    answer = () => problem(422, BEFORE_START);
    await box.enqueue(item(21));
    await box.enqueue(item(22));
    await box.flush(true);
    fetchFn.mockClear();
    render(Outbox);
    await fireEvent.click(await screen.findByTestId('outbox-send-all'));
    expect(await screen.findByText('Máy chủ không nhận 2 việc: xem lý do dưới từng việc, sửa rồi gửi lại hoặc xóa.')).toBeInTheDocument();
    expect(fetchFn).toHaveBeenCalledTimes(2);
  });

  it('"Gửi tất cả" settles what the server already has, with a note that can be hidden', async () => {
    await box.enqueue(item(21));
    await box.enqueue(item(22));
    let n = 0;
    answer = () =>
      ++n === 1
        ? new Response('{"id":1}', { status: 201, headers: { 'content-type': 'application/json' } })
        : problem(409, { code: 'already_relayed', detail: 'Thôn đã xác nhận thông báo nội dung này.' });
    render(Outbox);
    await fireEvent.click(await screen.findByTestId('outbox-send-all'));
    expect(await screen.findByText('Đã gửi 1 việc. 1 việc máy chủ đã có, không cần gửi nữa (xem bên dưới).')).toBeInTheDocument();
    const settled = await screen.findByTestId('outbox-settled');
    expect(settled.textContent).toMatch(/Xác nhận thông báo: Kế hoạch 22.*Thôn đã xác nhận thông báo nội dung này\./);
    expect(await screen.findByTestId('outbox-empty')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('outbox-settled-hide'));
    await waitFor(() => expect(screen.queryByTestId('outbox-settled')).toBeNull());
  });
});
