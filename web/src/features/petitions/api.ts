// Calls of petitions (`/api/v1/petitions…`) and reception (`/api/v1/reception/…`).
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import { authedFetch } from '../../lib/api/files';
import type { CreateSession, CreateVisit, PetitionActionBody, UpdateSession, UpdateVisit } from './types';

export const listPetitions = (query: Query = {}) => http.get('/petitions', { query });
export const getPetition = (id: number | string) => http.get('/petitions/{id}', { path: { id } });
export const actOnPetition = (id: number | string, body: PetitionActionBody) =>
  http.post('/petitions/{id}/actions', { path: { id }, body });
export const petitionHandlers = () => http.get('/petitions/handlers');
/** The one way to read a denouncer's identity: the server audits it with the reason. */
export const readIdentity = (id: number | string, reason: string) =>
  http.get('/petitions/{id}/identity', { path: { id }, query: { reason } });
export const petitionDocument = (id: number | string, document: string) =>
  http.get('/petitions/{id}/documents/{document}', { path: { id, document } });
export const petitionRegister = (from: string, to: string) => http.get('/petitions/register', { query: { from, to } });

export const listSessions = (query: Query = {}) => http.get('/reception/sessions', { query });
export const createSession = (body: CreateSession) => http.post('/reception/sessions', { body });
export const markSessionHeld = (id: number) => http.patch('/reception/sessions/{id}', { path: { id }, body: { status: 'held' } });
export const updateSession = (id: number, body: UpdateSession) =>
  http.patch('/reception/sessions/{id}', { path: { id }, body });
export const deleteSession = (id: number) => http.del('/reception/sessions/{id}', { path: { id } });
export const listVisits = (id: number | string) => http.get('/reception/sessions/{id}/visits', { path: { id } });
export const createVisit = (id: number | string, body: CreateVisit) => http.post('/reception/sessions/{id}/visits', { path: { id }, body });
export const updateVisit = (id: number, body: UpdateVisit) => http.put('/reception/visits/{id}', { path: { id }, body });
export const deleteVisit = (id: number) => http.del('/reception/visits/{id}', { path: { id } });
export const visitRegister = (query: Query) => http.get('/reception/visits', { query });
export const compliance = (from: string, to: string) => http.get('/reception/compliance', { query: { from, to } });

/** A citizen's photo as a blob: URL (the API wants the bearer token). */
export async function photoUrl(url: string): Promise<string> {
  const res = await authedFetch(url.replace(/^\/api\/v1/, ''));
  return URL.createObjectURL(await res.blob());
}
