// One loader for a page's data: `loading | ready | notFound | error`, reloadable.
import { ApiError } from './api/client';

export type ResourceStatus = 'loading' | 'ready' | 'notFound' | 'error';

export class Resource<T> {
  /** The last value fetched; kept while reloading, so a list does not blink. A page may replace it. */
  value = $state<T | undefined>(undefined);
  status = $state<ResourceStatus>('loading');
  /** The failure when `status` is `error` (a 404 is `notFound` instead). */
  error = $state<unknown>(null);
  #fetch: () => Promise<T>;
  #seq = 0;
  #missing: unknown = null;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  get loading(): boolean {
    return this.status === 'loading';
  }

  /** What a page with no "not found" state of its own shows when the load failed: the error, or
   *  the 404 itself (a list, a register: its absence is a failure, not an empty list); else null. */
  get failure(): unknown {
    return this.status === 'notFound' ? this.#missing : this.status === 'error' ? this.error : null;
  }

  /** Fetches again; an older answer that arrives later is dropped. Resolves once it is settled. */
  reload = async (): Promise<void> => {
    const seq = ++this.#seq;
    this.status = 'loading';
    this.error = null;
    try {
      const value = await this.#fetch();
      if (seq !== this.#seq) return;
      this.value = value;
      this.status = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      if (e instanceof ApiError && e.status === 404) {
        this.#missing = e;
        this.status = 'notFound';
      } else {
        this.error = e;
        this.status = 'error';
      }
    }
  };
}

/**
 * Loads `fetch()` now, and again whenever a reactive value it reads before its first `await`
 * changes (a route parameter, a filter, the page number). Call it while a component initialises.
 */
export function resource<T>(fetch: () => Promise<T>): Resource<T> {
  const r = new Resource(fetch);
  $effect(() => {
    void r.reload();
  });
  return r;
}
