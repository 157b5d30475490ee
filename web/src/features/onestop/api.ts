// Calls of the one-stop and procedure screens (staff side, signed in).
import { api, http } from '../../lib/api';
import { ApiError, parseError, type Query } from '../../lib/api/client';
import type { AnswerOf } from '../../lib/api/typed';
import type {
  ActionBody,
  CreateCounterRecord,
  CreateDossier,
  CreateProcedure,
  ImportResult,
  PreviewDue,
  ProcedureDetailsInput,
  UpdateFlags,
  UpdateProcedure,
} from './types';

export const listProcedures = (query: Query = {}) => http.get('/procedures', { query });
export const getProcedure = (id: number) => http.get('/procedures/{id}', { path: { id } });
export const createProcedure = (p: CreateProcedure) => http.post('/procedures', { body: p });
export const updateProcedure = (id: number, p: UpdateProcedure) => http.patch('/procedures/{id}', { path: { id }, body: p });
/** What the procedure's citizen page shows beyond the catalogue row, as stored. */
export const getProcedureDetails = (id: number) => http.get('/procedures/{id}/details', { path: { id } });
/** Saves it; answers it as stored. */
export const putProcedureDetails = (id: number, body: ProcedureDetailsInput) =>
  http.put('/procedures/{id}/details', { path: { id }, body });
/** The CSV goes as it is (text/csv), all or nothing; field errors name the line. */
export async function importProcedures(csv: string): Promise<AnswerOf<'/procedures/import', 'post'>> {
  const headers: Record<string, string> = { 'Content-Type': 'text/csv; charset=utf-8', Accept: 'application/json' };
  const token = api.bearer();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch('/api/v1/procedures/import', { method: 'POST', headers, body: csv, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as ImportResult;
}

export const createDossier = (body: CreateDossier) => http.post('/dossiers', { body });
export const previewDue = (body: PreviewDue, signal?: AbortSignal) =>
  http.post('/dossiers/preview-due', { body, signal });
export const listDossiers = (query: Query) => http.get('/dossiers', { query });
export const getDossier = (id: number) => http.get('/dossiers/{id}', { path: { id } });
export const dossierAction = (id: number, body: ActionBody) =>
  http.post('/dossiers/{id}/actions', { path: { id }, body });
export const updateFlags = (id: number, flags: UpdateFlags) =>
  http.patch('/dossiers/{id}', { path: { id }, body: flags });
export const getForm = (id: number, form: string) => http.get('/dossiers/{id}/forms/{form}', { path: { id, form } });
export const getRegister = (from: string, to: string) => http.get('/dossiers/register', { query: { from, to } });

/** Counter guidance (form 02) or refusal (form 03): a record, not a dossier. */
export const createCounterRecord = (body: CreateCounterRecord) => http.post('/onestop/counter-records', { body });
export const listCounterRecords = (query: Query) => http.get('/onestop/counter-records', { query });
export const getCounterForm = (id: number) => http.get('/onestop/counter-records/{id}/form', { path: { id } });
