import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { deferred } from './deferred';
import { ApiError } from '../lib/api/client';
import { setLang } from '../i18n/index.svelte';
import { offline } from '../lib/offline/state.svelte';

// The notifications page that could not load says so, and only so: no "0 chưa đọc", no "Không có
// thông báo nào." (nothing is known); the network back, it loads.

const listNotifications = vi.fn();
vi.mock('../features/notifications/api', () => ({
  listNotifications: (query: unknown) => listNotifications(query),
  markRead: vi.fn(),
}));
const { default: Inbox } = await import('../features/notifications/Inbox.svelte');

const ONE = {
  items: [{ id: 1, kind: 'task_due', title_vi: 'Nhiệm vụ mới: Sửa đường', title_en: 'New task', link: '/tasks/5', created_at: '2026-12-01T08:00:00Z', read_at: null }],
  unread: 1,
  total: 1,
  page: 1,
  per_page: 100,
};

beforeEach(() => {
  void setLang('vi');
  listNotifications.mockReset();
  offline.online = false;
});
afterEach(() => {
  cleanup();
  offline.online = true;
});

describe('the notifications page', () => {
  it('with no network shows the failure, not zero notifications, then loads when the network returns', async () => {
    listNotifications.mockRejectedValueOnce(new ApiError({ status: 0, code: 'network' }));
    render(Inbox);
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(screen.queryByTestId('inbox-unread')).toBeNull();
    expect(screen.queryByTestId('inbox-empty')).toBeNull();
    expect(screen.queryByText(/0 chưa đọc/)).toBeNull();
    expect(screen.queryByText('Không có thông báo nào.')).toBeNull();
    listNotifications.mockResolvedValueOnce(ONE);
    offline.online = true;
    expect((await screen.findByTestId('inbox-unread')).textContent).toBe('1 chưa đọc');
    expect(screen.getByText('Nhiệm vụ mới: Sửa đường')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says there are none when the server says so', async () => {
    listNotifications.mockResolvedValueOnce({ items: [], unread: 0, total: 0, page: 1, per_page: 100 });
    render(Inbox);
    expect((await screen.findByTestId('inbox-empty')).textContent).toBe('Không có thông báo nào.');
    expect(screen.getByTestId('inbox-unread').textContent).toBe('0 chưa đọc');
  });

  it('keeps the tab picked when the answer for the other tab comes later', async () => {
    offline.online = true;
    const all = deferred<unknown>();
    listNotifications.mockReturnValueOnce(all.promise).mockResolvedValueOnce(ONE);
    render(Inbox);
    await fireEvent.click(screen.getByTestId('inbox-unread-only'));
    expect(listNotifications.mock.calls.map((c) => c[0])).toEqual([{ per_page: 100 }, { per_page: 100, unread: true }]);
    expect(await screen.findByText('Nhiệm vụ mới: Sửa đường')).toBeInTheDocument();
    const read = { id: 2, kind: 'task_due', title_vi: 'Đã đọc: Họp thôn', title_en: 'Read', link: '/tasks/6', created_at: '2026-11-30T08:00:00Z', read_at: '2026-11-30T09:00:00Z' };
    all.resolve({ ...ONE, items: [...ONE.items, read], total: 2 });
    await all.promise;
    // Let every continuation of the late answer run (a task runs after all pending microtasks).
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByText('Đã đọc: Họp thôn')).toBeNull();
    expect(screen.getByText('Nhiệm vụ mới: Sửa đường')).toBeInTheDocument();
  });
});
