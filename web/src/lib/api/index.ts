import { createClient } from './client';
import type { Me, SystemInfo } from './types';

export { ApiError } from './client';
export type * from './types';

/** The one client of the app. Each feature's calls live in its own `features/<module>/api.ts`. */
export const api = createClient({ base: '/api/v1' });

// What the shell itself needs (the session and the footer); everything else belongs to a feature.
export const getSystemInfo = () => api.get<SystemInfo>('/system/info');
export const getMe = () => api.get<Me>('/auth/me');
