// What a village head's phone keeps of the surveys, for capture in the village with no network
// (docs/offline.md §3): the list and each survey they capture (its questions). The surveys page,
// the capture page and the warm-up (features/offline/warm.ts) all read through these, so they
// keep and find the same copies.
import { cachedRead } from '../../lib/offline/reads';
import { getSurvey, listSurveys, type SurveyItem } from './api';

type Stale = (at: string | null) => void;

/** A survey a village head captures: running, with the village channel. */
export const capturable = (s: SurveyItem): boolean => s.open && s.channels.includes('village');

/** The surveys list, kept for reading offline (`cachedRead`). */
export const readSurveys = (userId: number, stale: Stale) => cachedRead(`surveys:${userId}`, () => listSurveys(), stale);

/** One survey with its questions, kept for capture offline. */
export const readSurvey = (userId: number, id: number, stale: Stale) => cachedRead(`survey:${userId}:${id}`, () => getSurvey(id), stale);

/**
 * Keeps each capturable survey of `surveys`, one after another. `kept` holds the ids already
 * kept or being kept, so calling again keeps only the new ones; a failed one is let go, to be
 * tried at the next call. `stopped` ends the loop early.
 */
export async function keepCapturable(userId: number, surveys: SurveyItem[], kept: Set<number>, stopped = () => false): Promise<void> {
  for (const s of surveys) {
    if (!capturable(s) || kept.has(s.id)) continue;
    if (stopped()) return;
    kept.add(s.id);
    await readSurvey(userId, s.id, () => {}).catch(() => kept.delete(s.id));
  }
}
