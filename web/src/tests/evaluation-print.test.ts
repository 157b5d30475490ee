import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import EvaluationPrint from '../features/evaluation/EvaluationPrint.svelte';
import { json, reportView } from './evaluation-fixtures';

// The print view says what the DOCX says, word for word where the DOCX has a sentence.

afterEach(() => {
  vi.unstubAllGlobals();
});

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/gu, ' ');

describe('evaluation print view', () => {
  it('writes the plan number and its date apart: "…/KH-BĐH ngày 10/01/2026", as the DOCX does', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, reportView())));
    render(EvaluationPrint, { props: { params: { id: '2' } } });
    const doc = await screen.findByTestId('report-doc');
    expect(text(doc)).toContain('Thực hiện Kế hoạch số …/KH-BĐH ngày 10/01/2026 về xây dựng thực hiện mô hình');
  });

  it('writes no date for a plan without one', async () => {
    const r = reportView();
    r.result.figures.plan.issued_on = null;
    vi.stubGlobal('fetch', vi.fn(async () => json(200, r)));
    render(EvaluationPrint, { props: { params: { id: '2' } } });
    const doc = await screen.findByTestId('report-doc');
    expect(text(doc)).toContain('Thực hiện Kế hoạch số …/KH-BĐH về xây dựng thực hiện mô hình');
  });
});
