import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { villageHead, withOutbox } from './offline-harness';

// A village head files a villager's petition with no network: a phone the server would refuse is
// said on the page, in the server's words, and nothing is queued.

vi.mock('../lib/offline/db', () => import('./memory-db'));
vi.mock('../lib/api', async (original) => ({
  ...(await original<typeof import('../lib/api')>()),
  api: { hasToken: () => true, bearer: () => 'token', refresh: async () => true },
}));
const box = await import('../lib/offline/outbox');
const { default: PetitionNew } = await import('../features/petitions/PetitionNew.svelte');

const village = villageHead(['receive_petitions']);
const fetchFn = vi.fn(async (): Promise<Response> => new Response('', { status: 503 }));
withOutbox(village, fetchFn);

let online: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
});
afterEach(() => {
  online.mockRestore();
});

describe('a petition received with no network', () => {
  it('refuses a phone the server would refuse, then queues it once written right', async () => {
    render(PetitionNew);
    await fireEvent.input(screen.getByLabelText('Tiêu đề'), { target: { value: 'Đường liên thôn hỏng' } });
    await fireEvent.input(screen.getByLabelText('Nội dung'), { target: { value: 'Đoạn qua Thôn 1 sụt lún sau mưa.' } });
    await fireEvent.input(screen.getByLabelText('Họ tên người gửi'), { target: { value: 'Lò Văn A' } });
    const phone = screen.getByLabelText(/Số điện thoại/);
    await fireEvent.input(phone, { target: { value: '0912 000' } });
    await fireEvent.submit(screen.getByTestId('petition-form'));
    expect(await screen.findByText('Số điện thoại gồm 8–15 chữ số.')).toBeInTheDocument();
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(document.activeElement).toBe(phone);
    expect(await box.list()).toEqual([]);
    expect(screen.queryByTestId('petition-queued')).toBeNull();

    await fireEvent.input(phone, { target: { value: '0912 000 777' } });
    await fireEvent.submit(screen.getByTestId('petition-form'));
    expect(await screen.findByTestId('petition-queued')).toBeInTheDocument();
    const [item] = await box.list();
    expect(item.json).toMatchObject({ phone: '0912 000 777', petitioner_name: 'Lò Văn A', channel: 'village' });
  });

  it('takes back a field\'s message once the field is corrected, not at the next try', async () => {
    render(PetitionNew);
    const subject = screen.getByLabelText('Tiêu đề');
    await fireEvent.input(subject, { target: { value: 'Đư' } });
    await fireEvent.input(screen.getByLabelText('Nội dung'), { target: { value: 'Đoạn qua Thôn 1 sụt lún sau mưa.' } });
    await fireEvent.input(screen.getByLabelText('Họ tên người gửi'), { target: { value: 'Lò Văn A' } });
    await fireEvent.submit(screen.getByTestId('petition-form'));
    expect(await screen.findByText('Tiêu đề cần ít nhất 3 ký tự.')).toBeInTheDocument();
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    await fireEvent.input(subject, { target: { value: 'Đường hỏng' } });
    expect(screen.queryByText('Tiêu đề cần ít nhất 3 ký tự.')).toBeNull();
    expect(subject).not.toHaveAttribute('aria-invalid');
    // Shortened again after the try: said at once.
    await fireEvent.input(subject, { target: { value: 'Đư' } });
    expect(screen.getByText('Tiêu đề cần ít nhất 3 ký tự.')).toBeInTheDocument();
    expect(await box.list()).toEqual([]);

    // The server's own refusal of a field stands until that field changes.
    await fireEvent.input(subject, { target: { value: 'Đường liên thôn hỏng' } });
    online.mockReturnValue(true);
    fetchFn.mockResolvedValueOnce(
      new Response(JSON.stringify({ status: 422, code: 'validation_failed', detail: '1 trường chưa hợp lệ.', errors: [{ field: 'subject', code: 'too_long', message: 'Tối đa 300 ký tự.' }] }), {
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    await fireEvent.submit(screen.getByTestId('petition-form'));
    await vi.waitFor(() => expect(subject).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByTestId('petition-error')).toHaveTextContent('Vui lòng kiểm tra lại các ô được đánh dấu.');
    await fireEvent.input(screen.getByLabelText('Nội dung'), { target: { value: 'Đoạn qua Thôn 1 sụt lún sau mưa lớn.' } });
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('petition-error')).toBeInTheDocument();
    await fireEvent.input(subject, { target: { value: 'Đường liên thôn hỏng nặng' } });
    expect(subject).not.toHaveAttribute('aria-invalid');
    // Every field it named corrected, the refusal's line over the button goes too.
    expect(screen.queryByTestId('petition-error')).toBeNull();
  });

  it('once refused by the server, says so and links to "Chưa gửi"; once sent, says so', async () => {
    render(PetitionNew);
    await fireEvent.input(screen.getByLabelText('Tiêu đề'), { target: { value: 'Đèn đường không sáng' } });
    await fireEvent.input(screen.getByLabelText('Nội dung'), { target: { value: 'Đèn ở ngã ba thôn 3 tắt một tuần.' } });
    await fireEvent.input(screen.getByLabelText('Họ tên người gửi'), { target: { value: 'Lò Văn Sáng' } });
    await fireEvent.submit(screen.getByTestId('petition-form'));
    expect(await screen.findByText('Chưa có mạng: đơn đã lưu trên điện thoại và sẽ tự gửi khi có mạng.')).toBeInTheDocument();
    online.mockReturnValue(true);
    fetchFn.mockResolvedValueOnce(
      new Response(JSON.stringify({ status: 422, code: 'validation_failed', detail: '1 trường chưa hợp lệ.', errors: [{ field: 'subject', code: 'too_long', message: 'Tối đa 300 ký tự.' }] }), {
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    await box.flush(true);
    const refused = await screen.findByTestId('petition-refused');
    expect(refused.textContent).toMatch(/^Máy chủ không nhận đơn này: Tối đa 300 ký tự\./);
    expect(refused.querySelector('a')?.getAttribute('href')).toBe('/outbox');
    expect(screen.queryByText(/sẽ tự gửi khi có mạng/)).toBeNull();
    // Sent again by hand, and taken: the page says it reached the server.
    fetchFn.mockResolvedValueOnce(new Response('{"code":"DT-261201-0001"}', { status: 201, headers: { 'content-type': 'application/json' } }));
    await box.flush(true, true);
    expect(await screen.findByText('Đơn đã được gửi lên máy chủ.')).toBeInTheDocument();
  });
});
