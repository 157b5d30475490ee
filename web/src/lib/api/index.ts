import { createClient, type Query } from './client';
import type {
  AuditEntry,
  Me,
  NewUnit,
  NewUser,
  Page,
  SystemInfo,
  Unit,
  UnitChanges,
  User,
  UserChanges,
} from './types';

export { ApiError } from './client';
export type * from './types';

/** The one client of the app. */
export const api = createClient({ base: '/api/v1' });

export const getSystemInfo = () => api.get<SystemInfo>('/system/info');
export const getMe = () => api.get<Me>('/auth/me');
export const changePassword = (current_password: string, new_password: string) =>
  api.post<void>('/auth/password', { current_password, new_password });

export const listUnits = (query: Query = {}) => api.get<Page<Unit>>('/units', { query });
export const createUnit = (unit: NewUnit) => api.post<Unit>('/units', unit);
export const updateUnit = (id: number, changes: UnitChanges) => api.patch<Unit>(`/units/${id}`, changes);

export const listUsers = (query: Query = {}) => api.get<Page<User>>('/users', { query });
export const createUser = (user: NewUser) => api.post<User>('/users', user);
export const updateUser = (id: number, changes: UserChanges) => api.patch<User>(`/users/${id}`, changes);
export const resetUserPassword = (id: number, new_password: string) =>
  api.post<void>(`/users/${id}/password`, { new_password });

export const listAudit = (query: Query = {}) => api.get<Page<AuditEntry>>('/audit', { query });
