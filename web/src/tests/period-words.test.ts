import { describe, expect, it } from 'vitest';
import { periodText, type PeriodKind } from '../lib/format';
import { vi as democracyVi } from '../features/democracy/i18n/vi';
import { en as democracyEn } from '../features/democracy/i18n/en';
import { periodSay, periodWords } from '../features/public/periodWords';

// A disclosure's period reads the same on the citizens' page (features/public/periodWords.ts, out
// of the citizen entry's first load) as on the staff pages (democracy's dictionary): one formatter,
// the same words.

const KINDS: PeriodKind[] = ['year', 'h1', 'h2', 'q1', 'q2', 'q3', 'q4', 'month'];

describe('period words', () => {
  it('are the same on the citizens’ page and the staff pages, in both languages', () => {
    for (const kind of KINDS) {
      expect(periodWords.vi[kind]).toBe(democracyVi[`democracy.period_kind.${kind}`]);
      expect(periodWords.en[kind]).toBe(democracyEn[`democracy.period_kind.${kind}`]);
    }
  });

  it('read the citizens’ page’s codes', () => {
    expect(['2026-Q3', '2026-H1', '2026-H2', '2026', '2026-03'].map((c) => periodText(c, periodSay('vi')))).toEqual([
      'Quý III/2026',
      '6 tháng đầu năm 2026',
      '6 tháng cuối năm 2026',
      'Năm 2026',
      'Tháng 3/2026',
    ]);
    expect(periodText('2026-Q3', periodSay('en'))).toBe('Q3 2026');
  });
});
