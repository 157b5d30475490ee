import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import { ApiError } from '../lib/api/client';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import type { Me } from '../lib/api/types';

// The home page's cards when they do not load: no network is said as such (reloading cannot
// help), and the cards come when the network does.

const getHome = vi.fn();
vi.mock('../features/home/api', () => ({ getHome: () => getHome() }));
const { default: Home } = await import('../features/home/Home.svelte');

const board: Me = {
  user: { id: 1, username: 'bdh', full_name: 'Người dùng bdh', role: 'board', active: true } as unknown as Me['user'],
  commune: { id: 3, name: 'Bình Lương', authority_id: 1, authority_name: 'Tỉnh', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' } as unknown as Me['commune'],
  authority: null,
  permissions: ['read_plans'] as Me['permissions'],
};
const CARDS = { cards: [{ key: 'plan_progress', title: 'home.card.plan_progress', tone: 'ok', href: '/plans', figures: [] }] };

beforeEach(() => {
  void setLang('vi');
  session.me = board;
  getHome.mockReset();
});
afterEach(() => {
  cleanup();
  session.me = null;
});

describe('home cards that do not load', () => {
  it('with no network: says so and that they will load when it returns, then loads them when it does', async () => {
    getHome.mockRejectedValueOnce(new ApiError({ status: 0, code: 'network', detail: 'Failed to fetch' }));
    render(Home);
    const failed = await screen.findByTestId('home-cards-failed');
    expect(failed.textContent).toBe('Chưa có mạng. Số liệu hôm nay sẽ tự tải khi có mạng trở lại.');
    expect(failed.textContent).not.toMatch(/tải lại trang/);
    getHome.mockResolvedValueOnce(CARDS);
    window.dispatchEvent(new Event('online'));
    expect(await screen.findByText('Tiến độ kế hoạch')).toBeInTheDocument();
    expect(screen.queryByTestId('home-cards-failed')).toBeNull();
  });

  it('a server failure with the network up keeps asking for a reload', async () => {
    getHome.mockRejectedValueOnce(new ApiError({ status: 500, code: 'internal', detail: '' }));
    render(Home);
    expect((await screen.findByTestId('home-cards-failed')).textContent).toBe('Chưa tải được số liệu hôm nay. Hãy tải lại trang.');
  });
});
