// Shapes of the calendar resources of /api/v1, from schema.d.ts (generated from openapi.yaml).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type DaySource = S['DaySource'];
export type CalendarDay = S['CalendarDay'];
export type OverrideKind = S['OverrideKind'];
export type CalendarOverride = S['CalendarOverride'];
export type OverrideLevel = S['OverrideLevel'];
export type WorkingHours = S['WorkingHours'];
export type HoursSchedule = S['HoursSchedule'];
