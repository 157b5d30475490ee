import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import PublicLookup from '../features/public/PublicLookup.svelte';
import { pt, setPublicLang } from '../features/public/i18n.svelte';
import { codeFromLocation, tokenFromLocation } from '../features/onestop/lookup';

// The receipt's QR link carries a random token: the citizen sees the status without typing digits.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

describe('lookup by the link token', () => {
  it('reads code and token from the address', () => {
    expect(codeFromLocation('/tra-cuu/UBND-261126-0007', '?t=abc123')).toBe('UBND-261126-0007');
    expect(tokenFromLocation('?t=abc123')).toBe('abc123');
    expect(tokenFromLocation('')).toBe('');
  });

  it('shows the status at once when the address carries the token', async () => {
    setPublicLang('vi');
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        calls.push(String(input));
        return json(200, {
          code: 'UBND-261126-0007',
          procedure_name: 'Đăng ký khai sinh',
          status: 5,
          status_name: 'Yêu cầu bổ sung giấy tờ',
          received_at: '2026-11-26T08:00:00+07:00',
          due_at: '2026-11-26T17:00:00+07:00',
          returned_at: null,
        });
      }),
    );
    history.replaceState(null, '', '/tra-cuu/UBND-261126-0007?t=0123456789abcdef0123456789abcdef');
    render(PublicLookup, { t: pt });
    expect(await screen.findByText('Yêu cầu bổ sung giấy tờ')).toBeInTheDocument();
    expect(calls).toEqual(['/api/v1/public/dossiers/UBND-261126-0007?t=0123456789abcdef0123456789abcdef']);
  });
});
