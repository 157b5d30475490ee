import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, type SessionListener } from '../lib/api/client';

const user = { id: 1, username: 'admin', full_name: 'Quản trị', role: 'admin', commune_id: 1, unit_id: null } as const;

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}
const problem = (status: number, code: string) => json(status, { type: 'about:blank', title: code, status, detail: code, code });
const token = (access: string, expires_in = 900) => json(200, { access_token: access, token_type: 'Bearer', expires_in, user });

type Call = { url: string; method: string; auth: string | null; credentials?: RequestCredentials; body?: unknown };

/** A scripted fetch: each handler answers one call, in order; every call is recorded. */
function scriptedFetch(handlers: Array<(c: Call) => Response | Promise<Response>>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      auth: headers.get('authorization'),
      credentials: init?.credentials,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const h = handlers.shift();
    if (!h) throw new Error(`unexpected call ${call.method} ${call.url}`);
    return h(call);
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn };
}

describe('api client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('logs in, keeps the token in memory and sends it as a Bearer header, same-origin', async () => {
    const { calls } = scriptedFetch([() => token('A1'), () => json(200, { ok: true })]);
    const api = createClient();
    const tok = await api.login('admin', 'thanthien-demo');
    expect(tok.user.username).toBe('admin');
    expect(calls[0]).toMatchObject({ url: '/api/v1/auth/login', method: 'POST', auth: null, body: { username: 'admin', password: 'thanthien-demo' } });
    await expect(api.get('/units', { query: { q: 'thôn', page: 2, kind: '', active: undefined } })).resolves.toEqual({ ok: true });
    expect(calls[1].url).toBe('/api/v1/units?q=th%C3%B4n&page=2');
    expect(calls[1].auth).toBe('Bearer A1');
    expect(calls.every((c) => c.credentials === 'same-origin')).toBe(true);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('on 401 unauthenticated, refreshes once and retries with the new token', async () => {
    const { calls } = scriptedFetch([
      () => token('OLD'),
      () => problem(401, 'unauthenticated'),
      () => token('NEW'),
      () => json(200, { items: [] }),
    ]);
    const api = createClient();
    const seen: Parameters<SessionListener>[] = [];
    api.onSession((...args) => seen.push(args));
    await api.login('admin', 'pw');
    await expect(api.get('/users')).resolves.toEqual({ items: [] });
    expect(calls.map((c) => `${c.method} ${c.url} ${c.auth}`)).toEqual([
      'POST /api/v1/auth/login null',
      'GET /api/v1/users Bearer OLD',
      'POST /api/v1/auth/refresh null',
      'GET /api/v1/users Bearer NEW',
    ]);
    // The refresh call sends no body: the refresh token is the HttpOnly cookie.
    expect(calls[2].body).toBeUndefined();
    expect(seen.map(([, reason]) => reason)).toEqual(['login', 'refresh']);
  });

  it('does not loop: a second 401 after the retry is thrown and ends the session', async () => {
    scriptedFetch([() => token('OLD'), () => problem(401, 'unauthenticated'), () => token('NEW'), () => problem(401, 'unauthenticated')]);
    const api = createClient();
    const reasons: string[] = [];
    api.onSession((u, r) => reasons.push(`${u ? 'user' : 'none'}:${r}`));
    await api.login('admin', 'pw');
    await expect(api.get('/users')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(api.hasToken()).toBe(false);
    expect(reasons).toEqual(['user:login', 'user:refresh', 'none:expired']);
  });

  it('when the refresh fails, throws the original error and reports the session expired', async () => {
    const { calls } = scriptedFetch([() => token('OLD'), () => problem(401, 'unauthenticated'), () => problem(401, 'unauthenticated')]);
    const api = createClient();
    const reasons: string[] = [];
    api.onSession((_u, r) => reasons.push(r));
    await api.login('admin', 'pw');
    const err = await api.get('/users').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('unauthenticated');
    expect(calls).toHaveLength(3);
    expect(api.hasToken()).toBe(false);
    expect(reasons).toEqual(['login', 'expired']);
  });

  it('shares one refresh between concurrent 401s', async () => {
    let refreshes = 0;
    const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const auth = new Headers(init?.headers).get('authorization');
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        await Promise.resolve();
        return token('NEW');
      }
      return auth === 'Bearer NEW' ? json(200, { url }) : problem(401, 'unauthenticated');
    });
    vi.stubGlobal('fetch', fetchFn);
    const api = createClient();
    const results = await Promise.all([api.get('/a'), api.get('/b'), api.get('/c')]);
    expect(results).toEqual([{ url: '/api/v1/a' }, { url: '/api/v1/b' }, { url: '/api/v1/c' }]);
    expect(refreshes).toBe(1);
  });

  it('does not refresh for other 401s such as invalid_credentials', async () => {
    const { calls } = scriptedFetch([() => problem(401, 'invalid_credentials')]);
    const api = createClient();
    await expect(api.login('admin', 'wrong')).rejects.toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(calls).toHaveLength(1);
  });

  it('does not refresh on 403', async () => {
    const { calls } = scriptedFetch([() => token('A'), () => problem(403, 'forbidden')]);
    const api = createClient();
    await api.login('thon1', 'pw');
    await expect(api.get('/users')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(calls).toHaveLength(2);
  });

  it('restores a session silently at start, and reports none without a cookie', async () => {
    scriptedFetch([() => token('R1')]);
    const api = createClient();
    await expect(api.refresh()).resolves.toBe(true);
    expect(api.hasToken()).toBe(true);

    scriptedFetch([() => problem(401, 'unauthenticated')]);
    const anon = createClient();
    const reasons: string[] = [];
    anon.onSession((_u, r) => reasons.push(r));
    await expect(anon.refresh()).resolves.toBe(false);
    expect(anon.hasToken()).toBe(false);
    // Nobody was signed in, so nothing "expired".
    expect(reasons).toEqual([]);
  });

  it('refreshes about 60 s before the access token expires', async () => {
    const { calls } = scriptedFetch([() => token('FIRST', 300), () => token('SECOND', 300)]);
    const api = createClient();
    await api.login('admin', 'pw');
    await vi.advanceTimersByTimeAsync(239_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(calls[1].url).toBe('/api/v1/auth/refresh');
  });

  it('stops the refresh timer on logout and always forgets the token', async () => {
    const { calls } = scriptedFetch([() => token('A', 300), (c) => {
      expect(c.auth).toBe('Bearer A');
      return new Response(null, { status: 204 });
    }]);
    const api = createClient();
    const reasons: string[] = [];
    api.onSession((_u, r) => reasons.push(r));
    await api.login('admin', 'pw');
    await api.logout();
    expect(api.hasToken()).toBe(false);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/login', '/api/v1/auth/logout']);
    expect(reasons).toEqual(['login', 'logout']);
  });

  it('turns a failed fetch into a network ApiError', async () => {
    scriptedFetch([() => Promise.reject(new TypeError('Failed to fetch'))]);
    const api = createClient();
    await expect(api.get('/system/info')).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('parses problem+json with field errors and Retry-After', async () => {
    scriptedFetch([
      () =>
        json(
          422,
          { type: 'about:blank', title: 'Invalid', status: 422, detail: 'x', code: 'validation_failed', errors: [{ field: 'username', code: 'already_exists', message: 'taken' }] },
        ),
      () => json(429, { status: 429, code: 'rate_limited', title: 'slow down' }, { 'retry-after': '7' }),
    ]);
    const api = createClient();
    const e1 = (await api.post('/users', { username: 'x' }).catch((e: unknown) => e)) as ApiError;
    expect(e1.fieldError('username')?.code).toBe('already_exists');
    const e2 = (await api.post('/auth/login', {}).catch((e: unknown) => e)) as ApiError;
    expect(e2.code).toBe('rate_limited');
    expect(e2.retryAfter).toBe(7);
  });

  it('returns undefined for 204 responses', async () => {
    scriptedFetch([() => new Response(null, { status: 204 })]);
    const api = createClient();
    await expect(api.post('/auth/password', { current_password: 'a', new_password: 'b' })).resolves.toBeUndefined();
  });
});

describe('refresh across tabs', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('takes the Web Lock so two tabs never present the same refresh cookie at once', async () => {
    const held: string[] = [];
    const request = vi.fn(async (name: string, cb: () => Promise<unknown>) => {
      held.push(name);
      return cb();
    });
    vi.stubGlobal('navigator', { ...navigator, locks: { request } });
    vi.stubGlobal('fetch', vi.fn(async () => token('L1')));
    const api = createClient();
    await expect(api.refresh()).resolves.toBe(true);
    expect(held).toEqual(['thanthien-auth-refresh']);
    api.clear();
  });
});
