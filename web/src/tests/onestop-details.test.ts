// The editor of what a procedure's citizen page shows: its lines, and the dialog against a stubbed
// API (prefill from what is stored, save, the server's field errors, an inactive procedure).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import Procedures from '../features/onestop/Procedures.svelte';
import { citizenPath, detailsBody, detailsForm, linesOf } from '../features/onestop/details';
import type { Procedure, PublicProcedureDetail } from '../features/onestop/types';
import { vi as viOnestop } from '../features/onestop/i18n/vi';
import { en as enOnestop } from '../features/onestop/i18n/en';
import { setLang } from '../i18n/index.svelte';
import { session } from '../lib/session.svelte';
import type { Me } from '../lib/api/types';

const commune = {
  id: 3,
  code: 'binh-luong',
  name: 'Xã Bình Lương',
  authority_name: 'Tỉnh Thanh Hóa',
  onestop_name: 'Bộ phận Một cửa',
  people_committee: 'UBND xã Bình Lương',
};

const detail = (over: Partial<PublicProcedureDetail> = {}): PublicProcedureDetail => ({
  code: '2.000815',
  name: 'Chứng thực bản sao từ bản chính',
  field: 'Chứng thực',
  limit_amount: 0,
  limit_unit: 'same_day',
  online_level: 'partial',
  online_payment: false,
  result_kind: 'paper',
  documents: ['Bản chính giấy tờ cần chứng thực', 'Bản sao cần chứng thực'],
  steps: ['Xuất trình bản chính', 'Nhận bản sao đã chứng thực'],
  where_to_submit: 'Bộ phận Một cửa, UBND xã Bình Lương — Quầy chứng thực, tầng 1',
  commune,
  ...over,
});

/** What GET /procedures/7/details answers: the place alone, not the page's sentence. */
const stored = {
  documents: ['Bản chính giấy tờ cần chứng thực', 'Bản sao cần chứng thực'],
  steps: ['Xuất trình bản chính', 'Nhận bản sao đã chứng thực'],
  place: 'Quầy chứng thực, tầng 1',
};

describe('citizen page content: lines and place', () => {
  it('keeps one line per document or step, without blanks, bullets or typed numbers', () => {
    expect(linesOf('  Tờ khai \n\n- Giấy chứng sinh\r\n• CCCD (xuất trình)\n2) Ảnh 4x6\n   \n')).toEqual([
      'Tờ khai',
      'Giấy chứng sinh',
      'CCCD (xuất trình)',
      'Ảnh 4x6',
    ]);
    // A code or a count at the start is content, not a list mark.
    expect(linesOf('1.001193 đã liên thông\n02 ảnh 4x6\n3. Nộp lệ phí')).toEqual(['1.001193 đã liên thông', '02 ảnh 4x6', 'Nộp lệ phí']);
    // Decomposed Vietnamese (some keyboards) is stored composed.
    expect(linesOf('Giấy khai sinh'.normalize('NFD'))).toEqual(['Giấy khai sinh']);
    expect(linesOf('')).toEqual([]);
  });

  it('fills the form from what is stored, one line per item', () => {
    expect(detailsForm(stored)).toEqual({
      documents: 'Bản chính giấy tờ cần chứng thực\nBản sao cần chứng thực',
      steps: 'Xuất trình bản chính\nNhận bản sao đã chứng thực',
      place: 'Quầy chứng thực, tầng 1',
    });
    expect(detailsForm({ documents: [], steps: [], place: null })).toEqual({ documents: '', steps: '', place: '' });
  });

  it('sends lists and a place, or null for no place', () => {
    expect(detailsBody({ documents: 'A\n\nB', steps: '', place: '  Quầy  2 ' })).toEqual({ documents: ['A', 'B'], steps: [], place: 'Quầy 2' });
    expect(detailsBody(detailsForm(null))).toEqual({ documents: [], steps: [], place: null });
  });

  it('links the citizen page of the commune', () => {
    expect(citizenPath(commune, '2.000815')).toBe('/x/binh-luong/thu-tuc/2.000815');
  });

  it('has every message in both languages', () => {
    const keys = Object.keys(viOnestop).filter((k) => k.startsWith('procedures.details_'));
    expect(keys.length).toBeGreaterThanOrEqual(10);
    for (const k of [...keys, 'field.invalid_value.documents', 'field.invalid_value.steps', 'field.invalid_value.place']) {
      expect(enOnestop[k as keyof typeof enOnestop]).toBeTruthy();
    }
  });
});

const procedure = { id: 7, code: '2.000815', name: 'Chứng thực bản sao từ bản chính', active: true } as Procedure;
const inactive = { ...procedure, id: 8, code: '1.000001', active: false };
/** What the procedure list answers. */
let listed: Procedure[] = [];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The procedures screen, its editor opened on the first procedure listed. */
async function openEditor() {
  render(Procedures);
  const buttons = await screen.findAllByTestId('details-open');
  // Every procedure has the action, an inactive one too (its content shows once it is in use).
  expect(buttons).toHaveLength(listed.length);
  await fireEvent.click(buttons[0]);
}

describe('citizen page content: the dialog', () => {
  let puts: unknown[] = [];
  let answer: (body: { documents: string[]; steps: string[]; place: string | null }) => Response;

  beforeEach(() => {
    setLang('vi');
    puts = [];
    listed = [procedure, inactive];
    answer = (body) => json(body);
    session.me = { user: { id: 1, role: 'ubnd' }, commune: { id: 3 }, permissions: ['manage_procedures'] } as unknown as Me;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string, init: RequestInit = {}) => {
        const url = new URL(input, 'http://localhost');
        if (url.pathname === '/api/v1/procedures') return json({ items: listed, total: listed.length });
        if (url.pathname === '/api/v1/public/procedures/2.000815' && url.searchParams.get('commune_id') === '3') return json(detail());
        if (url.pathname === '/api/v1/procedures/7/details' && (init.method ?? 'GET') === 'GET') return json(stored);
        if (url.pathname === '/api/v1/procedures/8/details' && (init.method ?? 'GET') === 'GET') return json({ documents: ['Tờ khai'], steps: [], place: null });
        if (url.pathname === '/api/v1/procedures/7/details' && init.method === 'PUT') {
          const body = JSON.parse(String(init.body));
          puts.push(body);
          return answer(body);
        }
        return json({ code: 'not_found' }, 404);
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    session.me = null;
  });

  it('opens with the stored content, saves the lines and links the page', async () => {
    await openEditor();
    const documents = (await screen.findByLabelText('Giấy tờ cần mang')) as HTMLTextAreaElement;
    expect(documents.value).toBe('Bản chính giấy tờ cần chứng thực\nBản sao cần chứng thực');
    const place = screen.getByLabelText(/Nơi nộp cụ thể/) as HTMLInputElement;
    expect(place.value).toBe('Quầy chứng thực, tầng 1');
    expect(screen.getByText(/Mỗi dòng một giấy tờ/)).toBeInTheDocument();

    await fireEvent.input(documents, { target: { value: 'Bản chính\n\n- Bản sao\n' } });
    await fireEvent.input(place, { target: { value: 'Quầy số 3' } });
    await fireEvent.submit(screen.getByTestId('details-form'));
    await screen.findByTestId('details-saved');
    expect(puts).toEqual([{ documents: ['Bản chính', 'Bản sao'], steps: ['Xuất trình bản chính', 'Nhận bản sao đã chứng thực'], place: 'Quầy số 3' }]);
    // The form shows what was stored.
    expect(documents.value).toBe('Bản chính\nBản sao');
    expect(screen.getByTestId('details-citizen-link').getAttribute('href')).toBe('/x/binh-luong/thu-tuc/2.000815');
    // Saved: the dialog's first button closes rather than cancels.
    expect(within(screen.getByTestId('details-form')).getByRole('button', { name: 'Đóng' })).toBeInTheDocument();
  });

  it('shows the server’s refusal next to the field', async () => {
    answer = () =>
      json(
        { type: 'about:blank', title: 'Invalid', status: 422, code: 'validation_failed', detail: 'x', errors: [{ field: 'place', code: 'invalid_value', message: '' }] },
        422,
      );
    await openEditor();
    const place = (await screen.findByLabelText(/Nơi nộp cụ thể/)) as HTMLInputElement;
    await fireEvent.input(place, { target: { value: 'x'.repeat(301) } });
    await fireEvent.submit(screen.getByTestId('details-form'));
    await waitFor(() => expect(place.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('d-place-error')?.textContent).toBe(viOnestop['field.invalid_value.place']);
    expect(screen.queryByTestId('details-saved')).toBeNull();
  });

  it('is not offered to a role that may not manage procedures', async () => {
    session.me = { ...session.me, permissions: ['read_dossiers'] } as Me;
    render(Procedures);
    await screen.findAllByRole('button', { name: /^Sửa/ });
    expect(screen.queryByTestId('details-open')).toBeNull();
  });

  it('edits an inactive procedure’s content without a link to a page it does not have', async () => {
    listed = [inactive];
    await openEditor();
    const documents = (await screen.findByLabelText('Giấy tờ cần mang')) as HTMLTextAreaElement;
    expect(documents.value).toBe('Tờ khai');
    expect(screen.getByText(/đang ngừng áp dụng/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Lưu' })).not.toBeDisabled();
  });

  it('does not offer to save what it could not read', async () => {
    listed = [{ ...procedure, id: 9, code: '9.999999' }];
    await openEditor();
    await screen.findByRole('button', { name: 'Thử lại' });
    expect(screen.getByRole('button', { name: 'Lưu' })).toBeDisabled();
    expect(screen.queryByLabelText('Giấy tờ cần mang')).toBeNull();
  });
});
