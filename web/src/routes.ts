import type { RouteDef } from './lib/router/match';

/** Every page of the app; each `import()` becomes its own chunk, loaded on first visit. */
export const routes: readonly RouteDef[] = [
  { path: '/login', public: true, load: () => import('./routes/Login.svelte') },
  { path: '/', load: () => import('./routes/Home.svelte') },
  { path: '/account', load: () => import('./routes/Account.svelte') },
  { path: '/admin/users', anyOf: ['manage_users'], load: () => import('./routes/AdminUsers.svelte') },
  { path: '/admin/units', anyOf: ['manage_units'], load: () => import('./routes/AdminUnits.svelte') },
  { path: '/admin/audit', anyOf: ['read_audit'], load: () => import('./routes/AdminAudit.svelte') },
];
