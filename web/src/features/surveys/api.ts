// The `surveys` module: campaigns, forms, results.
import { http } from '../../lib/api';
import type { AnswerOf } from '../../lib/api/typed';
import type { components } from '../../lib/api/schema';

export type Survey = AnswerOf<'/surveys/{id}', 'get'>;
export type Results = AnswerOf<'/surveys/{id}/results', 'get'>;
/** `group_by` of the results (an inline enum of the query, so not a named schema). */
export type GroupBy = 'procedure' | 'field' | 'unit' | 'channel' | 'timeliness' | 'month' | 'village';
export type CreateSurvey = components['schemas']['CreateSurvey'];

export const listSurveys = () => http.get('/surveys', { query: { per_page: 100 } });
export const listForms = () => http.get('/survey-forms');
export const getSurvey = (id: number) => http.get('/surveys/{id}', { path: { id } });
export const createSurvey = (body: CreateSurvey) => http.post('/surveys', { body });
export const getResults = (id: number, query: Record<string, string>) =>
  http.get('/surveys/{id}/results', { path: { id }, query });

/** A share (0–1) as a percentage with one decimal, or the suppression text. */
export function percent(v: number | null | undefined, insufficient: string): string {
  return v === null || v === undefined ? insufficient : `${(Math.round(v * 1000) / 10).toLocaleString('vi-VN')}%`;
}
