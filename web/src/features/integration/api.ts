// The `integration` module: API keys for other systems (admins and oversight users).
import { isMessageKey, t } from '../../i18n/index.svelte';
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

// Signed events (webhooks) of a key holding `receive_webhooks`.
export type Subscription = components['schemas']['Subscription'];
export type CreatedSubscription = components['schemas']['CreatedSubscription'];
export type Delivery = components['schemas']['Delivery'];

export const listSubscriptions = (keyId: number) => http.get('/api-keys/{id}/webhooks', { path: { id: keyId } });
export const createSubscription = (keyId: number, url: string, events: string[]) =>
  http.post('/api-keys/{id}/webhooks', { path: { id: keyId }, body: { url, events } });
export const setSubscriptionActive = (id: number, active: boolean) =>
  http.patch('/webhooks/{id}', { path: { id }, body: { active } });
export const deleteSubscription = (id: number) => http.del('/webhooks/{id}', { path: { id } });
export const listDeliveries = (id: number) => http.get('/webhooks/{id}/deliveries', { path: { id } });
export const resendDelivery = (id: number) => http.post('/webhook-deliveries/{id}/resend', { path: { id } });

/** The events a subscription may ask for (the server's `webhooks::model::EVENTS`). */
export const EVENTS = [
  'dossier.received',
  'dossier.status_changed',
  'dossier.finished',
  'dossier.resolved',
  'dossier.returned',
  'dossier.late',
  'petition.received',
  'petition.accepted',
  'petition.concluded',
  'petition.answered',
  'petition.overdue',
  'task.overdue',
  'evaluation.published',
] as const;
export type WebhookEvent = (typeof EVENTS)[number];

/** A failed delivery as the server writes it (`timeout`, `key_stopped`, `HTTP 503`), in words
 * where the code has them; the server's own text otherwise. */
export function failureWords(error: string): string {
  const key = `hooks.error.${error}`;
  return isMessageKey(key) ? t(key) : error;
}

// The commune's feedback categories (its Open311 service codes).
export type FeedbackCategory = components['schemas']['FeedbackCategory'];
export type CreateCategory = components['schemas']['CreateCategory'];
export type UpdateCategory = components['schemas']['UpdateCategory'];

export const listCategories = () => http.get('/feedback-categories');
export const createCategory = (body: CreateCategory) => http.post('/feedback-categories', { body });
export const updateCategory = (id: number, body: UpdateCategory) =>
  http.patch('/feedback-categories/{id}', { path: { id }, body });
