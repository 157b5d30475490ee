// Calls that the JSON client cannot make: files fetched as blobs (exports, attachments) and
// uploads that report their progress. Both carry the in-memory bearer token themselves.
import { api } from './index';
import { ApiError, buildQuery, parseError, type Query } from './client';

const BASE = '/api/v1';

/** fetch with the bearer token, one refresh on 401, problem+json turned into ApiError. */
export async function authedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const go = () => {
    const headers = new Headers(init.headers);
    const tok = api.bearer();
    if (tok) headers.set('Authorization', `Bearer ${tok}`);
    return fetch(BASE + path, { ...init, headers, credentials: 'same-origin' });
  };
  let res: Response;
  try {
    res = await go();
    if (res.status === 401 && (await api.refresh())) res = await go();
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return res;
}

/**
 * The file name of a Content-Disposition header (RFC 6266: `filename*=UTF-8''…` first, then
 * `filename="…"`), or null.
 */
export function dispositionFileName(header: string | null | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return name || null;
}

/**
 * Saves a file the API produces (an export): fetched with the token, then handed to the browser
 * through a blob: link. The server's file name wins over `fallbackName`.
 */
export async function downloadFile(path: string, fallbackName: string, query?: Query): Promise<void> {
  const res = await authedFetch(path + buildQuery(query));
  const name = dispositionFileName(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface UploadHooks {
  /** Bytes sent so far, of `total` (only when the browser knows the length). */
  onProgress?: (sent: number, total: number) => void;
  /** The whole body has been sent; the server is working on it. */
  onSent?: () => void;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: the same write sent again returns the first answer. */
  idempotencyKey?: string;
}

interface RawAnswer {
  status: number;
  body: string;
  type: string;
  retryAfter: string | null;
}

function xhrPost(path: string, form: FormData, hooks: UploadHooks): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('Accept', 'application/json');
    const tok = api.bearer();
    if (tok) xhr.setRequestHeader('Authorization', `Bearer ${tok}`);
    if (hooks.idempotencyKey) xhr.setRequestHeader('Idempotency-Key', hooks.idempotencyKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) hooks.onProgress?.(e.loaded, e.total);
    };
    xhr.upload.onload = () => hooks.onSent?.();
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        body: xhr.responseText,
        type: xhr.getResponseHeader('content-type') ?? '',
        retryAfter: xhr.getResponseHeader('retry-after'),
      });
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.ontimeout = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    hooks.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/**
 * Posts a multipart form with upload progress (which fetch cannot report); the JSON answer on
 * 2xx, else the problem+json as ApiError. One refresh and resend on 401.
 */
export async function uploadForm<T>(path: string, form: FormData, hooks: UploadHooks = {}): Promise<T> {
  let res = await xhrPost(path, form, hooks);
  if (res.status === 401 && (await api.refresh())) res = await xhrPost(path, form, hooks);
  if (res.status >= 200 && res.status < 300) return JSON.parse(res.body || 'null') as T;
  const headers = new Headers({ 'content-type': res.type });
  if (res.retryAfter) headers.set('retry-after', res.retryAfter);
  throw await parseError(new Response(res.body || null, { status: res.status, headers }));
}
