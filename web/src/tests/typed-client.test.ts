import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../lib/api/client';
import { typed } from '../lib/api/typed';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('typed calls', () => {
  it('fill the path template, and pass the query, the body and the method', async () => {
    const fetchFn = vi.fn(async () => json(200, { id: 3 }));
    const http = typed(createClient({ base: '/api/v1', fetch: fetchFn as unknown as typeof fetch }));

    await http.get('/plans/{id}/tasks', { path: { id: 3 }, query: { page: 2, status: '' } });
    await http.patch('/tasks/{id}', { path: { id: 7 }, body: { progress: 50 } });
    await http.put('/calendar/overrides/{date}', { path: { date: '2026-09-02' }, body: { kind: 'day_off', name: 'Quốc khánh' } });
    await http.get('/dossiers/{id}/forms/{form}', { path: { id: 12, form: '01' } });

    const calls = fetchFn.mock.calls as unknown as Array<[string, RequestInit]>;
    expect(calls.map(([url, init]) => [init.method, url])).toEqual([
      ['GET', '/api/v1/plans/3/tasks?page=2'],
      ['PATCH', '/api/v1/tasks/7'],
      ['PUT', '/api/v1/calendar/overrides/2026-09-02'],
      ['GET', '/api/v1/dossiers/12/forms/01'],
    ]);
    expect(JSON.parse(String(calls[1][1].body))).toEqual({ progress: 50 });
    expect(JSON.parse(String(calls[2][1].body))).toEqual({ kind: 'day_off', name: 'Quốc khánh' });
  });

  it('encode what they put into a path', async () => {
    const fetchFn = vi.fn(async () => json(200, {}));
    const http = typed(createClient({ base: '/api/v1', fetch: fetchFn as unknown as typeof fetch }));
    await http.get('/procedures/{id}', { path: { id: '1/../2' } });
    expect((fetchFn.mock.calls as unknown as Array<[string]>)[0][0]).toBe('/api/v1/procedures/1%2F..%2F2');
  });

  // The answers' types come from the spec only if every call goes through `http`: the untyped
  // transport methods stay inside lib/api (and the client's own tests).
  it('are the only way features and the shell call the API', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) {
          if (!p.endsWith(join('lib', 'api')) && !p.endsWith('tests')) walk(p);
        } else if (/\.(ts|svelte)$/.test(f) && /\bapi\.(get|post|patch|del|request)\b/.test(readFileSync(p, 'utf8'))) {
          offenders.push(p);
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
