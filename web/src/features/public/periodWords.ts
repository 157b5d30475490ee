// A disclosure's period in words on the citizens' page ("2026-Q3" → "Quý III/2026"). Kept here,
// loaded with that page, out of the citizen entry's first load (its 25 KB JS budget): the same
// words as the staff pages' (democracy's dictionary; a test checks they agree).
import { interpolate } from '../../i18n/interpolate';
import type { PeriodKind, PeriodSay } from '../../lib/format';

const vi: Record<PeriodKind, string> = {
  year: 'Năm {year}',
  h1: '6 tháng đầu năm {year}',
  h2: '6 tháng cuối năm {year}',
  q1: 'Quý I/{year}',
  q2: 'Quý II/{year}',
  q3: 'Quý III/{year}',
  q4: 'Quý IV/{year}',
  month: 'Tháng {n}/{year}',
};
const en: Record<PeriodKind, string> = {
  year: 'Year {year}',
  h1: 'first half of {year}',
  h2: 'second half of {year}',
  q1: 'Q1 {year}',
  q2: 'Q2 {year}',
  q3: 'Q3 {year}',
  q4: 'Q4 {year}',
  month: 'Month {n}/{year}',
};

/** Both languages' words (the test compares them with the staff dictionary's). */
export const periodWords = { vi, en };

/** The period words of a language, for `periodText`. */
export function periodSay(lang: 'vi' | 'en'): PeriodSay {
  return (kind, parts) => interpolate((lang === 'en' ? en : vi)[kind], parts);
}
