import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEarly, takeEarly } from '../lib/api/early';

describe('reads started early', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands the answer under way to the page once, then reads anew', async () => {
    const early = vi.fn(() => Promise.resolve('early'));
    const late = vi.fn(() => Promise.resolve('late'));
    startEarly('k', early);
    expect(await takeEarly('k', late)).toBe('early');
    expect(late).not.toHaveBeenCalled();
    expect(await takeEarly('k', late)).toBe('late');
    expect(early).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('reads anew under another key', async () => {
    startEarly('tasks/mine:1?page=1', () => Promise.resolve('user 1'));
    expect(await takeEarly('tasks/mine:2?page=1', () => Promise.resolve('user 2'))).toBe('user 2');
  });

  it('does not use an answer that has grown stale', async () => {
    vi.useFakeTimers();
    startEarly('k', () => Promise.resolve('old'));
    vi.advanceTimersByTime(60_000);
    expect(await takeEarly('k', () => Promise.resolve('new'))).toBe('new');
  });

  it('gives the page the early failure, which an unclaimed read does not report', async () => {
    startEarly('k', () => Promise.reject(new Error('offline')));
    await expect(takeEarly('k', () => Promise.resolve('again'))).rejects.toThrow('offline');
  });
});
