// The `oversight` page's calls: the aggregates the province (role `oversight`) may read across
// the communes it oversees — counts only, never a name or a person's data.
import { http } from '../../lib/api';
import type { components } from '../../lib/api/schema';

export type SurveyAggregates = components['schemas']['SurveyAggregates'];
export type CommuneSatisfaction = components['schemas']['CommuneSatisfaction'];
export type CommuneDemocracyCounts = components['schemas']['CommuneDemocracyCounts'];
export type PetitionFigures = components['schemas']['PetitionFigures'];
export type Commune = components['schemas']['Commune'];

export interface Period {
  from: string;
  to: string;
}

export const listCommunes = () => http.get('/communes');

/** Answered forms and the satisfaction index per commune and in total (`commune_id`: one commune). */
export const getSurveyAggregates = (p: Period, commune_id: number | null, signal?: AbortSignal) =>
  http.get('/survey-aggregates', { query: { from: p.from, to: p.to, commune_id: commune_id ?? undefined }, signal });

/** Democracy counts, one line per commune the caller sees. */
export const getDemocracyOversight = (p: Period, signal?: AbortSignal) =>
  http.get('/democracy/oversight', { query: { from: p.from, to: p.to }, signal });

/** Petition and reception figures summed over the caller's communes, or one (`commune_id`). */
export const getPetitionFigures = (p: Period, commune_id: number | null, signal?: AbortSignal) =>
  http.get('/petitions/figures', { query: { from: p.from, to: p.to, commune_id: commune_id ?? undefined }, signal });

/** The same figures for each commune overseen, apart, in one request. */
export const getPetitionFiguresByCommune = (p: Period, signal?: AbortSignal) =>
  http.get('/petitions/figures/by-commune', { query: { from: p.from, to: p.to }, signal });
