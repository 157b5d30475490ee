// Shapes and calls of the one-stop statistics: indicators, the 766 index, online service
// levels, the board's yearly target, the dossier import and the exports. The shapes are the
// server's, from schema.d.ts (generated from openapi.yaml by `make openapi`).
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import { uploadForm, type UploadHooks } from '../../lib/api/files';
import type { AnswerOf } from '../../lib/api/typed';
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type ProcessingDays = S['ProcessingDays'];
export type Channels = S['Channels'];
/** One row of `GET /onestop/indicators`: the overall figures, or one group's. */
export type IndicatorRow = S['IndicatorRow'];
export type CommuneRef = S['CommuneRef'];
export type IndicatorReport = S['IndicatorReport'];
export type GroupBy = 'procedure' | 'field' | 'month' | 'commune';

export type Band = S['Band'];
export const BANDS: readonly Band[] = ['excellent', 'good', 'fair', 'average', 'weak'];
/** One part of a composite indicator (3.x, 3.5): A, B, C of the formula. */
export type IndexPart = S['IndexPart'];
/** An indicator: `name` is Vietnamese, `name_en` English; `reason_code` is what the app translates. */
export type IndexIndicator = S['IndexIndicator'];
export type CommuneIndex = S['CommuneIndex'];
/** Sums over the applicable indicators only; `percent` is total / max × 100. */
export type Index766 = S['Index766'];

export type Target = S['Target'];
export type PutTarget = S['PutTarget'];
export type LevelCounts = S['LevelCounts'];
export type ProcedureLevel = S['ProcedureLevel'];
export type OnlineLevels = S['OnlineLevels'];

/** `POST /onestop/import` when every row was accepted. */
export type ImportSummary = S['ImportSummary'];
/** A commune as `GET /communes` lists it (oversight: those under their authority). */
export type Commune = S['Commune'];

export interface StatsScope {
  from: string;
  to: string;
  /** Oversight: one commune; absent = every commune under their authority, summed. */
  commune_id?: number | null;
}

function scopeQuery(s: StatsScope): Query {
  return { from: s.from, to: s.to, commune_id: s.commune_id ?? undefined };
}

export const getIndicators = (scope: StatsScope, group_by?: GroupBy, signal?: AbortSignal) =>
  http.get('/onestop/indicators', { query: { ...scopeQuery(scope), group_by }, signal });
export const getIndex766 = (scope: StatsScope, signal?: AbortSignal) =>
  http.get('/onestop/index766', { query: scopeQuery(scope), signal });
export const getOnlineLevels = (year: number, commune_id?: number | null, signal?: AbortSignal) =>
  http.get('/onestop/online-levels', { query: { year, commune_id: commune_id ?? undefined }, signal });
export const putTarget = (year: number, body: PutTarget) =>
  http.put('/onestop/targets/{year}', { path: { year }, body });
export const listCommunes = () => http.get('/communes');

/**
 * Uploads a province export (CSV or XLSX, multipart `file`) with upload progress. All or nothing:
 * 200 with the counts, or 422 `validation_failed` whose errors name `rows[N].Column`.
 */
export function importDossiers(file: File, hooks: UploadHooks = {}): Promise<AnswerOf<'/onestop/import', 'post'>> {
  const form = new FormData();
  form.append('file', file, file.name);
  return uploadForm<AnswerOf<'/onestop/import', 'post'>>('/onestop/import', form, hooks);
}
