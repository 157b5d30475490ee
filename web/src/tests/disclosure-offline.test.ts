import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import * as memory from './memory-db';
import { setLang } from '../i18n/index.svelte';
import { session } from '../lib/session.svelte';
import { offline } from '../lib/offline/state.svelte';
import type { Me } from '../lib/api/types';
import type { Disclosure } from '../features/democracy/types';
import { notice } from './disclosure-fixtures';

// A village head confirms a notice in the village with no signal: the confirmation waits in the
// outbox, and the page never offers to confirm it a second time (after a reload, from another
// notice, once refused).

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const getDisclosure = vi.fn();
vi.mock('../features/democracy/api', async (original) => ({
  ...(await original<typeof import('../features/democracy/api')>()),
  getDisclosure: (id: number | string) => getDisclosure(id),
}));
const box = await import('../lib/offline/outbox');
const { disclosureKey } = await import('../features/democracy/api');
const { default: DisclosurePage } = await import('../features/democracy/Disclosure.svelte');

const ME = 7;
const UNIT = 11;
const village = {
  user: { id: ME, username: 'thon1', full_name: 'Trưởng thôn 1', role: 'village', active: true },
  commune: { id: 3, name: 'Bình Lương' },
  unit: { id: UNIT, name: 'Thôn 1' },
  authority: null,
  permissions: ['relay_disclosures'],
} as unknown as Me;

/** The list kept these notices on the phone while it had a network. */
async function kept(...notices: Disclosure[]) {
  for (const d of notices) await memory.put('reads', { key: disclosureKey(ME, d.id), at: '2026-12-01T08:00:00Z', value: d });
}
const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });
const fetchFn = vi.fn(async (): Promise<Response> => problem(503, {}));

async function confirmHere() {
  await fireEvent.submit(await screen.findByTestId('relay-form'));
  await screen.findByTestId('relay-queued');
}

let online: ReturnType<typeof vi.spyOn>;
beforeAll(async () => {
  // The outbox's back-off timer never sends behind a test's back. (It also holds testing-library's
  // own time-out: a `findBy*` that fails here fails as the test's time-out.)
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('fetch', fetchFn);
  await box.start(() => session.me?.user.id ?? null);
});
beforeEach(() => {
  memory.reset();
  localStorage.clear();
  fetchFn.mockClear();
  getDisclosure.mockReset();
  void setLang('vi');
  session.me = village;
  online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
  offline.online = false;
});
afterEach(() => {
  cleanup();
  online.mockRestore();
  offline.online = true;
  session.me = null;
});

describe('a notice confirmed with no signal', () => {
  it('is not offered again once queued, after a reload', async () => {
    await kept(notice(21));
    render(DisclosurePage, { props: { params: { id: '21' } } });
    await confirmHere();
    expect(screen.queryByTestId('relay-form')).toBeNull();
    expect(screen.getByText('Đã lưu trên điện thoại, sẽ tự gửi khi có mạng.')).toBeInTheDocument();
    expect(offline.queued).toBe(1);
    // Reload (or leave and come back): the outbox still holds it.
    cleanup();
    render(DisclosurePage, { props: { params: { id: '21' } } });
    expect(await screen.findByTestId('relay-queued')).toBeInTheDocument();
    expect(screen.queryByTestId('relay-form')).toBeNull();
    expect(await box.list()).toHaveLength(1);
  });

  it('does not carry "queued" over to the next notice opened from it', async () => {
    await kept(notice(21), notice(22));
    const { rerender } = render(DisclosurePage, { props: { params: { id: '21' } } });
    await confirmHere();
    await rerender({ params: { id: '22' } });
    await waitFor(() => expect(screen.getByTestId('disclosure-title').textContent).toBe('Kế hoạch sử dụng đất 22'));
    expect(await screen.findByTestId('relay-form')).toBeInTheDocument();
    expect(screen.queryByTestId('relay-queued')).toBeNull();
    expect(screen.queryByText('Đã lưu trên điện thoại, sẽ tự gửi khi có mạng.')).toBeNull();
    // Back to the first: still waiting, no form.
    await rerender({ params: { id: '21' } });
    await waitFor(() => expect(screen.getByTestId('disclosure-title').textContent).toBe('Kế hoạch sử dụng đất 21'));
    expect(await screen.findByTestId('relay-queued')).toBeInTheDocument();
    expect(screen.queryByTestId('relay-form')).toBeNull();
  });

  it('does not carry what was done or typed on one notice over to the next', async () => {
    online.mockReturnValue(true);
    offline.online = true;
    getDisclosure.mockImplementation(async (id: string) => notice(Number(id)));
    fetchFn.mockResolvedValueOnce(new Response('{"id":5}', { status: 201, headers: { 'content-type': 'application/json' } }));
    const { rerender } = render(DisclosurePage, { props: { params: { id: '21' } } });
    // Confirmed with the network: the form gives way to the village shown as relayed.
    await fireEvent.submit(await screen.findByTestId('relay-form'));
    expect(await screen.findByText('Đã ghi nhận thông báo tại Thôn 1.')).toBeInTheDocument();
    expect(screen.queryByTestId('relay-form')).toBeNull();
    await rerender({ params: { id: '22' } });
    await waitFor(() => expect(screen.getByTestId('disclosure-title').textContent).toBe('Kế hoạch sử dụng đất 22'));
    expect(await screen.findByTestId('relay-form')).toBeInTheDocument();
    expect(document.querySelector('[data-unit-id="11"]')?.getAttribute('data-state')).toBe('waiting');
    // A refused day and a note typed on 22 do not follow to 23.
    const day = screen.getByLabelText('Ngày thông báo') as HTMLInputElement;
    await fireEvent.input(day, { target: { value: '2020-05-31' } });
    await fireEvent.input(screen.getByLabelText(/Ghi chú/), { target: { value: 'Họp thôn tối thứ Bảy' } });
    await fireEvent.submit(screen.getByTestId('relay-form'));
    expect(await screen.findByText('Ngày thông báo không được trước ngày bắt đầu công khai.')).toBeInTheDocument();
    await rerender({ params: { id: '23' } });
    await waitFor(() => expect(screen.getByTestId('disclosure-title').textContent).toBe('Kế hoạch sử dụng đất 23'));
    expect(screen.queryByText('Ngày thông báo không được trước ngày bắt đầu công khai.')).toBeNull();
    expect((screen.getByLabelText(/Ghi chú/) as HTMLTextAreaElement).value).toBe('');
    expect((screen.getByLabelText('Ngày thông báo') as HTMLInputElement).value).not.toBe('2020-05-31');
  });

  it('refuses a day before the posting starts on the phone, as the server would', async () => {
    await kept(notice(21, '2020-06-01'));
    render(DisclosurePage, { props: { params: { id: '21' } } });
    const day = (await screen.findByLabelText('Ngày thông báo')) as HTMLInputElement;
    expect(day.min).toBe('2020-06-01');
    await fireEvent.input(day, { target: { value: '2020-05-31' } });
    await fireEvent.submit(screen.getByTestId('relay-form'));
    expect(await screen.findByText('Ngày thông báo không được trước ngày bắt đầu công khai.')).toBeInTheDocument();
    expect(await box.list()).toEqual([]);
    // A day after today is refused too.
    await fireEvent.input(day, { target: { value: '2999-01-01' } });
    await fireEvent.submit(screen.getByTestId('relay-form'));
    expect(await screen.findByText('Ngày thông báo không được sau hôm nay.')).toBeInTheDocument();
    expect(await box.list()).toEqual([]);
  });

  it('once refused by the server, says so and links to "Chưa gửi" instead of promising to send it', async () => {
    await kept(notice(21));
    render(DisclosurePage, { props: { params: { id: '21' } } });
    await confirmHere();
    // The network returns; the server refuses it (the posting's start was moved after the day).
    online.mockReturnValue(true);
    fetchFn.mockResolvedValueOnce(
      problem(422, {
        code: 'validation_failed',
        detail: '1 trường chưa hợp lệ.',
        errors: [{ field: 'relayed_on', code: 'invalid_value', message: 'Ngày thông báo không được trước ngày bắt đầu công khai.' }],
      }),
    );
    getDisclosure.mockResolvedValue(notice(21));
    await box.flush(true);
    const refused = await screen.findByTestId('relay-refused');
    expect(refused.textContent).toMatch(/^Máy chủ không nhận xác nhận này: Ngày thông báo không được trước ngày bắt đầu công khai\./);
    expect(refused.querySelector('a')?.getAttribute('href')).toBe('/outbox');
    expect(screen.queryByText(/sẽ tự gửi khi có mạng/)).toBeNull();
    expect(screen.queryByTestId('relay-queued')).toBeNull();
    expect(screen.queryByTestId('relay-form')).toBeNull();
  });

  it('reads the server again when the network returns', async () => {
    await kept(notice(21));
    render(DisclosurePage, { props: { params: { id: '21' } } });
    expect(await screen.findByTestId('synced-at')).toBeInTheDocument();
    online.mockReturnValue(true);
    getDisclosure.mockResolvedValue(notice(21));
    offline.online = true;
    await waitFor(() => expect(screen.queryByTestId('synced-at')).toBeNull());
    expect(getDisclosure).toHaveBeenCalledWith('21');
  });
});
