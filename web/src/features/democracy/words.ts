// The board's alerts and a record's warnings in the reader's language. The server says them in
// Vietnamese (`message`) and gives their parts (kind or code, subject, days, dates); the page
// writes them from the parts, so English reads English.
import { t } from '../../i18n/index.svelte';
import type { DisclosureAlert, DisclosureWarning } from '../../lib/api/schema';
import { formatDay } from './format';
import { periodText, type PeriodSay } from '../../lib/format';

/** The words of a period kind ("Quý {roman}/{year}") in the reader's language. */
const periodWords: PeriodSay = (kind, parts) => t(`democracy.period_kind.${kind}`, parts);

/** A disclosure's period code ("2026-Q3", "2026-H1", "2026") in words: "Quý III/2026". */
export function periodOf(code: string | null | undefined): string {
  return periodText(code, periodWords);
}

/** "Thôn 4 chưa xác nhận thông báo “…” (hạn 08/09/2026)." and the like. */
export function alertText(a: DisclosureAlert): string {
  const due = formatDay(a.due_on);
  switch (a.kind) {
    case 'relay_overdue':
      return t('democracy.alert.relay_overdue', { unit: a.unit_name ?? '', subject: a.subject, due });
    case 'periodic_missing':
      return t('democracy.alert.periodic_missing', { subject: a.subject, period: periodOf(a.period), due });
    case 'expires_before_minimum':
      return t('democracy.alert.expires_before_minimum', { subject: a.subject, last: formatDay(a.last_day), min: a.min_days ?? '' });
  }
}

/** "Đã gỡ niêm yết sau 12 ngày, ít hơn tối thiểu 30 ngày." and the like; the server's words for
 * a code this page does not know. */
export function warningText(w: DisclosureWarning): string {
  switch (w.code) {
    case 'posting_shorter_than_minimum':
    case 'taken_down_before_minimum':
    case 'loudspeaker_too_short':
      return t(`democracy.warning.${w.code}`, { days: w.days, min: w.min_days });
    default:
      return w.message;
  }
}
