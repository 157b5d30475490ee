import { describe, expect, it } from 'vitest';
import { backoffMs } from '../lib/offline/outbox';
import { navFor } from '../lib/nav';
import { newId } from '../lib/offline/id';
import { isNetworkFailure } from '../lib/offline/reads';
import { ApiError } from '../lib/api/client';

describe('outbox back-off', () => {
  it('doubles from 5 s and stops at 10 minutes', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(0)).toBe(5_000);
    expect(backoffMs(30)).toBe(600_000);
  });

  it('makes ids the server takes as idempotency keys', () => {
    const a = newId();
    expect(a).toMatch(/^[A-Za-z0-9\-_:.]{1,100}$/);
    expect(newId()).not.toBe(a);
  });

  it('reads the kept copy for a lost network or a server error, not for a refusal', () => {
    expect(isNetworkFailure(new ApiError({ status: 0, code: 'network' }))).toBe(true);
    expect(isNetworkFailure(new ApiError({ status: 503, code: 'unavailable' }))).toBe(true);
    expect(isNetworkFailure(new ApiError({ status: 404, code: 'not_found' }))).toBe(false);
  });
});

describe("a village head's menu", () => {
  const village = ['read_units', 'report_tasks', 'read_plans', 'read_statistics', 'run_surveys'];
  it('calls home by the name of their work and lists it once', () => {
    const links = navFor(village, 'village');
    expect(links[0]).toEqual({ href: '/', label: 'nav.my_village_tasks', group: 'main' });
    expect(links.map((l) => l.href)).not.toContain('/my-tasks');
    // Other roles keep "Trang chủ" and their own tasks page.
    const board = navFor(['report_tasks', 'read_plans'], 'board');
    expect(board[0].label).toBe('nav.home');
    expect(board.map((l) => l.href)).toContain('/my-tasks');
  });
});
