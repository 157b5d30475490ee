// Sentences of the plans screens built from data, in the current language.
import { isMessageKey, t } from '../../i18n/index.svelte';
import { changeEntries, formatDay, formatPeriod } from './logic';
import type { Period } from './types';

/** "05/2023, 06/2023" for the periods a task still lacks a report for. */
export function periodsText(periods: readonly Period[] | null | undefined): string {
  const tpl = { week: t('plans.period_week'), quarter: t('plans.period_quarter') };
  return (periods ?? []).map((p) => formatPeriod(p.label, tpl)).join(', ');
}

function value(key: string, v: unknown, units: ReadonlyMap<number, string>): string {
  if (v === null || v === undefined || v === '') return t('common.none');
  const statusKey = `task_status.${String(v)}`;
  if (key === 'status' && isMessageKey(statusKey)) return t(statusKey);
  if (key === 'progress' && typeof v === 'number') return `${v}%`;
  if (key.endsWith('unit_id') && typeof v === 'number') return units.get(v) ?? `#${v}`;
  if (key === 'supporting_unit_ids' && Array.isArray(v)) return v.map((id) => units.get(Number(id)) ?? `#${id}`).join(', ') || t('common.none');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDay(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One line per change of an audit summary: "Tiến độ: 0% → 40%". */
export function historyLines(summary: unknown, units: ReadonlyMap<number, string>): string[] {
  return changeEntries(summary).map((e) => {
    const key = `plans.field.${e.key}`;
    const label = isMessageKey(key) ? t(key) : e.key;
    return 'from' in e
      ? `${label}: ${value(e.key, e.from, units)} → ${value(e.key, e.to, units)}`
      : `${label}: ${value(e.key, e.to, units)}`;
  });
}
