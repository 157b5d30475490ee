import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { MfaRequired, createClient } from '../lib/api/client';
import { cleanCode, groupSecret, isCode, recoveryFile } from '../features/auth/mfa';

// Two-factor sign-in: the helpers, the client's 202 → MfaRequired, and the login page's second step.

const user = { id: 7, username: 'bdh', full_name: 'Ban điều hành', role: 'board', commune_id: 1, unit_id: null } as const;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const tokens = { access_token: 'T2', token_type: 'Bearer', expires_in: 900, user };

describe('mfa helpers', () => {
  it('accepts six digits, and recovery codes only where allowed', () => {
    expect(isCode('123 456')).toBe(true);
    expect(isCode('12345')).toBe(false);
    expect(isCode('abcde-fgh23')).toBe(false);
    expect(isCode('abcde-fgh23', true)).toBe(true);
    expect(isCode('ABCDEFGH23', true)).toBe(true);
    expect(cleanCode(' 12 34 56 ')).toBe('123456');
  });

  it('groups the secret and writes the recovery file', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(recoveryFile(['aaaaa-bbbbb', 'ccccc-ddddd'], 'bdh')).toBe('Thân Thiện — bdh\naaaaa-bbbbb\nccccc-ddddd\n');
  });
});

describe('client and the second step', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('throws MfaRequired on 202 without taking a session, and adopts the tokens of the code step', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push(`${init?.method ?? 'GET'} ${String(input)} ${new Headers(init?.headers).get('authorization') ?? ''}`);
        if (String(input).endsWith('/auth/login')) return json(202, { mfa: 'verify', challenge_token: 'C1', expires_in: 300 });
        return json(200, { ok: true });
      }),
    );
    const api = createClient();
    const seen: string[] = [];
    api.onSession((u, reason) => seen.push(`${reason}:${u?.username ?? ''}`));
    const err = await api.login('bdh', 'pw').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MfaRequired);
    expect((err as MfaRequired).challenge).toEqual({ mfa: 'verify', challenge_token: 'C1', expires_in: 300 });
    expect(api.hasToken()).toBe(false);
    expect(seen).toEqual([]);
    api.adopt(tokens);
    expect(api.bearer()).toBe('T2');
    expect(seen).toEqual(['login:bdh']);
    await api.get('/units');
    expect(calls.at(-1)).toBe('GET /api/v1/units Bearer T2');
  });
});

describe('login page', () => {
  let cleanup = () => {};
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = 'vi';
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks for the code after a right password and signs in with it', async () => {
    const bodies: Record<string, unknown> = {};
    let signedIn = false;
    const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (init?.body) bodies[url] = JSON.parse(String(init.body));
      if (url === '/api/v1/system/info') return json(200, { name: 'thanthien', version: '0.1.0', demo: false });
      if (url === '/api/v1/auth/refresh') return json(401, { status: 401, code: 'unauthenticated' });
      if (url === '/api/v1/auth/login') return json(202, { mfa: 'verify', challenge_token: 'C1', expires_in: 300 });
      if (url === '/api/v1/auth/mfa/verify') {
        signedIn = true;
        return json(200, tokens);
      }
      if (url === '/api/v1/auth/me' && signedIn)
        return json(200, {
          user: { ...user, phone: null, active: true },
          permissions: ['read_plans'],
          commune: { id: 1, name: 'Xã Bình Lương', authority_name: 'Thanh Hóa' },
          unit: null,
          authority: null,
        });
      return json(200, { items: [], total: 0, page: 1, per_page: 20 });
    });
    vi.stubGlobal('fetch', fetchFn);
    history.replaceState(null, '', '/login?next=/account');
    vi.resetModules();
    const tl = await import('@testing-library/svelte');
    const { default: App } = await import('../App.svelte');
    cleanup = tl.cleanup;
    tl.render(App);

    await fireEvent.input(await screen.findByLabelText('Tên đăng nhập'), { target: { value: 'bdh' } });
    await fireEvent.input(screen.getByLabelText('Mật khẩu'), { target: { value: 'dung-mat-khau' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    const code = await screen.findByLabelText('Mã 6 số hoặc mã khôi phục');
    expect(screen.getByRole('heading', { name: 'Nhập mã xác thực' })).toBeInTheDocument();
    await fireEvent.input(code, { target: { value: '123 456' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Xác nhận' }));
    await waitFor(() => expect(location.pathname).toBe('/account'));
    expect(bodies['/api/v1/auth/mfa/verify']).toEqual({ challenge_token: 'C1', code: '123456' });
  });
});
