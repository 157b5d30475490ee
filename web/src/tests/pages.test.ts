import { describe, expect, it, vi } from 'vitest';
import { allPages } from '../lib/api/pages';

describe('allPages', () => {
  const rows = Array.from({ length: 5 }, (_, i) => i + 1);
  const pageOf = (size: number) => vi.fn(async (page: number) => ({ items: rows.slice((page - 1) * size, page * size), total: rows.length }));

  it('reads page after page until the total is in', async () => {
    const fetchPage = pageOf(2);
    expect(await allPages(fetchPage, 10)).toEqual(rows);
    expect(fetchPage.mock.calls.map(([p]) => p)).toEqual([1, 2, 3]);
  });

  it('stops at an empty page, and after the most pages it may read', async () => {
    const short = vi.fn(async (page: number) => ({ items: page === 1 ? [1] : [], total: 9 }));
    expect(await allPages(short, 10)).toEqual([1]);
    expect(short).toHaveBeenCalledTimes(2);
    const fetchPage = pageOf(1);
    expect(await allPages(fetchPage, 3)).toEqual([1, 2, 3]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });
});
