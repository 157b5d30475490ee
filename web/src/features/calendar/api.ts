// The `calendar` module: working days, holidays and make-up days, working hours.
import { api } from '../../lib/api';
import type { CalendarDay, CalendarOverride, HoursSchedule, OverrideKind, WorkingHours } from './types';

export const listDays = (from: string, to: string) => api.get<CalendarDay[]>('/calendar/days', { query: { from, to } });
export const setOverride = (date: string, kind: OverrideKind, name: string) =>
  api.request<CalendarOverride>('PUT', `/calendar/overrides/${date}`, { body: { kind, name } });
export const removeOverride = (date: string) => api.del<void>(`/calendar/overrides/${date}`);
export const getHours = () => api.get<HoursSchedule>('/calendar/hours');
export const putHours = (h: WorkingHours) => api.request<unknown>('PUT', '/calendar/hours', { body: h });
