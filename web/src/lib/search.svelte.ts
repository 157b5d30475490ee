// A search box whose search runs on the server: the server is asked once the typing pauses,
// not at each key.
import { untrack } from 'svelte';

/** How long the typing must pause before the server is asked. */
export const SEARCH_DELAY_MS = 300;

/**
 * The search to send: `typed()` trimmed, as it stood when the typing last paused for `ms` (its
 * value when the page opens at once, so a search from the address is not delayed). `onsearch`
 * runs when a new search settles, in the same turn (a page goes back to its first page there, so
 * the list is asked for once). Call it while a component initialises.
 */
export function settledSearch(typed: () => string, onsearch?: () => void, ms = SEARCH_DELAY_MS): { readonly current: string } {
  let current = $state(untrack(typed).trim());
  $effect(() => {
    const next = typed().trim();
    if (next === untrack(() => current)) return;
    const timer = setTimeout(() => {
      current = next;
      onsearch?.();
    }, ms);
    return () => clearTimeout(timer);
  });
  return {
    get current() {
      return current;
    },
  };
}
