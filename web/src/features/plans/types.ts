// Shapes of the plans module, taken from schema.d.ts (generated from the server's openapi.yaml).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type PlanStatus = S['PlanStatus'];
export type TaskStatus = S['TaskStatus'];
export type Cadence = S['Cadence'];
export type LegalBasis = S['LegalBasis'];
export type Plan = S['Plan'];
export type ContentArea = S['ContentArea'];
export type Step = S['Step'];
export type Period = S['Period'];
export type Task = S['Task'];
export type Attachment = S['Attachment'];
export type ProgressReport = S['ProgressReport'];
export type Comment = S['Comment'];
export type HistoryEntry = S['HistoryEntry'];
export type TaskDetail = S['TaskDetail'];
export type PlanUnit = S['PlanUnit'];
export type Rollup = S['Rollup'];
export type PlanDetail = S['PlanDetail'];
export type BulkResult = S['BulkResult'];
export type PlanDocument = S['PlanDocument'];
export type CreatePlan = S['CreatePlan'];
export type UpdatePlan = S['UpdatePlan'];
export type CreateArea = S['CreateArea'];
export type UpdateArea = S['UpdateArea'];
export type CreateStep = S['CreateStep'];
export type UpdateStep = S['UpdateStep'];
export type CreateTask = S['CreateTask'];
export type UpdateTask = S['UpdateTask'];

/** Every value of a string union, checked both ways: a value missing here is a compile error. */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)) => values;
}

export const PLAN_STATUSES = allOf<PlanStatus>()(['draft', 'active', 'closed']);
export const TASK_STATUSES = allOf<TaskStatus>()(['not_started', 'in_progress', 'done', 'cancelled']);
export const CADENCES = allOf<Cadence>()(['weekly', 'monthly', 'quarterly']);
