// What a dialogue's commitments and a meeting's decisions do on their record's page: each call
// (report, add, correct, hand over as a plan task) and then a reload, so the page shows what the
// server now holds. `Tracked` and `TrackedNew` take these as their handlers.
import type { CommitmentStatus, CorrectItem } from './types';

interface Calls<Report, Add> {
  report: (id: number, body: { text: string; status: CommitmentStatus }) => Promise<Report>;
  add: (id: number, body: Add) => Promise<unknown>;
  correct: (id: number, body: CorrectItem) => Promise<unknown>;
  toTask: (id: number, body: { content_area_id: number }) => Promise<unknown>;
}

export function trackedCalls<Report, Add>(page: { reload: () => Promise<void> }, calls: Calls<Report, Add>) {
  async function reloaded<T>(answer: Promise<T>): Promise<T> {
    const value = await answer;
    await page.reload();
    return value;
  }
  return {
    onreport: (id: number, body: { text: string; status: CommitmentStatus }) => reloaded(calls.report(id, body)),
    onadd: async (id: number, body: Add) => {
      await reloaded(calls.add(id, body));
    },
    oncorrect: (id: number, body: CorrectItem) => reloaded(calls.correct(id, body)),
    ontask: (id: number, area: number) => reloaded(calls.toTask(id, { content_area_id: area })),
  };
}
