// Calls of the democracy module (`/api/v1/disclosures…`, `/disclosure-items`, `/democracy/…`).
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import { authedFetch } from '../../lib/api/files';
import { allPages } from '../../lib/api/pages';
import type { FormPart } from '../../lib/offline/outbox';
import { shrinkPhoto } from '../plans/image';
import type {
  ActivityInput,
  CommitmentToTask,
  CorrectItem,
  CreateCommitment,
  CreateCommitmentReport,
  CreateDecision,
  CreateDecisionReport,
  CreateDialogue,
  CreateDisclosure,
  CreateSupervision,
  DecisionToTask,
  DemocracyFile,
  MeetingInput,
  RespondRecommendation,
  SupervisionInput,
} from './types';

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
export const getDialogue = (id: number | string) => http.get('/dialogues/{id}', { path: { id } });
export const createDialogue = (body: CreateDialogue) => http.post('/dialogues', { body });
export const updateDialogue = (id: number, body: CreateDialogue) => http.put('/dialogues/{id}', { path: { id }, body });
export const correctCommitment = (id: number, body: CorrectItem) => http.patch('/commitments/{id}', { path: { id }, body });
export const addCommitment = (id: number, body: CreateCommitment) => http.post('/dialogues/{id}/commitments', { path: { id }, body });
export const reportCommitment = (id: number, body: CreateCommitmentReport) => http.post('/commitments/{id}/reports', { path: { id }, body });
export const commitmentToTask = (id: number, body: CommitmentToTask) => http.post('/commitments/{id}/task', { path: { id }, body });

export const listActivities = (query: Query = {}) => http.get('/activities', { query });
export const getActivity = (id: number | string) => http.get('/activities/{id}', { path: { id } });
export const createActivity = (body: ActivityInput) => http.post('/activities', { body });
export const updateActivity = (id: number, body: ActivityInput) => http.put('/activities/{id}', { path: { id }, body });
export const taskActivities = (id: number | string) => http.get('/tasks/{id}/activities', { path: { id } });

export const listMeetings = (query: Query = {}) => http.get('/meetings', { query });
export const getMeeting = (id: number | string) => http.get('/meetings/{id}', { path: { id } });
export const createMeeting = (body: MeetingInput) => http.post('/meetings', { body });
export const addDecision = (id: number, body: CreateDecision) => http.post('/meetings/{id}/decisions', { path: { id }, body });
export const updateMeeting = (id: number, body: MeetingInput) => http.put('/meetings/{id}', { path: { id }, body });
export const correctDecision = (id: number, body: CorrectItem) => http.patch('/decisions/{id}', { path: { id }, body });
export const listDecisions = (query: Query = {}) => http.get('/decisions', { query });
export const reportDecision = (id: number, body: CreateDecisionReport) => http.post('/decisions/{id}/reports', { path: { id }, body });
export const decisionToTask = (id: number, body: DecisionToTask) => http.post('/decisions/{id}/task', { path: { id }, body });

export const listBoards = () => http.get('/community-boards');
export const listSupervisions = (query: Query = {}) => http.get('/supervisions', { query });
export const createSupervision = (body: CreateSupervision) => http.post('/supervisions', { body });
export const updateSupervision = (id: number, body: SupervisionInput) => http.put('/supervisions/{id}', { path: { id }, body });
export const respondRecommendation = (id: number, body: RespondRecommendation) =>
  http.put('/recommendations/{id}/response', { path: { id }, body });

/** Uploads files to one of the democracy records' file endpoints (`/activities/7/photos`, …). */
export async function upload(path: string, files: File[]): Promise<unknown> {
  const form = new FormData();
  for (const f of files) {
    const small = await shrinkPhoto(f).catch(() => f);
    form.append('files', small, small.name);
  }
  const res = await authedFetch(path, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
  return res.json();
}

/** The commune's current plan: the latest active one (null when none is active). */
async function currentPlanId(): Promise<number | null> {
  const plans = await http.get('/plans', { query: { status: 'active', per_page: 50 } });
  const plan = [...plans.items].sort((a, b) => b.year - a.year || b.id - a.id)[0];
  return plan?.id ?? null;
}

/** A plan's content areas. */
async function planAreas(id: number): Promise<{ id: number; title: string }[]> {
  const detail = await http.get('/plans/{id}', { path: { id } });
  return detail.content_areas.map((a) => ({ id: a.id, title: a.title }));
}

/** The content areas of the commune's current plan, for "make a task". */
export async function currentAreas(): Promise<{ id: number; title: string }[]> {
  const id = await currentPlanId();
  return id === null ? [] : planAreas(id);
}

/** A task of the current plan, as a record that fulfils it picks it. */
export interface PlanTaskChoice {
  id: number;
  title: string;
  content_area_id: number;
  position: number;
}

/** The current plan's content areas and its tasks in the plan's order, for a record that
 * carries out one of them (the plan is looked up once). */
export async function currentPlanWork(): Promise<{ areas: { id: number; title: string }[]; tasks: PlanTaskChoice[] }> {
  const id = await currentPlanId();
  if (id === null) return { areas: [], tasks: [] };
  const [areas, tasks] = await Promise.all([
    planAreas(id),
    allPages((page) => http.get('/plans/{id}/tasks', { path: { id }, query: { page, per_page: 200 } }), 20),
  ]);
  return { areas, tasks: tasks.map((t) => ({ id: t.id, title: t.title, content_area_id: t.content_area_id, position: t.position })) };
}

/** Where a village head's copy of a notice is kept for reading offline (lib/offline/reads). */
export const disclosureKey = (userId: number, id: number | string) => `disclosure:${userId}:${id}`;
