import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../lib/api';
import { attachmentUrl, bulkProgress, OfflineError, postReport } from '../features/plans/api';

const user = { id: 5, username: 'thon1', full_name: 'Trưởng thôn 1', role: 'village', commune_id: 1, unit_id: 9 };

/** A stand-in XMLHttpRequest that records what is sent and answers with a scripted response. */
class FakeXhr {
  static sent: Array<{ method: string; url: string; headers: Record<string, string>; form: FormData }> = [];
  static answer: { status: number; body: string; type: string } = { status: 201, body: '{}', type: 'application/json' };
  static fail = false;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  private method = '';
  private url = '';
  private headers: Record<string, string> = {};
  private type = '';
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k.toLowerCase()] = v;
  }
  getResponseHeader(k: string) {
    return k.toLowerCase() === 'content-type' ? this.type : null;
  }
  abort() {
    this.onabort?.();
  }
  send(form: FormData) {
    FakeXhr.sent.push({ method: this.method, url: this.url, headers: this.headers, form });
    queueMicrotask(() => {
      if (FakeXhr.fail) {
        this.onerror?.();
        return;
      }
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
      this.status = FakeXhr.answer.status;
      this.responseText = FakeXhr.answer.body;
      this.type = FakeXhr.answer.type;
      this.onload?.();
    });
  }
}

function setOnline(on: boolean) {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => on });
}

async function signIn() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () =>
      new Response(JSON.stringify({ access_token: 'TOK', token_type: 'Bearer', expires_in: 900, user }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
  await api.login('thon1', 'thanthien-demo');
}

describe('progress report upload', () => {
  beforeEach(async () => {
    FakeXhr.sent = [];
    FakeXhr.fail = false;
    FakeXhr.answer = { status: 201, body: '{}', type: 'application/json' };
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    setOnline(true);
    await signIn();
  });
  afterEach(() => {
    api.clear();
    vi.unstubAllGlobals();
    setOnline(true);
  });

  it('posts text, progress and every file as multipart with the bearer token, reporting progress', async () => {
    const report = { id: 3, task_id: 42, progress: 60, text: 'Đã họp thôn', attachments: [] };
    FakeXhr.answer = { status: 201, body: JSON.stringify(report), type: 'application/json' };
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], 'anh.jpg', { type: 'image/jpeg' });
    const pdf = new File(['%PDF-1.4'], 'bien-ban.pdf', { type: 'application/pdf' });
    const seen: number[] = [];
    const res = await postReport(42, { text: 'Đã họp thôn', progress: 60, files: [photo, pdf] }, (s, t) => seen.push(s / t));
    expect(res).toMatchObject({ id: 3, progress: 60 });
    expect(FakeXhr.sent).toHaveLength(1);
    const call = FakeXhr.sent[0];
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/api/v1/tasks/42/reports');
    expect(call.headers.authorization).toBe('Bearer TOK');
    expect(call.form.get('text')).toBe('Đã họp thôn');
    expect(call.form.get('progress')).toBe('60');
    expect(call.form.getAll('files').map((f) => (f as File).name)).toEqual(['anh.jpg', 'bien-ban.pdf']);
    expect(seen).toEqual([0.5, 1]);
  });

  it("sends the report's client id as its Idempotency-Key, and none without one", async () => {
    await postReport(42, { text: 'x', progress: 10, files: [] }, undefined, undefined, 'rep-7f3a');
    await postReport(42, { text: 'y', progress: 20, files: [] });
    expect(FakeXhr.sent.map((c) => c.headers['idempotency-key'])).toEqual(['rep-7f3a', undefined]);
  });

  it('fails at once, sending nothing, when the phone is offline', async () => {
    setOnline(false);
    await expect(postReport(42, { text: 'x', progress: 10, files: [] })).rejects.toBeInstanceOf(OfflineError);
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('turns a dropped connection into a network error', async () => {
    FakeXhr.fail = true;
    const err = await postReport(42, { text: 'x', progress: 10, files: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('network');
  });

  it('carries the field errors of a rejected report', async () => {
    FakeXhr.answer = {
      status: 422,
      type: 'application/problem+json',
      body: JSON.stringify({ code: 'validation_failed', status: 422, errors: [{ field: 'files', code: 'invalid_value', message: 'not an image' }] }),
    };
    const err = await postReport(42, { text: 'x', progress: 10, files: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).fieldError('files')?.code).toBe('invalid_value');
  });
});

describe('files fetched with the token', () => {
  afterEach(() => {
    api.clear();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('turns an attachment into a blob: URL, sending the bearer token', async () => {
    await signIn();
    const calls: Array<{ url: string; auth: string | null }> = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        calls.push({ url, auth: new Headers(init?.headers).get('authorization') });
        return new Response(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }), { status: 200 });
      }),
    );
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fake/1');
    await expect(attachmentUrl({ id: 77 })).resolves.toBe('blob:fake/1');
    expect(calls).toEqual([{ url: '/api/v1/attachments/77', auth: 'Bearer TOK' }]);
    expect(created).toHaveBeenCalledTimes(1);
  });

  it('reports a bulk CSV rejected row by row as an ApiError with the rows', async () => {
    await signIn();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        new Response(
          JSON.stringify({ code: 'validation_failed', status: 422, errors: [{ field: 'row 3', code: 'invalid_value', message: 'progress 140' }] }),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const err = await bulkProgress(1, new File(['1,done,100,\n'], 'p.csv', { type: 'text/csv' })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).errors).toEqual([{ field: 'row 3', code: 'invalid_value', message: 'progress 140' }]);
  });
});
