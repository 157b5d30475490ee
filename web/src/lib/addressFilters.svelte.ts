// A list page keeps its filters in the address (see urlFilters.ts): read once when the page
// opens, written back (replacing the history entry) whenever one changes while the page shows.

import { untrack } from 'svelte';
import { navigate, route } from './router/router.svelte';
import { readFilters, writeFilters, type FilterChoices, type FilterValues } from './urlFilters';

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
