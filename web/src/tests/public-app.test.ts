import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import PublicApp from '../features/public/PublicApp.svelte';
import { setPublicLang } from '../features/public/i18n.svelte';
import { citizenLinks, communeOf, pageOf, splitPath, type PublicCommune } from '../features/public/place';

// The citizen entry (public.html): which commune its header names, and the footer that links every
// citizen page.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const BL: PublicCommune = {
  id: 1,
  code: 'binh-luong',
  name: 'Xã Bình Lương',
  authority_name: 'Thanh Hóa',
  people_committee: 'UBND xã Bình Lương',
  onestop_name: 'Bộ phận Một cửa xã Bình Lương',
};
const XS: PublicCommune = { ...BL, id: 2, code: 'xuan-son', name: 'Xã Xuân Sơn', people_committee: 'UBND xã Xuân Sơn' };

/** The server's citizen paths (api/src/http/spa.rs `is_citizen_path`): what it answers with public.html. */
function servedAsCitizenPage(path: string): boolean {
  const parts = path.replace(/\/$/, '').split('/').slice(1);
  if (parts[0] === 'x') return parts.length >= 2 && parts[1] !== '' && (parts.length === 2 || servedAsCitizenPage(`/${parts.slice(2).join('/')}`));
  const [a, b, ...more] = parts;
  if (more.length) return false;
  if (b === undefined) return ['thu-tuc', 'tra-cuu', 'cong-khai', 'phan-anh', 'lich-tiep-cong-dan'].includes(a);
  return ['thu-tuc', 'tra-cuu', 'cong-khai', 'khao-sat'].includes(a);
}

let communes: PublicCommune[] = [BL];
beforeEach(() => {
  communes = [BL];
  localStorage.clear();
  setPublicLang('vi');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url === '/api/v1/public/communes') return json(200, { items: communes });
      if (url.startsWith('/api/v1/public/communes/binh-luong/disclosures')) return json(200, { commune_name: 'Bình Lương', current: [], past: [] });
      if (url.startsWith('/api/v1/public/procedures')) return json(200, { commune_id: 1, commune_name: 'Bình Lương', items: [] });
      return json(404, { status: 404, code: 'not_found', title: 'Not Found', detail: '' });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

describe('the citizen pages’ links', () => {
  const expected = {
    '/tra-cuu': 'lookup',
    '/thu-tuc': 'procedures',
    '/phan-anh': 'feedback',
    '/phan-anh?xem=da-tra-loi': 'feedback',
    '/lich-tiep-cong-dan': 'schedule',
  } as const;

  it('link the lookup, procedures, feedback, answered feedback, the schedule and the disclosures; each opens its page', () => {
    for (const [base, commune] of [['', BL], ['/x/xuan-son', XS], ['', null]] as const) {
      const links = citizenLinks(base, commune);
      const paths = links.map((l) => l.href);
      for (const [p] of Object.entries(expected)) expect(paths).toContain(`${base}${p}`);
      expect(paths).toContain(commune ? `/cong-khai/${commune.code}` : '/cong-khai');
      for (const href of paths) {
        const path = href.split('?')[0];
        expect(servedAsCitizenPage(path), href).toBe(true);
        const page = pageOf(splitPath(path).rest);
        const want = path.includes('/cong-khai') ? 'disclosures' : expected[href.slice(base.length) as keyof typeof expected];
        expect(page, href).toBe(want);
      }
    }
  });

  it('are in the footer of the procedures page, with the commune’s disclosures', async () => {
    history.replaceState(null, '', '/thu-tuc');
    render(PublicApp);
    const nav = await screen.findByTestId('citizen-links');
    await vi.waitFor(() => expect(within(nav).getByText('Công khai thông tin').getAttribute('href')).toBe('/cong-khai/binh-luong'));
    const hrefs = within(nav).getAllByRole('link').map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['/tra-cuu', '/thu-tuc', '/phan-anh', '/phan-anh?xem=da-tra-loi', '/lich-tiep-cong-dan', '/cong-khai/binh-luong']);
    expect(within(nav).getByText('Phản ánh đã được trả lời')).toBeInTheDocument();
    expect(within(nav).getByText('Lịch tiếp công dân')).toBeInTheDocument();
  });
});

describe('the commune the header names', () => {
  it('is the one /cong-khai/{code} names, none when no commune has that code', () => {
    expect(communeOf([BL], null, 'zzz')).toBeNull();
    expect(communeOf([BL, XS], null, 'xuan-son')).toBe(XS);
    expect(communeOf([BL], null, null)).toBe(BL);
    expect(communeOf([BL, XS], null, null)).toBeNull();
    expect(communeOf([BL, XS], '2', null)).toBe(XS);
  });

  it('/cong-khai/zzz: “not found”, and the header names no commune', async () => {
    history.replaceState(null, '', '/cong-khai/zzz');
    render(PublicApp);
    await screen.findByText('Không tìm thấy xã này.');
    const header = document.querySelector('header.topbar');
    expect(header?.textContent).not.toMatch(/Bình Lương/);
    expect(header?.querySelector('.brand-name')?.textContent).toBe('Thân Thiện');
  });

  it('/cong-khai/binh-luong names it', async () => {
    history.replaceState(null, '', '/cong-khai/binh-luong');
    render(PublicApp);
    await vi.waitFor(() => expect(document.querySelector('header .brand-name')?.textContent).toBe('UBND xã Bình Lương'));
  });
});
