import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import LookupLock from '../features/onestop/LookupLock.svelte';

// The desk sees a locked public lookup on the dossier and lifts the lock.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('lookup lock on the dossier', () => {
  it('shows the lock and lifts it', async () => {
    document.documentElement.lang = 'vi';
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
        const locked = (init?.method ?? 'GET') === 'GET';
        return json(200, {
          code: 'UBND-261126-0007',
          locked,
          locked_until: locked ? '2026-11-26T10:00:00+07:00' : null,
          failures_last_hour: locked ? 10 : 0,
          failures_last_day: locked ? 10 : 0,
        });
      }),
    );
    render(LookupLock, { id: 7 });
    expect(await screen.findByTestId('lookup-lock')).toHaveTextContent('26/11/2026 10:00');
    expect(screen.getByTestId('lookup-lock')).toHaveTextContent('10 lần');
    await fireEvent.click(screen.getByRole('button', { name: 'Mở khóa tra cứu' }));
    await waitFor(() => expect(screen.queryByTestId('lookup-lock')).toBeNull());
    expect(calls).toEqual(['GET /api/v1/dossiers/7/lookup-lock', 'DELETE /api/v1/dossiers/7/lookup-lock']);
  });
});
