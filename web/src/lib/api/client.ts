import type { FieldError, MfaChallengeResponse, Problem, TokenResponse, TokenUser } from './types';

/** The error codes the server documents; anything else is still carried as a string. */
export const ERROR_CODES = [
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'malformed_body',
  'validation_failed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'service_unavailable',
  'storage_full',
  'request_timeout',
  'internal_error',
  'uploads_busy',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Raised for every failed call: problem+json from the server, or `network` when fetch itself failed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Seconds from a Retry-After header (429, 503), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    title?: string;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.detail || init.title || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The first field error for `field`, if any. */
  fieldError(field: string): FieldError | undefined {
    return this.errors.find((e) => e.field === field);
  }
}

/** When a body is not problem+json (a proxy's HTML page, say), the status still says what happened. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'malformed_body';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 408:
      return 'request_timeout';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'validation_failed';
    case 429:
      return 'rate_limited';
    case 502:
    case 503:
    case 504:
      return 'service_unavailable';
    case 507:
      return 'storage_full';
    default:
      return status >= 500 ? 'internal_error' : `http_${status}`;
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const secs = Number(value.trim());
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export async function parseError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      problem = (await res.json()) as Problem;
    } catch {
      problem = {};
    }
  }
  return new ApiError({
    status: res.status,
    code: typeof problem.code === 'string' && problem.code ? problem.code : codeForStatus(res.status),
    title: problem.title,
    detail: problem.detail,
    errors: Array.isArray(problem.errors) ? problem.errors : [],
    retryAfter: parseRetryAfter(res.headers.get('retry-after')),
  });
}

const REFRESH_LOCK = 'thanthien-auth-refresh';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: the same key again gets the first answer, creates nothing. */
  idempotencyKey?: string;
}

export interface ClientOptions {
  /** Prefix of every path; '/api/v1' in the app. */
  base?: string;
  /** Defaults to the global fetch, looked up at call time so tests can stub it. */
  fetch?: typeof fetch;
  /** Refresh this many seconds before the access token expires. */
  refreshLeadSeconds?: number;
}

export type SessionListener = (user: TokenUser | null, reason: 'login' | 'refresh' | 'logout' | 'expired') => void;

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * Thrown by `login` when the password was right but the account needs a second step (MFA):
 * no session yet, only the challenge to answer with a code (`features/auth`).
 */
export class MfaRequired extends Error {
  readonly challenge: MfaChallengeResponse;
  constructor(challenge: MfaChallengeResponse) {
    super('mfa_required');
    this.name = 'MfaRequired';
    this.challenge = challenge;
  }
}

export interface ApiClient {
  get<T>(path: string, opts?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  del<T>(path: string, opts?: RequestOptions): Promise<T>;
  request<T>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  /** Signs in; throws `MfaRequired` when a second step is needed. */
  login(username: string, password: string): Promise<TokenResponse>;
  /** Takes the tokens of a sign-in finished elsewhere (the MFA step) as the session. */
  adopt(tok: TokenResponse): void;
  /** Exchanges the HttpOnly refresh cookie for a new access token; false when there is no session. */
  refresh(): Promise<boolean>;
  /** The last refresh failed for want of a network (not because the session is over). */
  offline(): boolean;
  logout(): Promise<void>;
  /** Drops the in-memory token without calling the server. */
  clear(): void;
  hasToken(): boolean;
  /**
   * The current access token, for the few calls `request` cannot make: uploads that report their
   * progress (XMLHttpRequest) and files fetched as blobs. Never store it.
   */
  bearer(): string | null;
  onSession(listener: SessionListener): () => void;
}

/**
 * The fetch wrapper. The access token lives only in this closure (never in storage); the refresh
 * token is an HttpOnly cookie the browser sends to /api/v1/auth on its own.
 */
export function createClient(options: ClientOptions = {}): ApiClient {
  const base = options.base ?? '/api/v1';
  const lead = options.refreshLeadSeconds ?? 60;
  const doFetch: typeof fetch = (input, init) => (options.fetch ?? globalThis.fetch)(input, init);

  let accessToken: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlightRefresh: Promise<boolean> | null = null;
  let lastRefreshOffline = false;
  const listeners = new Set<SessionListener>();

  function emit(user: TokenUser | null, reason: Parameters<SessionListener>[1]) {
    for (const l of listeners) l(user, reason);
  }

  function stopTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function applyToken(tok: TokenResponse) {
    accessToken = tok.access_token;
    stopTimer();
    const seconds = Math.max(5, (Number(tok.expires_in) || 0) - lead);
    timer = setTimeout(() => {
      timer = null;
      void refresh();
    }, seconds * 1000);
  }

  function dropSession(reason: 'logout' | 'expired') {
    const had = accessToken !== null;
    accessToken = null;
    stopTimer();
    if (had || reason === 'logout') emit(null, reason);
  }

  async function send(method: string, path: string, opts: RequestOptions, withAuth: boolean): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (withAuth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    try {
      return await doFetch(base + path + buildQuery(opts.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
    }
  }

  async function decode<T>(res: Response): Promise<T> {
    if (res.status === 204 || res.status === 205) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function doRefresh(): Promise<boolean> {
    let res: Response;
    try {
      // The server rotates the refresh cookie and treats a token presented twice as stolen (it
      // ends the session). Tabs share the cookie, so their refreshes take turns under a Web Lock;
      // each then sends the cookie the previous one received.
      const locks = globalThis.navigator?.locks;
      const call = () => send('POST', '/auth/refresh', {}, false);
      res = locks ? await locks.request(REFRESH_LOCK, call) : await call();
      lastRefreshOffline = false;
    } catch {
      lastRefreshOffline = true;
      // Offline: keep what we have and try again a little later instead of signing out.
      if (accessToken !== null && timer === null) {
        timer = setTimeout(() => {
          timer = null;
          void refresh();
        }, 30_000);
      }
      return false;
    }
    if (res.status >= 500) {
      // The server (or a proxy in front of it) is down: not a verdict on the session.
      lastRefreshOffline = true;
      return false;
    }
    if (!res.ok) {
      dropSession('expired');
      return false;
    }
    const tok = await decode<TokenResponse>(res);
    applyToken(tok);
    emit(tok.user, 'refresh');
    return true;
  }

  function refresh(): Promise<boolean> {
    // Concurrent 401s share one refresh: the server rotates the cookie, so two would race.
    inFlightRefresh ??= doRefresh().finally(() => {
      inFlightRefresh = null;
    });
    return inFlightRefresh;
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await send(method, path, opts, true);
    if (res.ok) return decode<T>(res);
    const err = await parseError(res);
    const isAuthCall = ['/auth/login', '/auth/refresh', '/auth/mfa/verify', '/auth/mfa/enrol'].some((p) => path.startsWith(p));
    if (res.status === 401 && err.code === 'unauthenticated' && !isAuthCall) {
      if (await refresh()) {
        const again = await send(method, path, opts, true);
        if (again.ok) return decode<T>(again);
        const err2 = await parseError(again);
        if (again.status === 401 && err2.code === 'unauthenticated') dropSession('expired');
        throw err2;
      }
      dropSession('expired');
    }
    throw err;
  }

  async function login(username: string, password: string): Promise<TokenResponse> {
    const res = await send('POST', '/auth/login', { body: { username, password } }, false);
    if (!res.ok) throw await parseError(res);
    if (res.status === 202) throw new MfaRequired(await decode<MfaChallengeResponse>(res));
    const tok = await decode<TokenResponse>(res);
    adopt(tok);
    return tok;
  }

  function adopt(tok: TokenResponse) {
    applyToken(tok);
    emit(tok.user, 'login');
  }

  async function logout(): Promise<void> {
    try {
      const res = await send('POST', '/auth/logout', {}, true);
      // The body of a failed logout does not matter: the local session ends either way.
      if (!res.ok) await res.text().catch(() => '');
    } catch {
      // Offline: forget the token anyway; the server session expires on its own.
    }
    dropSession('logout');
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
    login,
    adopt,
    refresh,
    logout,
    clear: () => {
      accessToken = null;
      stopTimer();
    },
    hasToken: () => accessToken !== null,
    offline: () => lastRefreshOffline,
    bearer: () => accessToken,
    onSession(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
