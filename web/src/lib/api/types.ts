// Shapes of the /api/v1 resources the SPA uses, taken from schema.d.ts, which
// `npm run gen:api` generates from ../../../../openapi.yaml (the server's own description).
import type { components } from './schema';

type S = components['schemas'];

export type Role = S['Role'];
export type UnitKind = S['UnitKind'];
export type Permission = S['Permission'];
export type SystemInfo = S['SystemInfo'];
export type TokenUser = S['TokenUser'];
export type TokenResponse = S['TokenResponse'];
export type MfaChallengeResponse = S['MfaChallengeResponse'];
export type Me = S['Me'];
export type Unit = S['Unit'];
export type CreateUnit = S['CreateUnit'];
export type UpdateUnit = S['UpdateUnit'];
export type User = S['User'];
export type CreateUser = S['CreateUser'];
export type UpdateUser = S['UpdateUser'];
export type AuditEntry = S['AuditEntry'];
export type FieldError = S['FieldError'];
/** A problem+json body; every member optional, since a proxy in between may answer instead. */
export type Problem = Partial<S['Problem']>;

/** A page of a list (`Page_User`, `Page_Unit`, … in the schema). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

/** Every value of a string union, checked both ways: a value missing here is a compile error. */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)) => values;
}

export const ROLES = allOf<Role>()(['admin', 'board', 'ubnd', 'front', 'village', 'oversight']);

export const UNIT_KINDS = allOf<UnitKind>()([
  'board',
  'people_committee',
  'front',
  'union',
  'village',
  'inspection_board',
  'investment_supervision_board',
  'school',
  'health_station',
  'other',
]);

export const PERMISSIONS = allOf<Permission>()([
  'manage_users',
  'manage_units',
  'manage_settings',
  'read_units',
  'read_audit',
  'edit_plans',
  'report_tasks',
  'read_plans',
  'manage_procedures',
  'process_dossiers',
  'read_dossiers',
  'read_personal_data',
  'read_statistics',
  'run_surveys',
  'handle_reception',
  'manage_disclosures',
  'evaluate',
  'read_communes',
  'set_targets',
  'import_dossiers',
  'manage_calendar_defaults',
  'manage_api_keys',
  'read_democracy',
  'relay_disclosures',
  'process_petitions',
  'submit_petitions',
  'capture_survey_answers',
  'read_evaluations',
]);
