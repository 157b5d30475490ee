import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import AdminAudit from '../features/audit/AdminAudit.svelte';
import { setLang } from '../i18n/index.svelte';
import { route } from '../lib/router/router.svelte';

const entry = (id: number, summary: unknown, action = 'create', entity = 'task') => ({
  id,
  chain_id: 1,
  lane: 0,
  seq: id,
  at: '2026-03-02T03:00:00Z',
  user_id: 4,
  username: 'bdh',
  role: 'board',
  action,
  entity,
  entity_id: String(id),
  summary,
  request_id: null,
  ip: '127.0.0.1',
});

// 28 entries: one page of 50. Page 2 is past the end.
const ENTRIES = [
  entry(2, { lead_unit_id: 3, supporting_unit_ids: [12, 13] }),
  entry(1, { code: 'D1', from: 'received', to: 'accepted', handler_id: [null, 4] }, 'assign', 'petition'),
];
let asked: number[] = [];

function stubApi() {
  asked = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      const path = url.pathname.replace('/api/v1', '');
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      if (path === '/audit') {
        const page = Number(url.searchParams.get('page') ?? 1);
        asked.push(page);
        return json({ items: page === 1 ? ENTRIES : [], total: 28, page, per_page: 50 });
      }
      if (path === '/audit/facets') return json({ actions: ['assign', 'create', 'enable'], entities: ['petition', 'task', 'survey_response'], users: [{ id: 4, username: 'bdh' }] });
      if (path === '/units') return json({ items: [{ id: 3, name: 'Hội Phụ nữ' }, { id: 12, name: 'Thôn 1' }, { id: 13, name: 'Thôn 2' }], total: 3 });
      return new Response(JSON.stringify({ code: 'not_found' }), { status: 404, headers: { 'content-type': 'application/json' } });
    }),
  );
}

function at(path: string) {
  history.replaceState(null, '', path);
  route.path = location.pathname;
  route.search = location.search;
}

describe('the audit log page', () => {
  beforeEach(() => stubApi());
  afterEach(() => vi.unstubAllGlobals());

  for (const lang of ['vi', 'en'] as const) {
    const say = {
      vi: { notice: 'Trang 2 không còn: đang xem trang cuối (1).', units: 'Đơn vị chủ trì: Hội Phụ nữ, Đơn vị phối hợp: Thôn 1, Thôn 2', user: 'Người xử lý: – → bdh', enable: 'Bật lại' },
      en: { notice: 'Page 2 no longer exists: showing the last page (1).', units: 'Lead unit: Hội Phụ nữ, Supporting units: Thôn 1, Thôn 2', user: 'Handler: – → bdh', enable: 'Re-enable' },
    }[lang];

    it(`goes back to the last page there is, and says so (${lang})`, async () => {
      await setLang(lang);
      at('/admin/audit?user_id=4&page=2');
      render(AdminAudit);
      expect((await screen.findByTestId('audit-past-end')).textContent).toBe(say.notice);
      await waitFor(() => expect(screen.getByTestId('audit-table').querySelectorAll('tbody tr').length).toBe(2));
      expect(asked).toEqual([2, 1]);
      // Units and people by name, from the units list and the log's users.
      await waitFor(() => expect(screen.getByTestId('audit-table').textContent).toContain(say.units));
      expect(screen.getByTestId('audit-table').textContent).toContain(say.user);
      // Every action and kind of record in the filters has a name.
      expect([...document.querySelectorAll('#audit-action option')].map((o) => o.textContent)).toContain(say.enable);
      expect([...document.querySelectorAll('#audit-entity option')].map((o) => o.textContent).some((t) => /_/.test(t ?? ''))).toBe(false);
    });

    it(`says a refused date range on a line of its own, so the fields stay in one row (${lang})`, async () => {
      await setLang(lang);
      at('/admin/audit');
      render(AdminAudit);
      await screen.findByTestId('audit-table');
      await fireEvent.input(document.querySelector('#audit-from') as HTMLInputElement, { target: { value: '2025-03-10' } });
      await fireEvent.input(document.querySelector('#audit-to') as HTMLInputElement, { target: { value: '2025-03-01' } });
      await fireEvent.submit(document.querySelector('form[role="search"]') as HTMLFormElement);
      const error = await waitFor(() => document.querySelector('#audit-to-error') as HTMLElement);
      // Not inside the "to" field (a taller field would push its input up), but a row of the form.
      expect(error.parentElement?.tagName).toBe('FORM');
      expect(error.closest('.field')).toBeNull();
      expect(document.querySelector('#audit-to')?.getAttribute('aria-describedby')).toBe('audit-to-error');
    });
  }
});
