import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import Evaluation from '../features/evaluation/Evaluation.svelte';
import { setLang } from '../i18n/index.svelte';
import { en, vi as viDict } from '../i18n/all';
import { evaluationDetail, json, refused } from './evaluation-fixtures';

// The evaluation page shows what the server refuses at the field it names (marked invalid and
// described by its sentence, as the shared field components do), and the general sentence beside
// the button that was pressed, not at the top of the page.

type FieldError = { field: string; code: string; message: string };

/** The server: the draft (or the published version), and a 422 for every PATCH or re-evaluation. */
function stubServer(errors: FieldError[], status: 'draft' | 'published' = 'draft') {
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    if (url === '/api/v1/evaluations/2' && method === 'GET') return json(200, evaluationDetail(status));
    if (url === '/api/v1/evaluations/2' && method === 'PATCH') return refused(errors);
    if (url === '/api/v1/evaluations/2/re-evaluate' && method === 'POST') return refused(errors);
    return json(404, { status: 404, code: 'not_found' });
  });
  vi.stubGlobal('fetch', fetchFn);
  return fetchFn;
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

/** The field is marked invalid and described by its error, which says `text`. */
function expectRefused(id: string, text: string) {
  const control = input(id);
  expect(control, id).toHaveAttribute('aria-invalid', 'true');
  expect(control.getAttribute('aria-describedby') ?? '', id).toContain(`${id}-error`);
  expect(document.getElementById(`${id}-error`), id).toHaveTextContent(text);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  void setLang('vi');
});

describe('evaluation page: the server refuses a field', () => {
  // The input now stops at 60 characters (a browser does not send 61); the server's refusal is what is looked at.
  it('the number refused: its sentence under "Số, ký hiệu báo cáo", the general one beside "Lưu"', async () => {
    stubServer([{ field: 'number', code: 'too_long', message: 'Số, ký hiệu tối đa 60 ký tự.' }]);
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    await fireEvent.input(input('evaluation-number'), { target: { value: '125/BC-UBND' } });
    const save = screen.getByTestId('evaluation-save');
    await fireEvent.click(save);

    // The field may be a screen above the button: the sentence beside it names it.
    const general = await screen.findByText(`${viDict['error.validation_failed']} Ô cần sửa: Số, ký hiệu báo cáo.`);
    expectRefused('evaluation-number', 'Số, ký hiệu tối đa 60 ký tự.');
    // Beside the button pressed: among the alerts right before the row of the form's buttons.
    const alert = general.closest('[role="alert"]')!;
    const beside: Element[] = [];
    for (let e = save.closest('.actions')?.previousElementSibling; e?.getAttribute('role') === 'alert'; e = e.previousElementSibling) beside.push(e);
    expect(beside).toContain(alert);
    // Said once, and not at the top, above the criteria.
    expect(screen.getAllByText(new RegExp(viDict['error.validation_failed'], 'u'))).toHaveLength(1);
    expect(alert.compareDocumentPosition(screen.getByTestId('criteria')) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy();
  });

  it('the signer fields, each under its own input; in English, with the limit', async () => {
    await setLang('en');
    stubServer([
      { field: 'sections.signer_title', code: 'too_long', message: 'Tối đa 200 ký tự.' },
      { field: 'sections.signer_name', code: 'too_long', message: 'Tối đa 200 ký tự.' },
    ]);
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    await fireEvent.click(screen.getByTestId('evaluation-save'));
    await screen.findByText(new RegExp(en['error.validation_failed'], 'u'));
    expectRefused('evaluation-signer_title', en['evaluation.field.too_long.sections.signer_title']);
    expectRefused('evaluation-signer_name', en['evaluation.field.too_long.sections.signer_name']);
    expect(en['evaluation.field.too_long.sections.signer_name']).toContain('200');
    expect(input('evaluation-number')).not.toHaveAttribute('aria-invalid');
  });

  it('a section and a criterion comment, under their fields', async () => {
    stubServer([
      { field: 'sections.results', code: 'too_long', message: 'Tối đa 20000 ký tự.' },
      { field: 'judged.c11.comment', code: 'too_long', message: 'Nhận xét tối đa 4000 ký tự.' },
    ]);
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    await fireEvent.click(screen.getByTestId('evaluation-save'));
    await screen.findByText(new RegExp(viDict['error.validation_failed'], 'u'));
    expectRefused('evaluation-results', viDict['evaluation.field.too_long.sections.results']);
    expectRefused('judge-c11-comment', 'Nhận xét tối đa 4000 ký tự.');
    expect(screen.getByText(/Ô cần sửa: Kết quả nổi bật \(ghi thêm vào phần I\); Nhận xét \(tiêu chí 2\)\.$/u)).toBeInTheDocument();
  });

  it('a field the page does not show is said beside the button, not lost', async () => {
    stubServer([{ field: 'judged.c99', code: 'unknown_criterion', message: 'Không có tiêu chí này trong bộ tiêu chí.' }]);
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    await fireEvent.click(screen.getByTestId('evaluation-save'));
    const form = screen.getByTestId('evaluation-save').closest('form')!;
    expect(await within(form).findByText('judged.c99: Không có tiêu chí này trong bộ tiêu chí.')).toBeInTheDocument();
    expect(within(form).getByText(viDict['error.validation_failed'])).toBeInTheDocument(); // no field of its own to name
  });

  it('the reason for re-evaluation, under its field, and the sentence in its own form', async () => {
    stubServer([{ field: 'reason', code: 'invalid_value', message: 'Lý do đánh giá lại từ 1 đến 2000 ký tự.' }], 'published');
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    await fireEvent.input(input('evaluation-reason'), { target: { value: 'Số liệu một cửa được bổ sung.' } });
    const button = screen.getByRole('button', { name: viDict['evaluation.re_evaluate'] });
    await fireEvent.click(button);
    const general = await screen.findByText(new RegExp(viDict['error.validation_failed'], 'u'));
    expectRefused('evaluation-reason', 'Lý do đánh giá lại từ 1 đến 2000 ký tự.');
    expect(button.closest('form')!.contains(general)).toBe(true);
  });

  it('stops every text at the server’s limit', async () => {
    stubServer([]);
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    const limits: Record<string, string> = {
      'evaluation-number': '60',
      'evaluation-results': '20000',
      'evaluation-shortcomings': '20000',
      'evaluation-causes': '20000',
      'evaluation-lessons': '20000',
      'evaluation-directions': '20000',
      'evaluation-recipients': '2000',
      'evaluation-signer_title': '200',
      'evaluation-signer_name': '200',
      'judge-c1-comment': '4000',
      'judge-c1-evidence': '4000',
      'judge-c11-comment': '4000',
      'judge-c11-evidence': '4000',
    };
    for (const [id, max] of Object.entries(limits)) expect(input(id), id).toHaveAttribute('maxlength', max);
  });

  it('the reason for re-evaluation stops at 2000 characters', async () => {
    stubServer([], 'published');
    render(Evaluation, { props: { params: { id: '2' } } });
    await screen.findByTestId('evaluation');
    expect(input('evaluation-reason')).toHaveAttribute('maxlength', '2000');
  });
});
