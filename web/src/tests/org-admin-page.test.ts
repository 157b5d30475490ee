import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import AdminUsers from '../features/org/AdminUsers.svelte';
import AdminUnits from '../features/org/AdminUnits.svelte';
import { setLang } from '../i18n/index.svelte';
import { route } from '../lib/router/router.svelte';

// The users and units registers against a stubbed server holding more than one page (100) of
// each: the search must be the server's, not a filter over the page loaded.

const user = (id: number, username: string, full_name: string) => ({
  id,
  username,
  full_name,
  phone: null,
  role: 'village',
  commune_id: 1,
  unit_id: 3,
  unit_name: 'Thôn 1',
  active: true,
  last_login_at: null,
  created_at: '2026-01-05T02:00:00Z',
});
const unit = (id: number, name: string) => ({ id, name, kind: 'village', code: null, commune_id: 1, active: true, created_at: '2026-01-05T02:00:00Z' });

// 250 accounts; "thon1" sorts past the first hundred.
const USERS = [...Array.from({ length: 249 }, (_, i) => user(i + 1, `can.bo${i + 1}`, `Cán bộ ${i + 1}`)), user(250, 'thon1', 'Lê Thị Thôn')];
const UNITS = [...Array.from({ length: 149 }, (_, i) => unit(i + 1, `Tổ ${i + 1}`)), unit(150, 'Thôn Đồng Tâm')];

/** The queries the page sent to `path` (`/users`, `/units`), the paging of the unit picker aside. */
let asked: URLSearchParams[] = [];

function stubApi(listed: '/users' | '/units') {
  asked = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      const path = url.pathname.replace('/api/v1', '');
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      const page = (rows: unknown[]) => {
        const p = Number(url.searchParams.get('page') ?? 1);
        const per = Number(url.searchParams.get('per_page') ?? 100);
        return json({ items: rows.slice((p - 1) * per, p * per), total: rows.length, page: p, per_page: per });
      };
      if (path === listed) asked.push(url.searchParams);
      // The server's search: "thon1" finds the account named so, "dong" the unit "Thôn Đồng Tâm".
      const q = url.searchParams.get('q');
      if (path === '/users') return page(q ? USERS.filter((u) => u.username === q) : USERS);
      if (path === '/units') return page(q ? UNITS.filter((u) => q === 'dong' && u.name === 'Thôn Đồng Tâm') : UNITS);
      return new Response(JSON.stringify({ code: 'not_found' }), { status: 404, headers: { 'content-type': 'application/json' } });
    }),
  );
}

function at(path: string) {
  history.replaceState(null, '', path);
  route.path = location.pathname;
  route.search = location.search;
}

const rows = (testid: string) => [...screen.getByTestId(testid).querySelectorAll('tbody tr')];

/** Each test of a register: Vietnamese, the server's list of `path` stubbed. */
function servedFrom(path: '/users' | '/units') {
  beforeEach(async () => {
    await setLang('vi');
    stubApi(path);
  });
  afterEach(() => vi.unstubAllGlobals());
}

describe('the users register', () => {
  servedFrom('/users');

  it('asks the server for the search once the typing pauses, from the first page, and shows its answer', async () => {
    at('/admin/users?page=2');
    render(AdminUsers);
    await waitFor(() => expect(rows('users-table')).toHaveLength(100));
    expect(asked.map((p) => [p.get('page'), p.get('q')])).toEqual([['2', null]]);
    expect(screen.getByText('Hiển thị 100/250')).toBeInTheDocument();

    // Three keys in a row: one request, for what was typed last, back on page 1.
    const box = screen.getByRole('searchbox');
    for (const typed of ['t', 'th', 'thon1']) await fireEvent.input(box, { target: { value: typed } });
    await waitFor(() => expect(rows('users-table')).toHaveLength(1));
    expect(asked.slice(1).map((p) => [p.get('page'), p.get('q')])).toEqual([['1', 'thon1']]);
    expect(rows('users-table')[0]).toHaveAttribute('data-username', 'thon1');
    expect(rows('users-table')[0]).toHaveTextContent('Lê Thị Thôn');
    expect(screen.getByText('Hiển thị 1/1')).toBeInTheDocument();
    // The search stays in the address, the page is the first.
    expect(new URLSearchParams(location.search).get('q')).toBe('thon1');
    expect(new URLSearchParams(location.search).get('page')).toBeNull();
  });

  it('sends a search from the address at once, with the filters', async () => {
    at('/admin/users?q=thon1&role=village&active=true');
    render(AdminUsers);
    await waitFor(() => expect(rows('users-table')).toHaveLength(1));
    expect(asked).toHaveLength(1);
    expect(Object.fromEntries(asked[0])).toMatchObject({ q: 'thon1', role: 'village', active: 'true', page: '1' });
    expect(screen.getByRole('searchbox')).toHaveValue('thon1');
  });

  it('offers in the form only the roles a commune may give (the province issues its own accounts)', async () => {
    at('/admin/users');
    render(AdminUsers);
    await waitFor(() => expect(rows('users-table')).toHaveLength(100));
    const texts = (select: string) => [...document.querySelectorAll(`${select} option`)].map((o) => o.textContent?.trim());
    // The list's filter still finds every role.
    expect(texts('#user-role-filter')).toContain('Cấp tỉnh');
    await fireEvent.click(screen.getByTestId('create-user'));
    const form = await screen.findByTestId('user-form');
    expect(form.querySelector('#u-role')).not.toBeNull();
    expect(texts('#u-role')).toEqual(['Quản trị viên', 'Ban điều hành', 'UBND xã (một cửa)', 'Mặt trận & đoàn thể', 'Trưởng thôn']);
    // The unit picker offers every unit of the commune, past the first page of a hundred.
    await waitFor(() => expect(texts('#u-unit')).toContain('Thôn Đồng Tâm'));
    expect(texts('#u-unit').filter((name) => name?.startsWith('Tổ '))).toHaveLength(149);
  });

  it('says when the server finds nobody', async () => {
    at('/admin/users?q=khong-ai');
    render(AdminUsers);
    expect(await screen.findByText('Không có người dùng nào phù hợp.')).toBeInTheDocument();
    expect(asked[0].get('q')).toBe('khong-ai');
  });
});

describe('the units register', () => {
  servedFrom('/units');

  it('searches the names on the server, past the first page', async () => {
    at('/admin/units?kind=village');
    render(AdminUnits);
    await waitFor(() => expect(rows('units-table')).toHaveLength(100));
    expect(document.querySelector('[data-unit="Thôn Đồng Tâm"]')).toBeNull();
    await fireEvent.input(screen.getByRole('searchbox'), { target: { value: ' dong ' } });
    await waitFor(() => expect(rows('units-table')).toHaveLength(1));
    expect(rows('units-table')[0]).toHaveAttribute('data-unit', 'Thôn Đồng Tâm');
    expect(asked.map((p) => [p.get('page'), p.get('q'), p.get('kind')])).toEqual([
      ['1', null, 'village'],
      ['1', 'dong', 'village'],
    ]);
    expect(screen.getByText('Hiển thị 1/1')).toBeInTheDocument();
  });
});
