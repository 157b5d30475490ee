// What the tests of pages that queue writes share: a village head signed in, the outbox started
// on the in-memory database, `fetch` stubbed, and the outbox's back-off timer frozen so nothing is
// sent behind a test's back. (The frozen timer also holds testing-library's own time-out: a
// `findBy*` that fails there fails as the test's time-out.) A test file using it mocks
// '../lib/offline/db' with './memory-db' itself: `vi.mock` is hoisted only in the test file.
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { cleanup } from '@testing-library/svelte';
import * as memory from './memory-db';
import { setLang } from '../i18n/index.svelte';
import { session } from '../lib/session.svelte';
import type { Me } from '../lib/api/types';

/** The village head of Thôn 1 (user 7, commune 3) with these permissions. */
export function villageHead(permissions: string[]): Me {
  return {
    user: { id: 7, username: 'thon1', full_name: 'Trưởng thôn 1', role: 'village', active: true },
    commune: { id: 3, name: 'Bình Lương' },
    unit: { id: 11, name: 'Thôn 1' },
    authority: null,
    permissions,
  } as unknown as Me;
}

/** Registers the hooks: `me` signed in and the memory emptied before each test, in Vietnamese. */
export function withOutbox(me: Me, fetchFn: typeof fetch | ReturnType<typeof vi.fn>): void {
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal('fetch', fetchFn);
    const box = await import('../lib/offline/outbox');
    await box.start(() => session.me?.user.id ?? null);
  });
  beforeEach(() => {
    memory.reset();
    void setLang('vi');
    session.me = me;
  });
  afterEach(() => {
    cleanup();
    session.me = null;
  });
}
