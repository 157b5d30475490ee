// The whole dictionary, shell and features, in both languages: its TYPE is what `t()` accepts
// (import it with `import type` only — at run time each part loads with its feature's pages, see
// ./index.svelte.ts); tests use the values to check both languages and to register everything.
import type { Translation } from './types';
import { vi as shellVi } from './vi';
import { en as shellEn } from './en';
import { vi as auditVi } from '../features/audit/i18n/vi';
import { en as auditEn } from '../features/audit/i18n/en';
import { vi as authVi } from '../features/auth/i18n/vi';
import { en as authEn } from '../features/auth/i18n/en';
import { vi as calendarVi } from '../features/calendar/i18n/vi';
import { en as calendarEn } from '../features/calendar/i18n/en';
import { vi as homeVi } from '../features/home/i18n/vi';
import { en as homeEn } from '../features/home/i18n/en';
import { vi as onestopVi } from '../features/onestop/i18n/vi';
import { en as onestopEn } from '../features/onestop/i18n/en';
import { vi as orgVi } from '../features/org/i18n/vi';
import { en as orgEn } from '../features/org/i18n/en';
import { vi as plansVi } from '../features/plans/i18n/vi';
import { en as plansEn } from '../features/plans/i18n/en';
import { vi as publicVi } from '../features/public/i18n/vi';
import { en as publicEn } from '../features/public/i18n/en';
import { vi as offlineVi } from '../features/offline/i18n/vi';
import { en as offlineEn } from '../features/offline/i18n/en';
import { vi as integrationVi } from '../features/integration/i18n/vi';
import { en as integrationEn } from '../features/integration/i18n/en';
import { vi as democracyVi } from '../features/democracy/i18n/vi';
import { en as democracyEn } from '../features/democracy/i18n/en';
import { vi as surveysVi } from '../features/surveys/i18n/vi';
import { en as surveysEn } from '../features/surveys/i18n/en';
import { vi as petitionsVi } from '../features/petitions/i18n/vi';
import { en as petitionsEn } from '../features/petitions/i18n/en';
import { vi as evaluationVi } from '../features/evaluation/i18n/vi';
import { en as evaluationEn } from '../features/evaluation/i18n/en';
import { vi as notificationsVi } from '../features/notifications/i18n/vi';
import { en as notificationsEn } from '../features/notifications/i18n/en';
import { vi as rolloverVi } from '../features/rollover/i18n/vi';
import { en as rolloverEn } from '../features/rollover/i18n/en';
import { vi as oversightVi } from '../features/oversight/i18n/vi';
import { en as oversightEn } from '../features/oversight/i18n/en';

/** Every feature's part, so a test can check that no key is defined twice. A new feature adds its line. */
export const viParts = {
  audit: auditVi,
  auth: authVi,
  calendar: calendarVi,
  home: homeVi,
  onestop: onestopVi,
  org: orgVi,
  plans: plansVi,
  public: publicVi,
  offline: offlineVi,
  integration: integrationVi,
  democracy: democracyVi,
  surveys: surveysVi,
  petitions: petitionsVi,
  evaluation: evaluationVi,
  notifications: notificationsVi,
  rollover: rolloverVi,
  oversight: oversightVi,
};
export const enParts = {
  audit: auditEn,
  auth: authEn,
  calendar: calendarEn,
  home: homeEn,
  onestop: onestopEn,
  org: orgEn,
  plans: plansEn,
  public: publicEn,
  offline: offlineEn,
  integration: integrationEn,
  democracy: democracyEn,
  surveys: surveysEn,
  petitions: petitionsEn,
  evaluation: evaluationEn,
  notifications: notificationsEn,
  rollover: rolloverEn,
  oversight: oversightEn,
};

export const vi = { ...shellVi, ...auditVi, ...authVi, ...calendarVi, ...homeVi, ...onestopVi, ...orgVi, ...plansVi, ...publicVi, ...offlineVi, ...integrationVi, ...democracyVi, ...surveysVi, ...petitionsVi, ...evaluationVi, ...notificationsVi, ...rolloverVi, ...oversightVi };

export type MessageKey = keyof typeof vi;
/** The shape every other language must have: exactly the Vietnamese keys. */
export type Messages = Translation<typeof vi>;

export const en: Messages = { ...shellEn, ...auditEn, ...authEn, ...calendarEn, ...homeEn, ...onestopEn, ...orgEn, ...plansEn, ...publicEn, ...offlineEn, ...integrationEn, ...democracyEn, ...surveysEn, ...petitionsEn, ...evaluationEn, ...notificationsEn, ...rolloverEn, ...oversightEn };
