// The `org` module: units and users.
import { api } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import type { NewUnit, NewUser, Page, Unit, UnitChanges, User, UserChanges } from '../../lib/api/types';

export const listUnits = (query: Query = {}) => api.get<Page<Unit>>('/units', { query });
export const createUnit = (unit: NewUnit) => api.post<Unit>('/units', unit);
export const updateUnit = (id: number, changes: UnitChanges) => api.patch<Unit>(`/units/${id}`, changes);

export const listUsers = (query: Query = {}) => api.get<Page<User>>('/users', { query });
export const createUser = (user: NewUser) => api.post<User>('/users', user);
export const updateUser = (id: number, changes: UserChanges) => api.patch<User>(`/users/${id}`, changes);
export const resetUserPassword = (id: number, new_password: string) =>
  api.post<void>(`/users/${id}/password`, { new_password });
