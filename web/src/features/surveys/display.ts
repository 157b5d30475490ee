// Small display helpers of the survey screens.

/** The five levels as keys: the digit typed is the level (1 = Rất không hài lòng … 5). */
export const LIKERT_KEYS = [1, 2, 3, 4, 5].map((n) => ({ key: n, id: String(n), text: String(n) }));

/** Today in the commune (UTC+7), as `YYYY-MM-DD`. */
export function todayLocal(now: number = Date.now()): string {
  return new Date(now + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A five-point level as its message key's tail. */
export type LikertId = '1' | '2' | '3' | '4' | '5';
