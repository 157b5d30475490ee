// Calls of the plans module (`/api/v1/plans…`, `/tasks…`, `/attachments…`).
import { ApiError, http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import type {
  Attachment,
  BulkResult,
  CreateArea,
  CreatePlan,
  CreateStep,
  CreateTask,
  PlanDocument,
  ProgressReport,
  UpdateArea,
  UpdatePlan,
  UpdateStep,
  UpdateTask,
} from './types';
import { authedFetch, downloadFile, uploadForm } from '../../lib/api/files';
import { allPages } from '../../lib/api/pages';
import type { AnswerOf } from '../../lib/api/typed';
import type { FormPart } from '../../lib/offline/outbox';

export const listPlans = (query: Query = {}) => http.get('/plans', { query });
export const getPlan = (id: number | string) => http.get('/plans/{id}', { path: { id } });
export const createPlan = (body: CreatePlan) => http.post('/plans', { body });
export const updatePlan = (id: number, body: UpdatePlan) => http.patch('/plans/{id}', { path: { id }, body });
/** A plan document read from a file, unchecked: the server validates it (422 with the fields at fault). */
export const importPlan = (json: unknown) => http.post('/plans/import', { body: json as PlanDocument });

export const createArea = (planId: number, body: CreateArea) => http.post('/plans/{id}/areas', { path: { id: planId }, body });
export const updateArea = (id: number, body: UpdateArea) => http.patch('/areas/{id}', { path: { id }, body });
export const createStep = (planId: number, body: CreateStep) => http.post('/plans/{id}/steps', { path: { id: planId }, body });
export const updateStep = (id: number, body: UpdateStep) => http.patch('/steps/{id}', { path: { id }, body });

export const listTasks = (planId: number | string, query: Query = {}) =>
  http.get('/plans/{id}/tasks', { path: { id: planId }, query });
/** The tasks of every active plan of the commune (a village head: their village's). */
export const listActiveTasks = (query: Query = {}) => http.get('/tasks', { query });
/** The commune's active plans (a commune has a few: one a year, and an extra one now and then). */
export const listActivePlans = () => listPlans({ status: 'active', per_page: 100 });
/** All the tasks of a plan (the editor and the printed plan show them all). */
export const listAllTasks = (planId: number | string) => allPages((page) => listTasks(planId, { page, per_page: 200 }), 50);
/** A plan and all its tasks, read one after the other. */
export async function getPlanWithTasks(planId: number | string) {
  const plan = await getPlan(planId);
  return { plan, tasks: await listAllTasks(planId) };
}
export const createTask = (planId: number, body: CreateTask) => http.post('/plans/{id}/tasks', { path: { id: planId }, body });
export const getTask = (id: number | string) => http.get('/tasks/{id}', { path: { id } });
export const updateTask = (id: number, body: UpdateTask) => http.patch('/tasks/{id}', { path: { id }, body });
/** Posts a comment; `key` is its id on the phone, the same one the outbox sends if it must wait. */
export const addComment = (taskId: number, text: string, key?: string) =>
  http.post('/tasks/{id}/comments', { path: { id: taskId }, body: { text }, idempotencyKey: key });

export { downloadFile };

/** An attachment as a blob: URL (the API wants the bearer token, so an <img src> cannot fetch it). */
export async function attachmentUrl(att: Pick<Attachment, 'id'>, signal?: AbortSignal): Promise<string> {
  const res = await authedFetch(`/attachments/${att.id}`, { signal });
  return URL.createObjectURL(await res.blob());
}

/** Uploads a CSV of (task id, status, progress, note): all rows applied, or none with per-row errors. */
export async function bulkProgress(planId: number, file: File): Promise<AnswerOf<'/plans/{id}/bulk-progress', 'post'>> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await authedFetch(`/plans/${planId}/bulk-progress`, {
    method: 'POST',
    body: form,
    headers: { Accept: 'application/json' },
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : { applied: 0 }) as BulkResult;
}

export interface ReportInput {
  text: string;
  progress: number;
  files: File[];
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Thrown when the phone is known to be offline before anything is sent. */
export class OfflineError extends Error {
  constructor() {
    super('offline');
    this.name = 'OfflineError';
  }
}

/** No network, or the server failed: a write worth keeping in the outbox rather than losing. */
export function worthQueueing(err: unknown): boolean {
  return err instanceof OfflineError || (err instanceof ApiError && (err.status === 0 || err.status >= 500 || err.code === 'network'));
}

/**
 * The multipart parts of a report, as the outbox stores them (photos as Blobs), with the time it
 * was written (`written_at`, now): sent later, it is dated then, and a task the board marked done
 * meanwhile stays done.
 */
export function reportParts(input: ReportInput, writtenAt: Date = new Date()): FormPart[] {
  return [
    { name: 'text', value: input.text },
    { name: 'progress', value: String(input.progress) },
    { name: 'written_at', value: writtenAt.toISOString() },
    ...input.files.map((f) => ({ name: 'files', blob: f as Blob, fileName: f.name })),
  ];
}

/**
 * Posts a progress report as multipart (`text`, `progress`, `files`…) with upload progress, which
 * fetch cannot report. Fails fast with OfflineError when the phone says it has no network.
 * `key` is the report's client id (`Idempotency-Key`): sent again, it returns the first report.
 */
export async function postReport(
  taskId: number,
  input: ReportInput,
  onProgress: (sent: number, total: number) => void = () => {},
  signal?: AbortSignal,
  key?: string,
): Promise<AnswerOf<'/tasks/{id}/reports', 'post'>> {
  if (isOffline()) throw new OfflineError();
  const form = new FormData();
  form.append('text', input.text);
  form.append('progress', String(input.progress));
  for (const f of input.files) form.append('files', f, f.name);
  try {
    return await uploadForm<ProgressReport>(`/tasks/${taskId}/reports`, form, { onProgress, signal, idempotencyKey: key });
  } catch (err) {
    // The request never reached the server and the phone now says it is offline.
    if (err instanceof ApiError && err.status === 0 && isOffline()) throw new OfflineError();
    throw err;
  }
}
