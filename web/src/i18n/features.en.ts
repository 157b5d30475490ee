// Every feature's English messages, merged: fetched with the features' Vietnamese when English is
// picked. Each part is typed against its Vietnamese part, so the whole is complete.
import type { Translation } from './types';
import type { vi } from './features.vi';
import { en as audit } from '../features/audit/i18n/en';
import { en as auth } from '../features/auth/i18n/en';
import { en as calendar } from '../features/calendar/i18n/en';
import { en as home } from '../features/home/i18n/en';
import { en as onestop } from '../features/onestop/i18n/en';
import { en as org } from '../features/org/i18n/en';
import { en as plans } from '../features/plans/i18n/en';
import { en as publicPages } from '../features/public/i18n/en';

export const parts = { audit, auth, calendar, home, onestop, org, plans, public: publicPages };

export const en: Translation<typeof vi> = { ...audit, ...auth, ...calendar, ...home, ...onestop, ...org, ...plans, ...publicPages };
