// Shapes of petitions and reception, taken from schema.d.ts (generated from the server's openapi.yaml).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type Petition = S['Petition'];
export type PetitionDetail = S['PetitionDetail'];
export type PetitionAction = S['PetitionAction'];
export type PetitionActionBody = S['PetitionActionBody'];
export type ClockView = S['ClockView'];
export type PetitionEvent = S['PetitionEvent'];
export type PetitionDocument = S['PetitionDocument'];
export type PetitionRegister = S['PetitionRegister'];
export type PetitionHandler = S['PetitionHandler'];
export type CreatePetition = S['CreatePetition'];
export type Identity = S['Identity'];
export type ReceptionSession = S['ReceptionSession'];
export type CreateSession = S['CreateSession'];
export type Visit = S['Visit'];
export type CreateVisit = S['CreateVisit'];
export type UpdateVisit = S['UpdateVisit'];
export type VisitRegister = S['VisitRegister'];
export type Compliance = S['Compliance'];
export type ComplianceWeek = S['ComplianceWeek'];

export const KINDS = ['recommendation', 'feedback', 'complaint', 'denunciation', 'other'] as const;
export const STATUSES = [
  'received',
  'accepted',
  'refused',
  'forwarded',
  'assigned',
  'investigating',
  'concluded',
  'published',
  'notified',
  'closed',
  'withdrawn',
] as const;
export const VIEWS = ['open', 'due_soon', 'overdue', 'mine'] as const;
export const DOCUMENTS = ['acceptance', 'refusal', 'forwarding', 'extension'] as const;
export type DocumentKind = (typeof DOCUMENTS)[number];
