import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import CriteriaSetEditor from '../features/evaluation/CriteriaSetEditor.svelte';
import { session } from '../lib/session.svelte';
import { setLang } from '../i18n/index.svelte';
import { en, vi as viDict } from '../i18n/all';
import type { Me } from '../lib/api/types';
import { criteriaSet, json, refused } from './evaluation-fixtures';

// The criteria set editor shows the server's field errors at their fields, and in English too
// they say the allowed range ("The year is from 2000 to 2100."), not just "Invalid value.".

const board = {
  user: { id: 1, username: 'bdh', full_name: 'Ban điều hành', role: 'board', active: true },
  commune: { id: 1, name: 'Bình Lương' },
  authority: null,
  permissions: ['evaluate', 'read_evaluations'],
} as unknown as Me;

/** What the server says of year 1999 and a criterion of 0 points (api/src/evaluation/criteria.rs). */
const refusal = () =>
  refused([
    { field: 'year', code: 'invalid_value', message: 'Năm từ 2000 đến 2100.' },
    { field: 'criteria[0].points', code: 'invalid_value', message: 'Điểm lớn hơn 0 và không quá 1000.' },
  ]);

function stubServer() {
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.startsWith('/api/v1/criteria-sets/1')) return json(200, criteriaSet());
    if (url === '/api/v1/criteria-sets' && init?.method === 'POST') return refusal();
    return json(404, { status: 404, code: 'not_found' });
  });
  vi.stubGlobal('fetch', fetchFn);
  return fetchFn;
}

async function saveRefused() {
  render(CriteriaSetEditor, { props: { params: { id: '1' } } });
  await screen.findByTestId('criteria-form');
  await fireEvent.input(document.getElementById('cs-year')!, { target: { value: '1999' } });
  await fireEvent.input(document.getElementById('cr-points-0')!, { target: { value: '0' } });
  await fireEvent.input(document.getElementById('cs-reason')!, { target: { value: 'Thử' } });
  await fireEvent.click(screen.getByTestId('criteria-save'));
  return screen.findByText(/2000/u);
}

beforeEach(() => {
  session.me = board;
});
afterEach(() => {
  cleanup();
  session.me = null;
  vi.unstubAllGlobals();
  void setLang('vi');
});

describe('criteria set editor: the server refuses a field', () => {
  it('says the allowed range at the field in English, not "Invalid value."', async () => {
    await setLang('en');
    stubServer();
    await saveRefused();
    const year = document.getElementById('cs-year')!;
    const points = document.getElementById('cr-points-0')!;
    expect(document.getElementById('cs-year-error')).toHaveTextContent('The year is from 2000 to 2100.');
    expect(document.getElementById('cr-points-0-error')).toHaveTextContent('Points are more than 0 and at most 1000.');
    expect(year).toHaveAttribute('aria-invalid', 'true');
    expect(year).toHaveAttribute('aria-describedby', 'cs-year-error');
    expect(points).toHaveAttribute('aria-invalid', 'true');
    expect(points).toHaveAttribute('aria-describedby', 'cr-points-0-error');
    expect(screen.queryByText(en['field.invalid_value'])).toBeNull();
  });

  it('says it in Vietnamese as the server does', async () => {
    await setLang('vi');
    stubServer();
    await saveRefused();
    expect(document.getElementById('cs-year-error')).toHaveTextContent('Năm từ 2000 đến 2100.');
    expect(document.getElementById('cr-points-0-error')).toHaveTextContent('Điểm lớn hơn 0 và không quá 1000.');
  });

  it('has the same sentences in both languages for every field the server checks', () => {
    const own = Object.keys(viDict).filter((k) => k.startsWith('criteria.field.'));
    expect(own.length).toBeGreaterThanOrEqual(10);
    for (const k of own) expect(en[k as keyof typeof en], k).toMatch(/\S/u);
  });

  it('limits the texts to what the server takes', async () => {
    stubServer();
    render(CriteriaSetEditor, { props: { params: { id: '1' } } });
    await screen.findByTestId('criteria-form');
    expect(document.getElementById('cs-name')).toHaveAttribute('maxlength', '300');
    expect(document.getElementById('cr-code-0')).toHaveAttribute('maxlength', '40');
    expect(document.getElementById('cr-name-0')).toHaveAttribute('maxlength', '500');
    expect(document.getElementById('cr-how-0')).toHaveAttribute('maxlength', '2000');
    expect(document.getElementById('cs-reason')).toHaveAttribute('maxlength', '4000');
  });
});
