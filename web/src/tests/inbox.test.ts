import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import { ApiError } from '../lib/api/client';
import { setLang } from '../i18n/index.svelte';
import { offline } from '../lib/offline/state.svelte';

// The notifications page that could not load says so, and only so: no "0 chưa đọc", no "Không có
// thông báo nào." (nothing is known); the network back, it loads.

const listNotifications = vi.fn();
vi.mock('../features/notifications/api', () => ({
  listNotifications: () => listNotifications(),
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
});
