import { describe, expect, it } from 'vitest';
import { readFilters, writeFilters } from '../lib/urlFilters';

const defaults = { page: 1, q: '', status: '', unrelayed: false };
const choices = { status: ['upcoming', 'current', 'ended'] } as const;

describe('list filters in the address', () => {
  it('reads the home card link of the disclosures', () => {
    expect(readFilters('?status=current&unrelayed=true', defaults, choices)).toEqual({
      page: 1,
      q: '',
      status: 'current',
      unrelayed: true,
    });
  });

  it('keeps the default for what is missing or malformed', () => {
    expect(readFilters('?status=bogus&page=-2&unrelayed=yes&q=', defaults, choices)).toEqual(defaults);
    expect(readFilters('?page=3&q=ch%E1%BB%A3', defaults, choices)).toEqual({ ...defaults, page: 3, q: 'chợ' });
  });

  it('writes only what differs from the defaults, and reads back the same', () => {
    expect(writeFilters(defaults, defaults)).toBe('');
    const f = { page: 2, q: ' chợ ', status: 'ended', unrelayed: true };
    const s = writeFilters(f, defaults);
    expect(s).toBe('?page=2&q=ch%E1%BB%A3&status=ended&unrelayed=true');
    expect(readFilters(s, defaults, choices)).toEqual({ ...f, q: 'chợ' });
  });

  it('writes a boolean turned off against a default of on (a village head)', () => {
    const village = { ...defaults, unrelayed: true };
    expect(writeFilters({ ...village, unrelayed: false }, village)).toBe('?unrelayed=false');
    expect(readFilters('?unrelayed=false', village).unrelayed).toBe(false);
    expect(readFilters('', village).unrelayed).toBe(true);
  });

  it('reads the surveys link', () => {
    expect(readFilters('?status=running', { status: '' }, { status: ['running', 'ended'] }).status).toBe('running');
  });
});
