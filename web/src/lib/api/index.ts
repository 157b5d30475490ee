import { createClient } from './client';
import { typed } from './typed';

export { ApiError, MfaRequired } from './client';
export type * from './types';

/** The one client of the app: the session (login, refresh, the token) and the transport. */
export const api = createClient({ base: '/api/v1' });
/**
 * Its calls, typed from the spec by path and method (`http.get('/plans/{id}', { path: { id } })`).
 * Each feature's calls live in its own `features/<module>/api.ts`.
 */
export const http = typed(api);

// What the shell itself needs (the session and the footer); everything else belongs to a feature.
export const getSystemInfo = () => http.get('/system/info');
export const getMe = () => http.get('/auth/me');
