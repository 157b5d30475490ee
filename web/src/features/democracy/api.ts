// Calls of the democracy module (`/api/v1/disclosures…`, `/disclosure-items`, `/democracy/…`).
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import { authedFetch } from '../../lib/api/files';
import type { FormPart } from '../../lib/offline/outbox';
import { shrinkPhoto } from '../plans/image';
import type { CreateDisclosure, DemocracyFile } from './types';

export const listItems = () => http.get('/disclosure-items');
export const listDisclosures = (query: Query = {}) => http.get('/disclosures', { query });
export const getDisclosure = (id: number | string) => http.get('/disclosures/{id}', { path: { id } });
export const createDisclosure = (body: CreateDisclosure) => http.post('/disclosures', { body });
export const disclosureAlerts = () => http.get('/disclosures/alerts');
export const listUnits = (query: Query = {}) => http.get('/units', { query });

/** A village head's confirmation as outbox form parts: photos shrunk on the phone (long side
 * ≤ 1600 px, JPEG) so a queued confirmation stays small. */
export async function relayParts(input: { relayedOn: string; note: string; files: File[] }): Promise<FormPart[]> {
  const parts: FormPart[] = [
    { name: 'relayed_on', value: input.relayedOn },
    { name: 'note', value: input.note },
  ];
  for (const f of input.files) {
    const small = await shrinkPhoto(f).catch(() => f);
    parts.push({ name: 'files', blob: small, fileName: small instanceof File ? small.name : f.name });
  }
  return parts;
}

/** Attaches the disclosed document (public) or evidence of the posting. */
export async function postFiles(id: number, kind: 'document' | 'evidence', files: File[]): Promise<DemocracyFile[]> {
  const form = new FormData();
  form.append('kind', kind);
  for (const f of files) form.append('files', f, f.name);
  const res = await authedFetch(`/disclosures/${id}/files`, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
  return (await res.json()) as DemocracyFile[];
}

/** A staff-only file as a blob: URL (the API wants the bearer token). */
export async function fileUrl(url: string): Promise<string> {
  const res = await authedFetch(url.replace(/^\/api\/v1/, ''));
  return URL.createObjectURL(await res.blob());
}

export const listDialogues = (query: Query = {}) => http.get('/dialogues', { query });
export const listCommitments = (query: Query = {}) => http.get('/commitments', { query });
