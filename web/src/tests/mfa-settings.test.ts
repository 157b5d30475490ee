import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import MfaSettings from '../features/auth/MfaSettings.svelte';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import { vi as viDict } from '../i18n/all';
import type { Me } from '../lib/api/types';

// The account page's two-factor card: what it loads, what a failed load says, and that after a
// change it shows what the server then holds.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const me = (permissions: string[]): Me =>
  ({
    user: { id: 2, username: 'admin', full_name: 'Quản trị', role: 'admin', active: true },
    commune: { id: 1, name: 'Bình Lương', authority_id: 1, authority_name: 'Tỉnh', timezone: 'Asia/Ho_Chi_Minh', kind: 'xa' },
    authority: null,
    permissions,
  }) as unknown as Me;

let server: { enabled: boolean; required: boolean; statusFails: number };
let calls: string[];

beforeEach(() => {
  setLang('vi');
  server = { enabled: false, required: false, statusFails: 0 };
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const path = new URL(input, 'http://localhost').pathname.replace('/api/v1', '');
      const method = init.method ?? 'GET';
      calls.push(`${method} ${path}`);
      if (method === 'GET' && path === '/auth/mfa') {
        if (server.statusFails > 0) {
          server.statusFails--;
          return json(503, { code: 'unavailable', title: 'Máy chủ bận', status: 503 });
        }
        return json(200, { available: true, enabled: server.enabled, required: server.required, recovery_codes_left: server.enabled ? 10 : 0 });
      }
      if (path === '/auth/mfa/policy') {
        if (method === 'PUT') server.required = (JSON.parse(String(init.body)) as { mfa_required: boolean }).mfa_required;
        return json(200, { mfa_required: server.required });
      }
      return json(404, { code: 'not_found', title: 'x', status: 404 });
    }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  session.me = null;
});

describe('two-factor settings', () => {
  it('says a failed load with a retry that loads the state', async () => {
    session.me = me([]);
    server.statusFails = 1;
    render(MfaSettings);
    await fireEvent.click(await screen.findByRole('button', { name: viDict['common.retry'] }));
    expect(await screen.findByText(viDict['mfa.off'])).toBeTruthy();
    expect(screen.queryByRole('button', { name: viDict['common.retry'] })).toBeNull();
    // Not allowed to change the commune's rule: its policy is not asked for.
    expect(calls).toEqual(['GET /auth/mfa', 'GET /auth/mfa']);
  });

  it("shows the account as the server holds it after the commune's rule changes", async () => {
    session.me = me(['manage_settings']);
    render(MfaSettings);
    expect(await screen.findByText(viDict['mfa.off'])).toBeTruthy();
    const rule = screen.getByRole('checkbox') as HTMLInputElement;
    expect(rule.checked).toBe(false);
    await fireEvent.click(rule);
    expect(await screen.findByText(viDict['mfa.required_off'])).toBeTruthy();
    await waitFor(() => expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(true));
    expect(calls).toEqual(['GET /auth/mfa', 'GET /auth/mfa/policy', 'PUT /auth/mfa/policy', 'GET /auth/mfa', 'GET /auth/mfa/policy']);
  });
});
