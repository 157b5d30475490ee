import { describe, expect, it } from 'vitest';
import { formatDay, todayInCommune, villageState } from './format';

describe('democracy format', () => {
  it('formats days the Vietnamese way', () => {
    expect(formatDay('2026-03-05')).toBe('05/03/2026');
    expect(formatDay(null)).toBe('');
  });
  it('takes today in UTC+7', () => {
    expect(todayInCommune(new Date('2026-03-04T18:00:00Z'))).toBe('2026-03-05');
  });
  it('colours a village by its relay', () => {
    expect(villageState({ relay: { id: 1 }, overdue: false })).toBe('relayed');
    expect(villageState({ relay: null, overdue: true })).toBe('overdue');
    expect(villageState({ relay: null, overdue: false })).toBe('waiting');
  });
});
