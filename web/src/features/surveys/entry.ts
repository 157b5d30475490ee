// Pure rules of the staff screens: keyboard entry of paper forms, tallies that add up, the
// question editor. No Svelte, no network: tested in src/tests/surveys-entry.test.ts.
import type { AnswerInput, Question, QuestionKind } from './api';
import { LIKERT_KEYS } from './display';

/** One question's value while a form is being entered. */
export type Value = number | string | string[] | null;
export type Values = Record<string, Value>;

/** The answers of a form (or its key, for the tallies), in display order. */
export function choices(q: Pick<Question, 'kind' | 'options'>): { id: string; text: string }[] {
  if (q.kind === 'likert5') return [5, 4, 3, 2, 1].map((n) => ({ id: String(n), text: String(n) }));
  return (q.options ?? []).map((o) => ({ id: o.id, text: o.text }));
}

/**
 * A question's choices, each with the digit that picks it (`keyValue`): a five-point one's levels
 * 1–5 (from 5 down with `highFirst`), or the options 1–9 in their order.
 */
export function keyedChoices(q: Pick<Question, 'kind' | 'options'>, highFirst = false): { key: number; id: string; text: string }[] {
  if (q.kind === 'likert5') return highFirst ? [...LIKERT_KEYS].reverse() : LIKERT_KEYS;
  return (q.options ?? []).map((o, k) => ({ key: k + 1, id: o.id, text: o.text }));
}

/** Whether the choice `id` is picked in the value `v` (among a multi's, or as the one value). */
export function isPicked(q: Pick<Question, 'kind'>, v: Value | undefined, id: string): boolean {
  return q.kind === 'multi' ? Array.isArray(v) && v.includes(String(id)) : String(v ?? '') === String(id);
}

/**
 * A digit typed on question `q` with value `v`: the new value and whether to move on to the
 * next question. Likert: 1–5 is the level. Single: 1–9 picks that option. Multi: 1–9 toggles
 * that option (stays on the question). 0 clears. Anything else: `null` (not handled).
 */
export function keyValue(q: Pick<Question, 'kind' | 'options'>, v: Value, key: string): { value: Value; next: boolean } | null {
  if (!/^[0-9]$/.test(key) || q.kind === 'text') return null;
  const n = Number(key);
  if (n === 0) return { value: null, next: false };
  if (q.kind === 'likert5') return n <= 5 ? { value: n, next: true } : null;
  const opt = (q.options ?? [])[n - 1];
  if (!opt) return null;
  if (q.kind === 'single') return { value: opt.id, next: true };
  const list = Array.isArray(v) ? v : [];
  return { value: list.includes(opt.id) ? list.filter((x) => x !== opt.id) : [...list, opt.id], next: false };
}

/** Whether a value is empty (not answered). */
export function isEmpty(v: Value | undefined): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The answers to send: every answered question, in the form's order. */
export function toAnswers(questions: Pick<Question, 'id' | 'kind'>[], values: Values): AnswerInput[] {
  const out: AnswerInput[] = [];
  for (const q of questions) {
    const v = values[q.id];
    if (isEmpty(v)) continue;
    const value = typeof v === 'string' && q.kind === 'text' ? v.trim() : v;
    if (value === '') continue;
    // The API takes any JSON value here (its schema says "object").
    out.push({ question_id: q.id, value: value as unknown as AnswerInput['value'] });
  }
  return out;
}

/** The answers given back by the server as values of the form. */
export function fromAnswers(answers: AnswerInput[]): Values {
  const out: Values = {};
  for (const a of answers) out[a.question_id] = a.value as unknown as Value;
  return out;
}

/** Required questions left unanswered. */
export function missingRequired(questions: Pick<Question, 'id' | 'required'>[], values: Values): string[] {
  return questions.filter((q) => q.required && isEmpty(values[q.id])).map((q) => q.id);
}

/** Tally counts while typed: question → answer → count (empty = 0). */
export type Counts = Record<string, Record<string, number | null | undefined>>;

export interface TallyProblem {
  question: string;
  /** `exceeds_forms`: a one-answer question counts more answers than forms; `option_exceeds`:
   *  a multi option picked by more forms than counted; `negative`, `not_integer`. */
  code: 'exceeds_forms' | 'option_exceeds' | 'negative' | 'not_integer';
}

/** Per question of one answer: answers counted, and forms that left it blank. */
export function tallySums(questions: Pick<Question, 'id' | 'kind'>[], forms: number, counts: Counts): Record<string, { counted: number; blank: number }> {
  const out: Record<string, { counted: number; blank: number }> = {};
  for (const q of questions) {
    if (q.kind === 'text') continue;
    const c = Object.values(counts[q.id] ?? {}).reduce<number>((s, x) => s + (Number(x) || 0), 0);
    out[q.id] = { counted: c, blank: q.kind === 'multi' ? 0 : Math.max(0, forms - c) };
  }
  return out;
}

/** What keeps a tally from adding up (the server refuses the same with 422). */
export function tallyProblems(questions: Pick<Question, 'id' | 'kind'>[], forms: number, counts: Counts): TallyProblem[] {
  const out: TallyProblem[] = [];
  for (const q of questions) {
    if (q.kind === 'text') continue;
    const row = counts[q.id] ?? {};
    let sum = 0;
    for (const x of Object.values(row)) {
      if (x === null || x === undefined || (x as unknown) === '') continue;
      const n = Number(x);
      if (!Number.isInteger(n)) out.push({ question: q.id, code: 'not_integer' });
      else if (n < 0) out.push({ question: q.id, code: 'negative' });
      else {
        sum += n;
        if (q.kind === 'multi' && n > forms) out.push({ question: q.id, code: 'option_exceeds' });
      }
    }
    if (q.kind !== 'multi' && sum > forms) out.push({ question: q.id, code: 'exceeds_forms' });
  }
  return out;
}

/** The counts to send: zeros and blanks left out, questions without counts left out. */
export function tallyCounts(counts: Counts): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [q, row] of Object.entries(counts)) {
    const kept = Object.entries(row).filter(([, n]) => Number(n) > 0);
    if (kept.length) out[q] = Object.fromEntries(kept.map(([k, n]) => [k, Number(n)]));
  }
  return out;
}

/** A new question for the editor, with an id not used yet. */
export function newQuestion(existing: Pick<Question, 'id'>[], kind: QuestionKind = 'likert5'): Question {
  let i = existing.length + 1;
  while (existing.some((q) => q.id === `q${i}`)) i++;
  const q: Question = { id: `q${i}`, kind, text: '', required: false };
  if (kind === 'single' || kind === 'multi') q.options = [{ id: 'a', text: '' }, { id: 'b', text: '' }];
  return q;
}

/** The next unused option id (`a`, `b`, … `z`, then `o27`…). */
export function nextOptionId(options: { id: string }[]): string {
  const used = new Set(options.map((o) => o.id));
  for (const c of 'abcdefghijklmnopqrstuvwxyz') if (!used.has(c)) return c;
  let i = 27;
  while (used.has(`o${i}`)) i++;
  return `o${i}`;
}

/** A question switched to another kind keeps its id and text; options only for choices. */
export function withKind(q: Question, kind: QuestionKind): Question {
  const out: Question = { ...q, kind };
  if (kind === 'single' || kind === 'multi') {
    out.options = q.options && q.options.length >= 2 ? q.options : [{ id: 'a', text: '' }, { id: 'b', text: '' }];
  } else {
    delete out.options;
  }
  if (kind !== 'likert5') delete out.overall;
  return out;
}

/** A tally as its audit entries keep it (the entry's summary, a correction's before/after). */
export interface TallySnapshot {
  forms?: number;
  collected_on?: string;
  note?: string;
  counts?: Record<string, Record<string, number>>;
}

/** One change of a tally correction, for its history. */
export type TallyChange =
  | { kind: 'forms' | 'collected_on' | 'note'; before: string; after: string }
  | { kind: 'count'; question: string; answer: string; before: number; after: number };

/**
 * What a tally correction changed: the number of forms, the date, the note, then every count
 * that changed (a missing count is 0), in the form's question and answer order (questions or
 * answers the form no longer has come last).
 */
export function tallyDiff(
  questions: Pick<Question, 'id' | 'kind' | 'options'>[],
  before: TallySnapshot | null | undefined,
  after: TallySnapshot | null | undefined,
): TallyChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const out: TallyChange[] = [];
  if (b.forms !== a.forms) out.push({ kind: 'forms', before: String(b.forms ?? ''), after: String(a.forms ?? '') });
  if ((b.collected_on ?? '') !== (a.collected_on ?? '')) out.push({ kind: 'collected_on', before: b.collected_on ?? '', after: a.collected_on ?? '' });
  // Older entries recorded no note: only a note on both sides can be compared.
  if (b.note !== undefined && a.note !== undefined && b.note !== a.note) out.push({ kind: 'note', before: b.note, after: a.note });
  const bc = b.counts ?? {};
  const ac = a.counts ?? {};
  const qids = [...questions.map((q) => q.id), ...Object.keys({ ...bc, ...ac }).filter((id) => !questions.some((q) => q.id === id)).sort()];
  for (const qid of qids) {
    const q = questions.find((x) => x.id === qid);
    const known = q ? choices(q).map((c) => c.id) : [];
    const keys = [...known, ...Object.keys({ ...(bc[qid] ?? {}), ...(ac[qid] ?? {}) }).filter((k) => !known.includes(k)).sort()];
    for (const k of keys) {
      const x = Number(bc[qid]?.[k] ?? 0);
      const y = Number(ac[qid]?.[k] ?? 0);
      if (x !== y) out.push({ kind: 'count', question: qid, answer: k, before: x, after: y });
    }
  }
  return out;
}

/** `text` cut to at most `max` characters at a word's end, with "…" when cut. */
function clip(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/**
 * The outbox's line for an answer captured in a village, by which the village head tells one
 * villager's form from another's: the day, how many questions were answered (`answered(n)`), the
 * person's own answers to the choice questions (at most two: "Nữ", "Từ 30 đến 49") and the start
 * of their comment — never the questions' codes. E.g. "07/12/2026 · 8 câu đã trả lời · Nữ ·
 * Từ 30 đến 49 · “Đường liên thôn cần…”".
 */
export function captureDetail(
  questions: Pick<Question, 'id' | 'kind' | 'options'>[],
  answers: AnswerInput[],
  day: string,
  answered: (n: number) => string,
): string {
  const byId = new Map(answers.map((a) => [a.question_id, a.value as unknown]));
  const chosen: string[] = [];
  let comment = '';
  for (const q of questions) {
    const v = byId.get(q.id);
    if (v === undefined) continue;
    if (q.kind === 'single' && chosen.length < 2) {
      const text = (q.options ?? []).find((o) => o.id === String(v))?.text;
      if (text) chosen.push(clip(text, 24));
    } else if (q.kind === 'text' && !comment && typeof v === 'string' && v.trim()) {
      comment = `“${clip(v, 28)}”`;
    }
  }
  return [day, answered(answers.length), ...chosen, comment].filter(Boolean).join(' · ');
}
