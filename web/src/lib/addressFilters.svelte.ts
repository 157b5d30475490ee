// A list page keeps its filters in the address (see urlFilters.ts): read once when the page
// opens, written back (replacing the history entry) whenever one changes while the page shows.

import { untrack } from 'svelte';
import { navigate, route } from './router/router.svelte';
import { readFilters, writeFilters, type FilterChoices, type FilterValues } from './urlFilters';
import { resource, type Resource } from './resource.svelte';
import { settledSearch } from './search.svelte';

/** The filters the address holds now, each with its default's type. */
export function filtersFromAddress<T extends FilterValues>(defaults: T, choices: FilterChoices<T> = {}): T {
  return readFilters(
    untrack(() => route.search),
    defaults,
    choices,
  );
}

/** Keeps `current()` in the address of `path` from now on; call it while a component starts. */
export function keepFiltersInAddress<T extends FilterValues>(path: string, current: () => T, defaults: T): void {
  $effect(() => {
    const search = writeFilters(current(), defaults);
    untrack(() => {
      if (route.path === path && search !== route.search) navigate(`${path}${search}`, { replace: true });
    });
  });
}

/**
 * A list page's filters as one reactive object: read from the address when the page opens and
 * kept there while it shows. Bind its fields (`bind:value={f.q}`); the defaults' types are the
 * fields' types, so a value the choices do not list reads as its default.
 */
export function addressFilters<T extends FilterValues>(path: string, defaults: T, choices: FilterChoices<T> = {}): T {
  const f = $state(filtersFromAddress(defaults, choices));
  keepFiltersInAddress(path, () => ({ ...f }), defaults);
  return f;
}

/**
 * A register the server searches and filters a page at a time: its filters and page in the
 * address (as `addressFilters`), the search box's text sent once the typing pauses and from the
 * first page (`settledSearch`), the page loaded again whenever any of them changes. `fetchPage`
 * gets the filters and the settled search.
 */
export function searchedList<T extends FilterValues & { q: string; page: number }, R>(
  path: string,
  defaults: T,
  choices: FilterChoices<T>,
  fetchPage: (f: T, q: string) => Promise<R>,
): { f: T; list: Resource<R> } {
  const f = addressFilters(path, defaults, choices);
  const search = settledSearch(() => f.q, () => (f.page = 1));
  return { f, list: resource(() => fetchPage(f, search.current)) };
}
