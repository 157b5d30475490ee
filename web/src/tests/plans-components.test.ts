import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ReportForm from '../features/plans/ReportForm.svelte';
import Gantt from '../features/plans/Gantt.svelte';
import ProgressBar from '../features/plans/ProgressBar.svelte';
import { setLang } from '../i18n/index.svelte';
import { vi as viDict } from '../i18n/all';

function setOnline(on: boolean) {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => on });
}

describe('report form', () => {
  beforeEach(() => {
    void setLang('vi');
  });
  afterEach(() => setOnline(true));

  it('says "required" until something is typed, beside the button, not after the next try', async () => {
    const { container } = render(ReportForm, { taskId: 5, progress: 20, onsaved: () => {} });
    const text = screen.getByLabelText(viDict['plans.report_text']) as HTMLTextAreaElement;
    await fireEvent.click(screen.getByTestId('report-submit'));
    expect(text.getAttribute('aria-invalid')).toBe('true');
    // The form's message stands right above its buttons.
    const alert = await screen.findByTestId('report-error');
    expect(alert.nextElementSibling?.classList.contains('form-actions')).toBe(true);
    await fireEvent.input(text, { target: { value: 'Đã họp thôn' } });
    expect(text.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByTestId('report-error')).toBeNull();
    // A file the server would refuse is refused at once, and not listed.
    const picker = container.querySelector('input[type="file"][multiple]') as HTMLInputElement;
    Object.defineProperty(picker, 'files', { configurable: true, value: [new File(['x'], 'ghi-chep.txt', { type: 'text/plain' })] });
    await fireEvent.change(picker);
    expect((await screen.findByTestId('report-error')).textContent).toContain(viDict['plans.bad_file_type']);
    expect(screen.queryByTestId('report-files')).toBeNull();
  });

  it('says clearly that the phone is offline and keeps what was typed', async () => {
    setOnline(false);
    let saved = false;
    render(ReportForm, { taskId: 5, progress: 20, onsaved: () => (saved = true) });
    const text = screen.getByLabelText(viDict['plans.report_text']) as HTMLTextAreaElement;
    await fireEvent.input(text, { target: { value: 'Đã họp thôn' } });
    await fireEvent.click(screen.getByTestId('report-submit'));
    expect((await screen.findByTestId('report-error')).textContent).toContain(viDict['plans.offline']);
    expect(text.value).toBe('Đã họp thôn');
    expect(saved).toBe(false);
  });

  it('asks for a note or a photo before sending anything', async () => {
    render(ReportForm, { taskId: 5, progress: 0, onsaved: () => {} });
    await fireEvent.click(screen.getByTestId('report-submit'));
    expect(await screen.findByText(viDict['field.required'])).toBeInTheDocument();
  });

  it('starts the slider at the task progress and offers the rear camera', () => {
    render(ReportForm, { taskId: 5, progress: 35, onsaved: () => {} });
    expect(screen.getByTestId('progress-value').textContent).toBe('35%');
    const camera = screen.getByTestId('report-photo');
    expect(camera.getAttribute('accept')).toBe('image/*');
    expect(camera.getAttribute('capture')).toBe('environment');
  });
});

describe('progress display', () => {
  it('exposes the rounded value to assistive technology and colours a late bar', () => {
    const { container } = render(ProgressBar, { value: 66.6, overdue: true, label: 'Tiến độ' });
    const bar = screen.getByRole('progressbar', { name: 'Tiến độ' });
    expect(bar.getAttribute('aria-valuenow')).toBe('67');
    expect(container.querySelector('.tone-late')).not.toBeNull();
    expect(screen.getByText('67%')).toBeInTheDocument();
  });

  it('draws one bar per dated step and a today line', () => {
    const steps = [
      { id: 1, plan_id: 1, position: 1, title: 'Ban hành văn bản', description: '', start_date: null, due_date: '2023-04-24', status: 'done' as const, progress: 100, task_count: 1, overdue: false },
      { id: 2, plan_id: 1, position: 2, title: 'Ra mắt mô hình', description: '', start_date: '2023-04-26', due_date: '2023-04-26', status: 'done' as const, progress: 100, task_count: 1, overdue: false },
      { id: 3, plan_id: 1, position: 3, title: 'Tuyên truyền', description: '', start_date: '2023-05-01', due_date: '2023-12-31', status: 'in_progress' as const, progress: 40, task_count: 7, overdue: false },
    ];
    const { container } = render(Gantt, { steps, today: '2023-06-15' });
    expect(container.querySelectorAll('rect.bar-bg')).toHaveLength(3);
    expect(screen.getByTestId('gantt-today').getAttribute('data-where')).toBe('in');
    const done = container.querySelectorAll('rect.bar.tone-done');
    expect(done).toHaveLength(2);
    // Step 3's filled part is 40 % of its track.
    const track = Number(container.querySelectorAll('rect.bar-bg')[2].getAttribute('width'));
    const fill = Number(container.querySelector('rect.bar.tone-good')?.getAttribute('width'));
    expect(fill / track).toBeCloseTo(0.4, 5);
    expect(screen.getByText(/Bước 3: Tuyên truyền — 01\/05\/2023 – 31\/12\/2023, 40%/)).toBeInTheDocument();
  });

  it('puts today at the right edge with its date when the plan is long past', () => {
    const steps = [
      { id: 1, plan_id: 1, position: 1, title: 'Kiểm tra', description: '', start_date: '2023-12-01', due_date: '2023-12-31', status: 'done' as const, progress: 100, task_count: 1, overdue: false },
    ];
    render(Gantt, { steps, today: '2026-11-26' });
    expect(screen.getByTestId('gantt-today').getAttribute('data-where')).toBe('after');
    expect(screen.getByText('Hôm nay 26/11/2026 →')).toBeInTheDocument();
  });

  it('keeps the today label off its line near the end of the strip', () => {
    const steps = [
      { id: 1, plan_id: 1, position: 1, title: 'Cả năm', description: '', start_date: '2026-01-01', due_date: '2026-12-31', status: 'in_progress' as const, progress: 90, task_count: 1, overdue: false },
    ];
    render(Gantt, { steps, today: '2026-12-28' });
    const line = Number(screen.getByTestId('gantt-today').getAttribute('x1'));
    const label = screen.getByTestId('gantt-today-label');
    // Drawn leftwards from just before the line, so the line never runs through its words.
    expect(label.getAttribute('text-anchor')).toBe('end');
    expect(Number(label.getAttribute('x'))).toBeLessThan(line);
  });
});

describe('report form errors from the server', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('explains a rejected file type in words', async () => {
    class Xhr415 {
      upload = { onprogress: null };
      onload: (() => void) | null = null;
      status = 415;
      responseText = JSON.stringify({ status: 415, code: 'unsupported_media_type' });
      open() {}
      setRequestHeader() {}
      getResponseHeader(k: string) {
        return k.toLowerCase() === 'content-type' ? 'application/problem+json' : null;
      }
      send() {
        queueMicrotask(() => this.onload?.());
      }
    }
    vi.stubGlobal('XMLHttpRequest', Xhr415);
    render(ReportForm, { taskId: 5, progress: 0, onsaved: () => {} });
    await fireEvent.input(screen.getByLabelText(viDict['plans.report_text']), { target: { value: 'Ảnh HEIC' } });
    await fireEvent.click(screen.getByTestId('report-submit'));
    expect((await screen.findByTestId('report-error')).textContent).toContain(viDict['plans.bad_file_type']);
  });
});
