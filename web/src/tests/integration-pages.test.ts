import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import ApiKeys from '../features/integration/ApiKeys.svelte';
import Webhooks from '../features/integration/Webhooks.svelte';
import { ipEntries } from '../features/integration/ipAllow';
import { setLang } from '../i18n/index.svelte';
import { formatDateTime } from '../lib/format';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

describe('the API key form', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the allow-list one address a line, blank lines and spaces aside', () => {
    expect(ipEntries('203.0.113.0/24\n\n  10.0.0.0/8 192.168.1.1\r\nabc\n')).toEqual([
      { value: '203.0.113.0/24', line: 1 },
      { value: '10.0.0.0/8', line: 3 },
      { value: '192.168.1.1', line: 3 },
      { value: 'abc', line: 4 },
    ]);
  });

  for (const lang of ['vi', 'en'] as const) {
    const say = {
      vi: {
        line: 'Dòng 4: Không phải địa chỉ IP hay dải mạng (ví dụ 203.0.113.0/24). Dòng 5: Không phải địa chỉ IP hay dải mạng (ví dụ 203.0.113.0/24).',
        other: 'Giá trị không hợp lệ.',
      },
      en: {
        line: 'Line 4: Not an IP address or network (e.g. 203.0.113.0/24). Line 5: Not an IP address or network (e.g. 203.0.113.0/24).',
        other: 'Invalid value.',
      },
    }[lang];

    it(`marks the allow-list when the server refuses a later address, naming its line (${lang})`, async () => {
      await setLang(lang);
      const sent: unknown[] = [];
      vi.stubGlobal(
        'fetch',
        vi.fn(async (input: string, init?: RequestInit) => {
          const path = new URL(input, 'http://localhost').pathname;
          if (path === '/api/v1/api-keys' && init?.method === 'POST') {
            sent.push(JSON.parse(String(init.body)));
            // The server names a bad address by its place in the list it got; and a field the
            // form does not show is still said.
            return json(422, {
              status: 422,
              code: 'validation_failed',
              title: 'Dữ liệu không hợp lệ',
              detail: '',
              errors: [
                { field: 'ip_allow.2', code: 'invalid_format', message: 'Địa chỉ hoặc dải mạng không hợp lệ (ví dụ 203.0.113.0/24).' },
                { field: 'ip_allow.3', code: 'invalid_format', message: 'Địa chỉ hoặc dải mạng không hợp lệ (ví dụ 203.0.113.0/24).' },
                { field: 'owner_code', code: 'invalid_value', message: 'Giá trị không hợp lệ.' },
              ],
            });
          }
          if (path === '/api/v1/api-keys') return json(200, []);
          return json(404, { status: 404, code: 'not_found' });
        }),
      );
      render(ApiKeys);
      await fireEvent.click(await screen.findByTestId('create-key'));
      const form = await screen.findByTestId('key-form');
      await fireEvent.input(form.querySelector('#key-name')!, { target: { value: 'Cổng tỉnh' } });
      await fireEvent.input(form.querySelector('#key-owner')!, { target: { value: 'Sở TT&TT' } });
      const box = form.querySelector<HTMLTextAreaElement>('#key-ip')!;
      await fireEvent.input(box, { target: { value: '203.0.113.0/24\n\n10.0.0.0/8\nkhong-phai-ip\n10.0.0.300' } });
      await fireEvent.submit(form);

      await waitFor(() => expect(document.getElementById('key-ip-error')).not.toBeNull());
      expect(sent).toEqual([expect.objectContaining({ ip_allow: ['203.0.113.0/24', '10.0.0.0/8', 'khong-phai-ip', '10.0.0.300'] })]);
      expect(document.getElementById('key-ip-error')!.textContent).toBe(say.line);
      expect(box).toHaveAttribute('aria-invalid', 'true');
      // The field the form does not show is not lost.
      expect(form.textContent).toContain(`owner_code: ${say.other}`);
    });
  }
});

describe('the key list', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('says a suspended key is refused because of its creator, and why', async () => {
    await setLang('vi');
    const key = {
      id: 4, name: 'Hệ thống huyện', owner: 'Phòng Nội vụ', kind: 'live', prefix: 'tt_live_ab12', scopes: ['read_aggregates'],
      ip_allow: [], rate_per_minute: 600, commune_id: 1, authority_id: null, created_by: 13, created_at: '2026-12-01T01:00:00Z',
      expires_at: null, revoked_at: null, replaced_by: null, last_used_at: null, state: 'suspended', calls_today: 0, calls_30_days: 0,
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) =>
        new URL(input, 'http://localhost').pathname === '/api/v1/api-keys' ? json(200, [key]) : json(404, { status: 404, code: 'not_found' }),
      ),
    );
    render(ApiKeys);
    const row = await screen.findByText('Tạm ngưng');
    expect(row.closest('tr')?.getAttribute('data-key')).toBe('tt_live_ab12');
    expect(screen.getByTestId('key-suspended-why').textContent).toMatch(/Người tạo khóa đã bị khóa, hạ quyền hoặc chuyển đơn vị/);
    // Only an active key is rotated.
    expect(row.closest('tr')?.textContent).not.toMatch(/Đổi khóa/);
  });

  it('says a list the server does not find (404) is a failure with a retry, not "no keys"', async () => {
    await setLang('vi');
    let asked = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => (++asked === 1 ? json(404, { status: 404, code: 'not_found', title: 'Không tìm thấy' }) : json(200, []))),
    );
    render(ApiKeys);
    const retry = await screen.findByRole('button', { name: 'Thử lại' });
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(screen.queryByText('Chưa có khóa nào.')).toBeNull();
    await fireEvent.click(retry);
    expect(await screen.findByText('Chưa có khóa nào.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Thử lại' })).toBeNull();
    expect(asked).toBe(2);
  });
});

describe('the delivery log', () => {
  afterEach(() => vi.unstubAllGlobals());

  const NEXT = '2026-03-02T03:05:00Z';
  const sub = (id: number, active: boolean) => ({
    id,
    api_key_id: 5,
    url: `https://tinh.example.vn/hook/${id}`,
    events: ['dossier.received'],
    active,
    consecutive_failures: active ? 0 : 3,
    created_at: '2026-03-01T00:00:00Z',
    disabled_at: active ? null : '2026-03-02T03:00:00Z',
    disabled_reason: null,
  });
  const delivery = (id: number, status: string) => ({
    id,
    event: 'dossier.received',
    event_id: `ev-${id}`,
    status,
    attempts: 1,
    last_status_code: 500,
    last_error: null,
    created_at: '2026-03-02T03:00:00Z',
    delivered_at: status === 'delivered' ? '2026-03-02T03:00:01Z' : null,
    next_attempt_at: status === 'pending' ? NEXT : null,
    log: [],
  });

  /** Key 5 with `subscriptions`, and each subscription's deliveries from `deliveries`. */
  const stubKey = (subscriptions: unknown[], deliveries: (subscription: number) => unknown[]) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const path = new URL(input, 'http://localhost').pathname.replace('/api/v1', '');
        if (path === '/api-keys/5')
          return json(200, { key: { id: 5, name: 'Cổng tỉnh', owner: 'Sở', prefix: 'tt_live_1a2b', kind: 'live', scopes: ['receive_webhooks'], state: 'active', ip_allow: [], rate_per_minute: 600, calls_today: 0, calls_30_days: 0, created_at: '2026-03-01T00:00:00Z', created_by: 1 } });
        if (path === '/api-keys/5/webhooks') return json(200, subscriptions);
        const log = /^\/webhooks\/(\d+)\/deliveries$/.exec(path);
        if (log) return json(200, deliveries(Number(log[1])));
        return json(404, { status: 404, code: 'not_found' });
      }),
    );

  for (const lang of ['vi', 'en'] as const) {
    const paused = { vi: 'Chờ bật lại đăng ký', en: 'Waiting for the subscription to be turned back on' }[lang];
    const showLog = { vi: 'Nhật ký gửi', en: 'Delivery log' }[lang];

    it(`says a pending delivery of a subscription turned off waits for it, not when it is tried next (${lang})`, async () => {
      await setLang(lang);
      stubKey([sub(11, false), sub(12, true)], () => [delivery(1, 'pending'), delivery(2, 'delivered')]);
      render(Webhooks, { params: { id: '5' } });
      const nextOf = async (subscription: number) => {
        const item = await waitFor(() => {
          const found = document.querySelector<HTMLElement>(`[data-subscription="${subscription}"]`);
          expect(found).not.toBeNull();
          return found!;
        });
        const open = [...item.querySelectorAll('button')].find((b) => b.textContent?.trim() === showLog)!;
        await fireEvent.click(open);
        await waitFor(() => expect(item.querySelectorAll('[data-testid="delivery-next"]')).toHaveLength(2));
        return [...item.querySelectorAll('[data-testid="delivery-next"]')].map((c) => c.textContent);
      };
      // Turned off: nothing will be tried until it is turned back on.
      expect(await nextOf(11)).toEqual([paused, '—']);
      // On: the next try's time.
      expect(await nextOf(12)).toEqual([formatDateTime(NEXT), '—']);
    });

    it(`words the server's reasons in the reader's language (${lang})`, async () => {
      await setLang(lang);
      const say = {
        vi: { off: 'Đã tắt sau 3 lần gửi liên tiếp không thành công (lần cuối: Hết thời gian chờ: máy nhận không trả lời)', errors: ['Hết thời gian chờ: máy nhận không trả lời', 'Không gửi: khóa đã thu hồi, hết hạn hoặc người tạo không còn quyền', 'dns error: x', 'Gửi không thành công, không rõ lý do'] },
        en: { off: 'Turned off after 3 failed deliveries in a row (the last: Timed out: the receiver did not answer)', errors: ['Timed out: the receiver did not answer', 'Not sent: the key was revoked or expired, or its creator lost the right', 'dns error: x', 'Not delivered, for no stated reason'] },
      }[lang];
      const failed = (id: number, error: string) => ({ ...delivery(id, 'failed'), last_status_code: null, last_error: error });
      // The server's reason is the last failure's code.
      stubKey([{ ...sub(11, false), disabled_reason: 'timeout' }], () => [failed(1, 'timeout'), failed(2, 'key_stopped'), failed(3, 'dns error: x'), failed(4, 'unknown')]);
      render(Webhooks, { params: { id: '5' } });
      const reason = await screen.findByTestId('hook-disabled-reason');
      expect(reason.textContent).toContain(say.off);
      const item = document.querySelector<HTMLElement>('[data-subscription="11"]')!;
      await fireEvent.click([...item.querySelectorAll('button')].find((b) => b.textContent?.trim() === showLog)!);
      await waitFor(() => expect(item.querySelectorAll('td.response')).toHaveLength(4));
      expect([...item.querySelectorAll('td.response')].map((c) => c.textContent)).toEqual(say.errors);
    });
  }
});
