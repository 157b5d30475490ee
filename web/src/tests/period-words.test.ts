import { describe, expect, it } from 'vitest';
import { periodText, type PeriodKind } from '../lib/format';
import { vi as democracyVi } from '../features/democracy/i18n/vi';
import { en as democracyEn } from '../features/democracy/i18n/en';
import { vi as publicVi } from '../features/public/i18n/vi';
import { en as publicEn } from '../features/public/i18n/en';
import { interpolate } from '../i18n/interpolate';

// A disclosure's period reads the same on the citizens' page (public dictionary) as on the staff
// pages (democracy's): one formatter, the same words in both dictionaries.

const KINDS: PeriodKind[] = ['year', 'h1', 'h2', 'q1', 'q2', 'q3', 'q4', 'month'];

describe('period words', () => {
  it('are the same on the citizens’ page and the staff pages, in both languages', () => {
    for (const kind of KINDS) {
      expect(publicVi[`public.period_kind.${kind}`]).toBe(democracyVi[`democracy.period_kind.${kind}`]);
      expect(publicEn[`public.period_kind.${kind}`]).toBe(democracyEn[`democracy.period_kind.${kind}`]);
    }
  });

  it('read the citizens’ page’s codes', () => {
    const say = (kind: PeriodKind, parts: Record<string, string>) => interpolate(publicVi[`public.period_kind.${kind}`], parts);
    expect(['2026-Q3', '2026-H1', '2026-H2', '2026', '2026-03'].map((c) => periodText(c, say))).toEqual([
      'Quý III/2026',
      '6 tháng đầu năm 2026',
      '6 tháng cuối năm 2026',
      'Năm 2026',
      'Tháng 3/2026',
    ]);
  });
});
