import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { deferred } from './deferred';

// The register of visits is loaded when the page opens and again when "show" is pressed. On a
// weak network the first (unfiltered) answer can arrive after the filtered one: it must not be
// drawn over it.

const visitRegister = vi.fn();
vi.mock('../features/petitions/api', async (original) => ({
  ...(await original<typeof import('../features/petitions/api')>()),
  visitRegister: (query: unknown) => visitRegister(query),
}));
const { default: VisitRegister } = await import('../features/petitions/VisitRegister.svelte');

const header = { issuer: 'UBND XÃ BÌNH LƯƠNG', issuer_unit: '', motto_line1: 'CỘNG HÒA', motto_line2: 'Độc lập', place_date: 'Bình Lương' };

function row(id: number, names: string) {
  return {
    number: id,
    session: { id: 1, starts_at: '2026-12-01T07:00:00+07:00', place: 'Trụ sở UBND xã' },
    visit: {
      id,
      at: '2026-12-01T07:30:00+07:00',
      receiver_name: 'Chủ tịch UBND xã',
      citizen_names: names,
      group_size: 1,
      content: 'Hỏi về hỗ trợ giống.',
      classification: 'feedback',
      handling: 'answered',
      forwarded_to: null,
      petition_id: null,
      petition_code: null,
    },
  };
}

const register = (rows: ReturnType<typeof row>[]) => ({ header, from: '2026-09-01', to: '2026-12-01', rows });

describe('the register of visits', () => {
  beforeEach(() => {
    visitRegister.mockReset();
    history.replaceState(null, '', '/reception/visits');
  });

  it('keeps the answer to the filters shown, not a slower answer to the filters before', async () => {
    const first = deferred<ReturnType<typeof register>>();
    const second = deferred<ReturnType<typeof register>>();
    visitRegister.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    render(VisitRegister);

    await fireEvent.input(screen.getByTestId('visit-search'), { target: { value: 'luong van don' } });
    await fireEvent.submit(screen.getByTestId('visit-filters'));
    expect(visitRegister).toHaveBeenCalledTimes(2);
    expect(visitRegister.mock.calls[0][0]).toMatchObject({ q: undefined });
    expect(visitRegister.mock.calls[1][0]).toMatchObject({ q: 'luong van don' });
    expect(location.search).toContain('q=luong+van+don');

    second.resolve(register([row(2, 'Ông Lường Văn Đơn')]));
    await waitFor(() => expect(screen.getByTestId('visit-register').querySelectorAll('tbody tr')).toHaveLength(1));
    first.resolve(register([row(1, 'Bà Hà Thị Sửa'), row(2, 'Ông Lường Văn Đơn'), row(3, 'Ông Đinh Văn Nhầm')]));
    await first.promise;
    // Let every continuation of the late answer run (a task runs after all pending microtasks).
    await new Promise((r) => setTimeout(r, 0));
    const rows = screen.getByTestId('visit-register').querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.getAttribute('data-visit-id'))).toEqual(['2']);
  });

  it('says a failed load with a retry that loads again', async () => {
    visitRegister.mockRejectedValueOnce(new Error('Máy chủ không trả lời.')).mockResolvedValueOnce(register([row(5, 'Bà Lò Thị Năm')]));
    render(VisitRegister);
    await fireEvent.click(await screen.findByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(document.querySelector('tr[data-visit-id="5"]')).not.toBeNull());
    expect(visitRegister).toHaveBeenCalledTimes(2);
  });
});
