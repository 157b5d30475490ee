// Shapes of the notifications module, taken from schema.d.ts (generated from the server's openapi.yaml).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type Notification = S['Notification'];
export type NotificationKind = S['NotificationKind'];
export type DeliveryMode = S['DeliveryMode'];
export type Preferences = S['Preferences'];
export type SchedulerStatus = S['SchedulerStatus'];
export type SchedulerRun = S['SchedulerRun'];

export const KINDS: readonly NotificationKind[] = [
  'task_due',
  'task_overdue',
  'dossier_due_today',
  'dossier_apology_due',
  'dossier_overdue',
  'petition_due',
  'petition_overdue',
  'relay_missing',
  'commitment_due',
  'survey_ending',
];
export const MODES: readonly DeliveryMode[] = ['digest', 'immediate', 'off'];
