// What the shell shows about the phone's offline work: the "Chưa gửi (n)" badge and whether the
// browser keeps the outbox. Tiny on purpose (it is in the first load); the outbox itself
// (IndexedDB, sending, back-off) is the lazy chunk `outbox.ts`, loaded after start-up.
import { session } from '../session.svelte';
import { whenIdle } from '../idle';

export const offline = $state<{
  /** The signed-in user's writes waiting in the outbox (queued, failing or refused). */
  queued: number;
  /** Writes waiting on this phone for another user (every one, when nobody is signed in). */
  others: number;
  /** The browser says it has a network. */
  online: boolean;
  /** A sync is running. */
  syncing: boolean;
  /** `navigator.storage.persist()`: granted, refused (the user is told), or not asked/unknown. */
  persist: 'granted' | 'refused' | 'unknown';
  /** Bumped after each sync that sent something, so pages can reload what it changed. */
  sentGeneration: number;
  /** Bumped after every change of the outbox (a refusal too), so pages read their items again. */
  revision: number;
}>({
  queued: 0,
  others: 0,
  online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
  syncing: false,
  persist: 'unknown',
  sentGeneration: 0,
  revision: 0,
});

let loading: Promise<typeof import('./outbox')> | null = null;

/** The outbox chunk, loaded once. */
export function outbox(): Promise<typeof import('./outbox')> {
  loading ??= import('./outbox');
  return loading;
}

/**
 * Starts the outbox: counts what is waiting, sends it when the network is there. The chunk and
 * its database are opened once the first page is drawn and the phone idle (at most 3 s later),
 * not while that page is still arriving on a weak line.
 */
export function startOffline(): void {
  if (typeof window === 'undefined') return;
  window.addEventListener('online', () => (offline.online = true));
  window.addEventListener('offline', () => (offline.online = false));
  void whenIdle()
    .then(outbox)
    .then((m) => {
      void m.start(() => session.me?.user.id ?? null);
      // Signing in or out changes whose items the badge counts and the outbox sends.
      let who = session.me?.user.id ?? null;
      $effect.root(() => {
        $effect(() => {
          const now = session.me?.user.id ?? null;
          if (now === who) return;
          who = now;
          void m.changed().then(() => (now !== null ? m.flush(true) : null));
        });
      });
    })
    .catch(() => undefined);
}
