// Calls of the one-stop and procedure screens (staff side, signed in).
import { api } from '../../lib/api';
import { ApiError, parseError, type Query } from '../../lib/api/client';
import type {
  ActionBody,
  Dossier,
  DossierDetail,
  DueResult,
  FlagChanges,
  FormData,
  ImportResult,
  NewDossier,
  PreviewDueBody,
  Procedure,
  ProcedureChanges,
  ProcedureInput,
  RegisterData,
} from './types';
import type { Page } from '../../lib/api/types';

export const listProcedures = (query: Query = {}) => api.get<Page<Procedure>>('/procedures', { query });
export const getProcedure = (id: number) => api.get<Procedure>(`/procedures/${id}`);
export const createProcedure = (p: ProcedureInput) => api.post<Procedure>('/procedures', p);
export const updateProcedure = (id: number, p: ProcedureChanges) => api.patch<Procedure>(`/procedures/${id}`, p);
/** The CSV goes as it is (text/csv), all or nothing; field errors name the line. */
export async function importProcedures(csv: string): Promise<ImportResult> {
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

export const createDossier = (body: NewDossier) => api.post<Dossier>('/dossiers', body);
export const previewDue = (body: PreviewDueBody, signal?: AbortSignal) =>
  api.post<DueResult>('/dossiers/preview-due', body, { signal });
export const listDossiers = (query: Query) => api.get<Page<Dossier>>('/dossiers', { query });
export const getDossier = (id: number) => api.get<DossierDetail>(`/dossiers/${id}`);
export const dossierAction = (id: number, body: ActionBody) =>
  api.post<DossierDetail>(`/dossiers/${id}/actions`, body);
export const updateFlags = (id: number, flags: FlagChanges) =>
  api.patch<DossierDetail>(`/dossiers/${id}`, flags);
export const getForm = (id: number, form: string) => api.get<FormData>(`/dossiers/${id}/forms/${form}`);
export const getRegister = (from: string, to: string) => api.get<RegisterData>('/dossiers/register', { query: { from, to } });
