// Shapes of the one-stop resources of /api/v1, from schema.d.ts (generated from the
// server's openapi.yaml by `make openapi`).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type LimitUnit = S['LimitUnit'];
export type OnlineLevel = S['OnlineLevel'];
export type ResultKind = S['ResultKind'];
export type OnlineLevelEntry = S['OnlineLevelEntry'];
export type Procedure = S['Procedure'];
export type CreateProcedure = S['CreateProcedure'];
export type UpdateProcedure = S['UpdateProcedure'];
export type ImportResult = S['ImportResult'];

export type Applicant = S['Applicant'];
export type DossierEvent = S['DossierEvent'];
export type DossierFlags = S['DossierFlags'];
export type Dossier = S['Dossier'];
export type DossierDetail = S['DossierDetail'];
export type Timeliness = S['Timeliness'];
export type Action = S['Action'];
export type CreateDossier = S['CreateDossier'];
export type PreviewDue = S['PreviewDue'];
export type ActionBody = S['ActionBody'];
export type UpdateFlags = S['UpdateFlags'];
export type FormHeader = S['FormHeader'];
export type FormData = S['FormData'];
export type RegisterRow = S['RegisterRow'];
export type RegisterData = S['RegisterData'];

export type PublicDossier = S['PublicDossier'];
export type PublicProcedure = S['PublicProcedure'];
export type PublicCatalogue = S['PublicCatalogue'];

export type DueResult = S['DueResult'];

export type CounterKind = S['CounterKind'];
export type CounterRecord = S['CounterRecord'];
export type CounterFormData = S['CounterFormData'];
export type CreateCounterRecord = S['CreateCounterRecord'];
