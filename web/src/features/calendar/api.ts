// The `calendar` module: working days, holidays and make-up days, working hours.
import { http } from '../../lib/api';
import type { OverrideKind, WorkingHours } from './types';

export const listDays = (from: string, to: string) => http.get('/calendar/days', { query: { from, to } });
export const listOverrides = (from: string, to: string) => http.get('/calendar/overrides', { query: { from, to } });
export const setOverride = (date: string, kind: OverrideKind, name: string) =>
  http.put('/calendar/overrides/{date}', { path: { date }, body: { kind, name } });
export const removeOverride = (date: string) => http.del('/calendar/overrides/{date}', { path: { date } });
export const getHours = () => http.get('/calendar/hours');
export const putHours = (h: WorkingHours) => http.put('/calendar/hours', { body: h });
