import { describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { ApiError } from '../lib/api/client';
import { resource, type Resource } from '../lib/resource.svelte';
import { vi as viDict } from '../i18n/all';
import ListPageHarness from './ListPageHarness.svelte';
import { deferred } from './deferred';

/** Creates a resource inside an effect root, as a component would. */
function root<T>(fetch: () => Promise<T>): { r: Resource<T>; stop: () => void } {
  let r!: Resource<T>;
  const stop = $effect.root(() => {
    r = resource(fetch);
  });
  flushSync();
  return { r, stop };
}

describe('resource()', () => {
  it('loads at once: loading, then ready with the value', async () => {
    const d = deferred<number>();
    const { r, stop } = root(() => d.promise);
    expect(r.status).toBe('loading');
    expect(r.loading).toBe(true);
    expect(r.value).toBeUndefined();
    d.resolve(42);
    await waitFor(() => expect(r.status).toBe('ready'));
    expect(r.value).toBe(42);
    expect(r.loading).toBe(false);
    stop();
  });

  it('tells a 404 (notFound) from other failures (error), and recovers on reload', async () => {
    let answer: () => Promise<string> = () => Promise.reject(new ApiError({ status: 404, code: 'not_found' }));
    const { r, stop } = root(() => answer());
    await waitFor(() => expect(r.status).toBe('notFound'));
    expect(r.error).toBeNull();
    // A page with no "not found" state of its own still gets the 404 to say.
    expect(r.failure).toMatchObject({ status: 404, code: 'not_found' });

    const boom = new ApiError({ status: 500, code: 'internal' });
    answer = () => Promise.reject(boom);
    await r.reload();
    expect(r.status).toBe('error');
    expect(r.error).toBe(boom);
    expect(r.failure).toBe(boom);

    answer = () => Promise.resolve('ok');
    await r.reload();
    expect(r.status).toBe('ready');
    expect(r.error).toBeNull();
    expect(r.failure).toBeNull();
    expect(r.value).toBe('ok');
    stop();
  });

  it('keeps the last value while reloading and drops an answer that arrives after a newer one', async () => {
    const answers = [deferred<string>(), deferred<string>(), deferred<string>()];
    let n = 0;
    const { r, stop } = root(() => answers[n++].promise);
    answers[0].resolve('first');
    await waitFor(() => expect(r.value).toBe('first'));

    const slow = r.reload();
    const fast = r.reload();
    expect(r.status).toBe('loading');
    expect(r.value).toBe('first');
    answers[2].resolve('newest');
    await fast;
    answers[1].resolve('stale');
    await slow;
    expect(r.value).toBe('newest');
    expect(r.status).toBe('ready');
    stop();
  });

  it('loads again when a value its fetch reads changes', async () => {
    const state = $state({ page: 1 });
    const fetch = vi.fn((page: number) => Promise.resolve(`page ${page}`));
    const { r, stop } = root(() => fetch(state.page));
    await waitFor(() => expect(r.value).toBe('page 1'));
    state.page = 2;
    flushSync();
    await waitFor(() => expect(r.value).toBe('page 2'));
    expect(fetch).toHaveBeenCalledTimes(2);
    stop();
  });
});

describe('ListPage', () => {
  const rows = [
    { id: 1, name: 'Thôn 1' },
    { id: 2, name: 'Thôn 2' },
  ];

  it('shows "loading" in place of the rows, after the toolbar', () => {
    render(ListPageHarness, { props: { items: [], loading: true } });
    expect(screen.getByRole('search')).toBeInTheDocument();
    expect(screen.getByText(viDict['common.loading'])).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows a load error with a retry button', async () => {
    const onretry = vi.fn();
    render(ListPageHarness, { props: { items: rows, error: new ApiError({ status: 0, code: 'network' }), onretry } });
    expect(screen.getByRole('alert')).toHaveTextContent(viDict['error.network']);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: viDict['common.retry'] }));
    expect(onretry).toHaveBeenCalledOnce();
  });

  it('shows the count, the table with its header and rows, and the pager', async () => {
    const onpage = vi.fn();
    render(ListPageHarness, { props: { items: rows, count: '2 / 5', total: 5, onpage } });
    expect(screen.getByText('2 / 5')).toHaveAttribute('aria-live', 'polite');
    const table = screen.getByTestId('rows');
    expect(within(table).getByRole('columnheader', { name: 'Tên' })).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    const pager = screen.getByRole('navigation', { name: 'Trang 1/3' });
    await fireEvent.click(within(pager).getByRole('button', { name: /Trang sau/ }));
    expect(onpage).toHaveBeenCalledWith(2);
  });

  it('shows the rows a filter keeps, with "showing X/Y", and waits on the rows loaded', () => {
    const { unmount } = render(ListPageHarness, { props: { items: rows, filter: (r) => r.id === 2, total: 5 } });
    expect(within(screen.getByTestId('rows')).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('Thôn 2')).toBeInTheDocument();
    expect(screen.queryByText('Thôn 1')).not.toBeInTheDocument();
    expect(screen.getByText('Hiển thị 1/5')).toHaveAttribute('aria-live', 'polite');
    unmount();
    // Loading again with rows at hand: the rows stay, the filter's empty result is the empty state.
    render(ListPageHarness, { props: { items: rows, loading: true, filter: () => false } });
    expect(screen.queryByText(viDict['common.loading'])).not.toBeInTheDocument();
    expect(screen.getByText('Không có gì')).toBeInTheDocument();
  });

  it('shows the empty state when there are no rows, and cards without a header', () => {
    const { unmount } = render(ListPageHarness, { props: { items: [] } });
    expect(screen.getByText('Không có gì')).toHaveClass('empty');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    unmount();
    render(ListPageHarness, { props: { items: rows, cards: true } });
    const list = screen.getByTestId('rows');
    expect(list.tagName).toBe('UL');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  });
});
