// What waits in the outbox, for a page that shows its own queued writes (a task's report, a
// notice's confirmation): read again after every change of the outbox, a refusal included, so
// a page never keeps promising "sẽ tự gửi" once the server has refused the item.
import { offline, outbox } from './state.svelte';
import type { QueuedRequest } from './outbox';

export interface QueuedItems {
  /** The user's items, oldest first (empty until read, and with no IndexedDB). */
  readonly items: QueuedRequest[];
  /** Whether they have been read at least once. */
  readonly read: boolean;
}

/** The outbox items of `user()` (the signed-in user), kept current. Call while a component initialises. */
export function queuedItems(user: () => number | null): QueuedItems {
  const s = $state<{ items: QueuedRequest[]; read: boolean }>({ items: [], read: false });
  $effect(() => {
    void offline.revision;
    const me = user();
    let stale = false;
    outbox()
      .then((m) => m.list(me))
      .then((items) => {
        if (stale) return;
        s.items = items;
        s.read = true;
      })
      .catch(() => {
        if (!stale) s.read = true;
      });
    return () => {
      stale = true;
    };
  });
  return s;
}
