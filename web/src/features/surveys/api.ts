// The `surveys` module: campaigns, forms, paper entry, tallies, village capture, results.
import { http } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import type { Lang } from '../../i18n/index.svelte';
import type { AnswerOf } from '../../lib/api/typed';
import type { components } from '../../lib/api/schema';

export type Survey = AnswerOf<'/surveys/{id}', 'get'>;
export type SurveyItem = components['schemas']['Survey'];
export type Results = AnswerOf<'/surveys/{id}/results', 'get'>;
/** `group_by` of the results (an inline enum of the query, so not a named schema). */
export type GroupBy = 'procedure' | 'field' | 'unit' | 'channel' | 'timeliness' | 'month' | 'village';
export type CreateSurvey = components['schemas']['CreateSurvey'];
export type Form = components['schemas']['Form'];
export type Question = components['schemas']['Question'];
export type QuestionKind = components['schemas']['QuestionKind'];
export type Channel = components['schemas']['Channel'];
export type SurveyTarget = components['schemas']['SurveyTarget'];
export type AnswerInput = components['schemas']['AnswerInput'];
export type ResponseOut = components['schemas']['ResponseOut'];
export type Tally = components['schemas']['Tally'];
export type TallyInput = components['schemas']['TallyInput'];
export type EnteredResponse = components['schemas']['EnteredResponse'];
export type TallyDetail = components['schemas']['TallyDetail'];

export const listSurveys = () => http.get('/surveys', { query: { per_page: 100 } });
export const listForms = () => http.get('/survey-forms');
export const getForm = (id: number) => http.get('/survey-forms/{id}', { path: { id } });
export const createForm = (body: components['schemas']['CreateForm']) => http.post('/survey-forms', { body });
export const updateForm = (id: number, body: components['schemas']['UpdateForm']) =>
  http.patch('/survey-forms/{id}', { path: { id }, body });
export const getSurvey = (id: number) => http.get('/surveys/{id}', { path: { id } });
export const createSurvey = (body: CreateSurvey) => http.post('/surveys', { body });
export const updateSurvey = (id: number, body: components['schemas']['UpdateSurvey']) =>
  http.patch('/surveys/{id}', { path: { id }, body });
export const getResults = (id: number, query: Record<string, string>) =>
  http.get('/surveys/{id}/results', { path: { id }, query });
export const enterResponse = (id: number, body: components['schemas']['StaffResponseInput']) =>
  http.post('/surveys/{id}/responses', { path: { id }, body });
export const correctResponse = (id: number, rid: number, answers: AnswerInput[]) =>
  http.put('/surveys/{id}/responses/{response_id}', { path: { id, response_id: rid }, body: { answers } });
export const listEntered = (id: number) => http.get('/surveys/{id}/responses', { path: { id }, query: { per_page: 50 } });
export const getEntered = (id: number, rid: number) =>
  http.get('/surveys/{id}/responses/{response_id}', { path: { id, response_id: rid } });
export const listTallies = (id: number) => http.get('/surveys/{id}/tallies', { path: { id } });
export const createTally = (id: number, body: TallyInput) => http.post('/surveys/{id}/tallies', { path: { id }, body });
export const getTally = (id: number, tid: number) =>
  http.get('/surveys/{id}/tallies/{tally_id}', { path: { id, tally_id: tid } });
export const updateTally = (id: number, tid: number, body: TallyInput) =>
  http.put('/surveys/{id}/tallies/{tally_id}', { path: { id, tally_id: tid }, body });

/** A share (0–1) as a percentage with one decimal in the language's style, or the suppression text. */
export function percent(v: number | null | undefined, insufficient: string, lang: Lang = 'vi'): string {
  return v === null || v === undefined ? insufficient : `${formatNumber(v * 100, lang, 1)}%`;
}

/** A mean answer (1–5) with up to two decimals in the language's style; '–' when there is none. */
export function mean(v: number | null | undefined, lang: Lang): string {
  return v === null || v === undefined ? '–' : formatNumber(v, lang, 2);
}
