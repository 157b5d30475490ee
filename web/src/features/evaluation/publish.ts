// What a report would be published without: said in the confirmation before publishing freezes
// it (a version is changed only by re-evaluating). Publishing itself stays the board's decision.
import type { Sections } from '../../lib/api/schema';

export const SECTION_KEYS = ['results', 'shortcomings', 'causes', 'lessons', 'directions', 'recipients'] as const;

export type PublishGap =
  | { kind: 'year_open'; year: number }
  | { kind: 'number' }
  | { kind: 'section'; key: (typeof SECTION_KEYS)[number] }
  | { kind: 'signer' };

/** The gaps of a report about to be published, in the order of the document. */
export function publishGaps(sections: Sections, number: string, year: number, today: string): PublishGap[] {
  const gaps: PublishGap[] = [];
  // The year is not over: its figures are counted until today.
  if (`${year}-12-31` > today) gaps.push({ kind: 'year_open', year });
  if (!number.trim() || /^[.…\s]*\/?BC-UBND$/i.test(number.trim())) gaps.push({ kind: 'number' });
  for (const key of SECTION_KEYS) if (!sections[key].trim()) gaps.push({ kind: 'section', key });
  if (!sections.signer_name.trim()) gaps.push({ kind: 'signer' });
  return gaps;
}
