import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import PlanOverview from '../features/plans/PlanOverview.svelte';
import TaskDetail from '../features/plans/TaskDetail.svelte';
import { vi as viDict } from '../i18n/all';

// The plan pages' loading through resource(): a 404 is the not-found page, another failure an
// alert whose retry loads again.

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

function stubFetch(answer: (url: string) => Response) {
  const fetchFn = vi.fn(async (input: RequestInfo | URL) => answer(String(input)));
  vi.stubGlobal('fetch', fetchFn);
  return fetchFn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('plan pages', () => {
  it('shows the not-found page for a plan the server does not know', async () => {
    stubFetch(() => json(404, { status: 404, code: 'not_found' }));
    render(PlanOverview, { props: { params: { id: '9' } } });
    expect(await screen.findByTestId('error-notfound')).toBeInTheDocument();
  });

  it('shows a failed task load with a retry that loads it again', async () => {
    let fail = true;
    const fetchFn = stubFetch((url) => {
      if (url.startsWith('/api/v1/tasks/5'))
        return fail ? json(503, { status: 503, code: 'unavailable', title: 'Unavailable' }) : json(404, { status: 404, code: 'not_found' });
      return json(404, { status: 404, code: 'not_found' });
    });
    render(TaskDetail, { props: { params: { id: '5' } } });
    const retry = await screen.findByRole('button', { name: viDict['common.retry'] });
    expect(screen.getByRole('alert')).toBeInTheDocument();
    fail = false;
    await fireEvent.click(retry);
    expect(await screen.findByTestId('error-notfound')).toBeInTheDocument();
    expect(fetchFn.mock.calls.filter(([u]) => String(u).startsWith('/api/v1/tasks/5'))).toHaveLength(2);
  });
});
