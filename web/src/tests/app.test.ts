import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';

// The whole shell against a stubbed server: which links a role sees, guards, login errors.

// The warm-up of a village head's phone (features/offline/warm.ts), as the shell starts it.
const warmUp = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('../features/offline/warm', () => ({ warm: warmUp }));

const PERMS = {
  admin: ['manage_users', 'manage_units', 'manage_settings', 'read_audit', 'read_plans'],
  village: ['report_tasks', 'read_plans', 'read_statistics', 'run_surveys'],
};

function meFor(role: 'admin' | 'village') {
  return {
    user: { id: 7, username: role === 'admin' ? 'admin' : 'thon1', full_name: role === 'admin' ? 'Nguyễn Văn Quản' : 'Lê Thị Thôn', phone: null, role, commune_id: 1, unit_id: role === 'village' ? 3 : null, active: true },
    permissions: PERMS[role],
    commune: { id: 1, name: 'Xã Đồng Tâm', authority_name: 'UBND xã Đồng Tâm' },
    unit: role === 'village' ? { id: 3, name: 'Thôn 1', kind: 'village' } : null,
    authority: null,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

function server(role: 'admin' | 'village' | null) {
  // Someone signed in on this browser before (the start tries the refresh cookie only then).
  if (role) localStorage.setItem('tt.me', JSON.stringify(meFor(role)));
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    if (url === '/api/v1/system/info') return json(200, { name: 'thanthien', version: '0.1.0', demo: true });
    if (url === '/api/v1/auth/refresh')
      return role
        ? json(200, { access_token: 'T', token_type: 'Bearer', expires_in: 900, user: meFor(role).user })
        : json(401, { status: 401, code: 'unauthenticated', title: 'Unauthenticated' });
    if (url === '/api/v1/auth/me' && role) return json(200, meFor(role));
    if (url === '/api/v1/auth/login' && method === 'POST')
      return json(401, { status: 401, code: 'invalid_credentials', title: 'Invalid credentials' });
    if (url.startsWith('/api/v1/tasks/mine'))
      return json(200, {
        items: [{ id: 41, plan_id: 1, title: 'Họp thôn tuyên truyền', status: 'in_progress', progress: 40, due_date: '2020-01-31', lead_unit_id: 3, source: 'plan', missing_periods: [] }],
        total: 1,
        page: 1,
        per_page: 30,
      });
    if (url === '/api/v1/tasks/41') return json(200, { id: 41, plan_id: 1, title: 'Họp thôn tuyên truyền', reports: [], history: [] });
    if (url.startsWith('/api/v1/users') || url.startsWith('/api/v1/units'))
      return json(200, { items: [], total: 0, page: 1, per_page: 100 });
    return json(404, { status: 404, code: 'not_found' });
  });
  vi.stubGlobal('fetch', fetchFn);
  return fetchFn;
}

let cleanup = () => {};

// Each test gets fresh module state (session, router, client), so the app and the renderer are
// both imported after the module registry is reset: they must share one Svelte runtime.
async function renderApp(path: string) {
  history.replaceState(null, '', path);
  vi.resetModules();
  const tl = await import('@testing-library/svelte');
  const { default: App } = await import('../App.svelte');
  cleanup = tl.cleanup;
  return tl.render(App);
}

describe('app shell', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = 'vi';
    warmUp.mockClear();
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lands a village head on their work, named as the menu names it, with a tab bar and no admin navigation', async () => {
    const fetchFn = server('village');
    await renderApp('/');
    // Their village's tasks, "Báo cáo" one tap from each: not an identity card.
    expect(await screen.findByTestId('my-tasks-title')).toHaveTextContent('Việc của thôn tôi');
    expect(await screen.findByText('Họp thôn tuyên truyền')).toBeInTheDocument();
    expect(screen.getByTestId('report-button')).toHaveTextContent('Báo cáo');
    expect(screen.queryByTestId('modules')).toBeNull();
    expect(screen.getByTestId('demo-badge')).toHaveTextContent('Dữ liệu mẫu');
    expect(screen.getAllByText('Xã Đồng Tâm').length).toBeGreaterThan(0);
    const nav = screen.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(within(nav).getByRole('link', { name: 'Việc của thôn tôi' })).toHaveAttribute('href', '/');
    expect(within(nav).getAllByRole('link', { name: 'Việc của thôn tôi' })).toHaveLength(1);
    expect(within(nav).queryByRole('link', { name: 'Người dùng' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Nhật ký hệ thống' })).toBeNull();
    const tabs = screen.getByRole('navigation', { name: 'Các việc chính' });
    expect(within(tabs).getByRole('link', { name: 'Việc của thôn tôi' })).toHaveAttribute('aria-current', 'page');
    // Nothing waits to be sent: the outbox's tab says so.
    expect(within(tabs).getByRole('link', { name: 'Đã gửi hết' })).toHaveAttribute('href', '/outbox');
    expect(within(tabs).getByRole('button', { name: /Thêm/ })).toBeInTheDocument();
    // The page keeps its task for offline reading once the phone is idle; the test waits for it,
    // so nothing is still asking the server when the next test starts.
    await waitFor(() => expect(screen.getByTestId('offline-kept')).toHaveAttribute('data-done', 'true'));
    expect(fetchFn.mock.calls.some(([u]) => String(u) === '/api/v1/tasks/41')).toBe(true);
  });

  it('warms a village head’s phone once per session started online, not at each change of the profile', async () => {
    server('village');
    await renderApp('/');
    await waitFor(() => expect(warmUp).toHaveBeenCalledTimes(1));
    // The app's own modules (renderApp reset the registry): its session and its Svelte.
    const { session } = await import('../lib/session.svelte');
    const { flushSync } = await import('svelte');
    // The profile read again (a new object, the same session): not again.
    session.me = { ...session.me! };
    flushSync();
    // A session started with no network, restored when the network returns: again.
    session.offline = true;
    flushSync();
    session.offline = false;
    await waitFor(() => expect(warmUp).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(warmUp).toHaveBeenCalledTimes(2);
  });

  it('answers an admin page with the forbidden page for a village head', async () => {
    server('village');
    await renderApp('/admin/users');
    expect(await screen.findByTestId('error-forbidden')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Không có quyền truy cập');
    // Nothing of this session left running when the next test starts.
    await waitFor(() => expect(warmUp).toHaveBeenCalledTimes(1));
  });

  it('shows the admin links to an admin and opens the users page', async () => {
    const fetchFn = server('admin');
    await renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Điều hướng chính' });
    for (const name of ['Người dùng', 'Đơn vị', 'Nhật ký hệ thống']) {
      expect(within(nav).getByRole('link', { name })).toBeInTheDocument();
    }
    await fireEvent.click(within(nav).getByRole('link', { name: 'Người dùng' }));
    expect(location.pathname).toBe('/admin/users');
    expect(await screen.findByRole('heading', { level: 1, name: 'Người dùng' })).toBeInTheDocument();
    await waitFor(() => expect(fetchFn.mock.calls.some(([u]) => String(u).startsWith('/api/v1/users?'))).toBe(true));
    expect(warmUp).not.toHaveBeenCalled();
  });

  it('keeps the users list’s search and filters in the address', async () => {
    const fetchFn = server('admin');
    await renderApp('/admin/users?role=village&q=thon');
    const box = await screen.findByRole('searchbox');
    expect(box).toHaveValue('thon');
    // The role filter from the address reaches the server.
    await waitFor(() =>
      expect(fetchFn.mock.calls.some(([u]) => String(u).startsWith('/api/v1/users?') && String(u).includes('role=village'))).toBe(true),
    );
    await fireEvent.input(box, { target: { value: 'Đồng' } });
    await waitFor(() => expect(new URLSearchParams(location.search).get('q')).toBe('Đồng'));
    expect(new URLSearchParams(location.search).get('role')).toBe('village');
    // A value the page does not know reads as no filter, and leaves the address.
    cleanup();
    const again = server('admin');
    await renderApp('/admin/users?role=mayor');
    await screen.findByRole('heading', { level: 1, name: 'Người dùng' });
    await waitFor(() => expect(again.mock.calls.some(([u]) => String(u).startsWith('/api/v1/users?'))).toBe(true));
    expect(again.mock.calls.some(([u]) => String(u).includes('role=mayor'))).toBe(false);
    await waitFor(() => expect(location.search).toBe(''));
  });

  it('shows the 404 page for unknown paths', async () => {
    server('admin');
    await renderApp('/khong-co-trang-nay');
    expect(await screen.findByTestId('error-notfound')).toBeInTheDocument();
  });

  it('sends an anonymous visitor to /login and shows a Vietnamese error for bad credentials', async () => {
    const fetchFn = server(null);
    await renderApp('/admin/units');
    const username = await screen.findByLabelText('Tên đăng nhập');
    // Nobody signed in on this browser: no refresh is tried (the browser would log its 401).
    expect(fetchFn.mock.calls.some(([u]) => String(u) === '/api/v1/auth/refresh')).toBe(false);
    expect(location.pathname).toBe('/login');
    expect(new URLSearchParams(location.search).get('next')).toBe('/admin/units');
    await fireEvent.input(username, { target: { value: 'admin' } });
    await fireEvent.input(screen.getByLabelText('Mật khẩu'), { target: { value: 'sai-mat-khau' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Tên đăng nhập hoặc mật khẩu không đúng.');
  });

  it('switches the language and remembers it', async () => {
    server('village');
    await renderApp('/');
    expect(await screen.findByTestId('my-tasks-title')).toHaveTextContent('Việc của thôn tôi');
    await fireEvent.click(screen.getByRole('button', { name: 'EN' }));
    expect(await screen.findByText("My village's tasks", { selector: 'h1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All sent' })).toHaveAttribute('href', '/outbox');
    expect(screen.getByTestId('demo-badge')).toHaveTextContent('Demo data');
    expect(localStorage.getItem('thanthien.lang')).toBe('en');
  });
});
