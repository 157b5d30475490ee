// The `evaluation` module: criteria sets, evaluations, the report and its annexes.
import { http } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import type { Lang } from '../../i18n/index.svelte';
import type { CreateCriteriaSet, ReportPeriod, Sections, Source, UpdateEvaluation } from '../../lib/api/schema';

export type {
  CriteriaSet,
  Criterion,
  CriterionResult,
  Evaluation,
  EvaluationDetail,
  EvaluationResult,
  Judgement,
  ReportPeriod,
  ReportView,
  Sections,
  Source,
  Threshold,
} from '../../lib/api/schema';

export const PERIODS: ReportPeriod[] = ['year', 'q1', 'q2', 'q3', 'q4', 'h1', 'h2'];

/** Every source a computed criterion can read (the server's `Source`). */
export const SOURCES: Source[] = [
  'plan_progress',
  'tasks_on_time',
  'onestop_on_time',
  'onestop_online',
  'index766',
  'satisfaction',
  'reception_sessions',
  'petitions_on_time',
  'disclosures_relayed',
  'dialogue_commitments',
  'activities_held',
];

/**
 * The longest texts the server takes (api/src/evaluation/service.rs: `update`, `check_sections`,
 * `re_evaluate`; criteria.rs: `check_judgements`), in characters: the inputs stop there.
 */
export const NUMBER_MAX = 60;
export const REASON_MAX = 2000;
export const JUDGED_TEXT_MAX = 4000;
export const SECTION_MAX: Record<keyof Sections, number> = {
  results: 20_000,
  shortcomings: 20_000,
  causes: 20_000,
  lessons: 20_000,
  directions: 20_000,
  recipients: 2_000,
  signer_title: 200,
  signer_name: 200,
};

export const getCriteriaSet = (id: number) => http.get('/criteria-sets/{id}', { path: { id } });
export const createCriteriaSet = (body: CreateCriteriaSet) => http.post('/criteria-sets', { body });

export const listEvaluations = () => http.get('/evaluations');
export const getEvaluation = (id: number) => http.get('/evaluations/{id}', { path: { id } });
export const createEvaluation = (plan_id: number) => http.post('/evaluations', { body: { plan_id } });
export const updateEvaluation = (id: number, body: UpdateEvaluation) =>
  http.patch('/evaluations/{id}', { path: { id }, body });
export const publishEvaluation = (id: number) => http.post('/evaluations/{id}/publish', { path: { id } });
export const reEvaluate = (id: number, reason: string) =>
  http.post('/evaluations/{id}/re-evaluate', { path: { id }, body: { reason } });
export const reportView = (id: number, period: ReportPeriod) =>
  http.get('/evaluations/{id}/report', { path: { id }, query: { period } });

/** A score or figure with up to two decimals, as the language writes it (the paper forms: Vietnamese). */
export function num(x: number | null | undefined, lang: Lang = 'vi'): string {
  if (x === null || x === undefined) return '–';
  return formatNumber(x, lang, 2);
}

/** "ngày 05 tháng 01 năm 2024" (Decree 30: a zero before days below 10 and months 1 and 2). */
export function dateWords(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const day = d < 10 ? `0${d}` : `${d}`;
  const month = m < 3 ? `0${m}` : `${m}`;
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/** dd/mm/yyyy of an ISO date. */
export function dmy(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** "về xây dựng …" from a plan title "Kế hoạch xây dựng …" (as the DOCX writes it). */
export function planSubject(title: string): string {
  const t = title.trim().replace(/\.+$/u, '');
  const m = /^(Kế hoạch|KẾ HOẠCH)\s*(?:về\s+)?(.*)$/u.exec(t);
  if (!m) return `về ${t}`;
  const rest = m[2];
  return `về ${rest.charAt(0).toLocaleLowerCase('vi')}${rest.slice(1)}`;
}
