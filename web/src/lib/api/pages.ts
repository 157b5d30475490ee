/** One page of a paged list, as the API answers it. */
export interface Paged<T> {
  items: T[];
  total: number;
}

/**
 * Every item of a paged list, asked for page after page (`fetchPage(1)`, `fetchPage(2)` …) until
 * the list's `total` is in, a page comes back empty, or `maxPages` pages have been read.
 */
export async function allPages<T>(fetchPage: (page: number) => Promise<Paged<T>>, maxPages: number): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const res = await fetchPage(page);
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) break;
  }
  return all;
}
