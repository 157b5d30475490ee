// Calls of the notifications module (`/api/v1/notifications…`) and the scheduler page.
import { http } from '../../lib/api';
import type { Query } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

type MarkRead = components['schemas']['MarkRead'];
type UpdatePreferences = components['schemas']['UpdatePreferences'];

export const listNotifications = (query: Query = {}) => http.get('/notifications', { query });
export const markRead = (body: MarkRead) => http.post('/notifications/read', { body });
export const getPreferences = () => http.get('/notifications/preferences');
export const savePreferences = (body: UpdatePreferences) => http.put('/notifications/preferences', { body });
export const getScheduler = () => http.get('/system/scheduler');
