// Every feature's Vietnamese messages, merged: one lazy chunk that a page waits for before it renders
// (see loadFeatureMessages in ./index.svelte.ts), so the shell's first load does not grow as modules
// arrive. Each feature owns its part in `features/<module>/i18n/vi.ts`; a new feature adds one line here
// and one in ./features.en.ts.
import { vi as audit } from '../features/audit/i18n/vi';
import { vi as auth } from '../features/auth/i18n/vi';
import { vi as calendar } from '../features/calendar/i18n/vi';
import { vi as home } from '../features/home/i18n/vi';
import { vi as onestop } from '../features/onestop/i18n/vi';
import { vi as org } from '../features/org/i18n/vi';
import { vi as plans } from '../features/plans/i18n/vi';
import { vi as publicPages } from '../features/public/i18n/vi';

/** The parts by feature, so a test can check that no key is defined twice. */
export const parts = { audit, auth, calendar, home, onestop, org, plans, public: publicPages };

export const vi = { ...audit, ...auth, ...calendar, ...home, ...onestop, ...org, ...plans, ...publicPages };
