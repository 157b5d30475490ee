// The `integration` module: API keys for other systems (admins and oversight users).
import { http } from '../../lib/api';
import type { components } from '../../lib/api/schema';

export type ApiKey = components['schemas']['ApiKey'];
export type CreateApiKey = components['schemas']['CreateApiKey'];
export type IssuedKey = components['schemas']['IssuedKey'];
export type KeyScope = components['schemas']['KeyScope'];

export const listKeys = () => http.get('/api-keys');
export const getKey = (id: number) => http.get('/api-keys/{id}', { path: { id } });
export const createKey = (body: CreateApiKey) => http.post('/api-keys', { body });
export const rotateKey = (id: number, oldValidUntil: string) =>
  http.post('/api-keys/{id}/rotate', { path: { id }, body: { old_valid_until: oldValidUntil } });
export const revokeKey = (id: number) => http.post('/api-keys/{id}/revoke', { path: { id } });

export const SCOPES: readonly KeyScope[] = ['read_aggregates', 'read_dossiers_masked', 'read_plans', 'submit_feedback', 'receive_webhooks'];
