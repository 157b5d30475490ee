// The `org` module: units and users.
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import type { CreateUnit, CreateUser, UpdateUnit, UpdateUser } from '../../lib/api/types';

export const listUnits = (query: Query = {}) => http.get('/units', { query });
export const createUnit = (unit: CreateUnit) => http.post('/units', { body: unit });
export const updateUnit = (id: number, changes: UpdateUnit) => http.patch('/units/{id}', { path: { id }, body: changes });

export const listUsers = (query: Query = {}) => http.get('/users', { query });
export const createUser = (user: CreateUser) => http.post('/users', { body: user });
export const updateUser = (id: number, changes: UpdateUser) => http.patch('/users/{id}', { path: { id }, body: changes });
export const resetUserPassword = (id: number, new_password: string) =>
  http.post('/users/{id}/password', { path: { id }, body: { new_password } });
