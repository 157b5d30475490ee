// The words of a criterion's figure on the screen, in the reader's language. The server writes
// them once, in Vietnamese, into the frozen snapshot (`figure.text`, what the printed report and
// the .docx carry); the screen says the same from the figure's numbers, so English reads English.
import { i18n, isMessageKey, t, translate } from '../../i18n/index.svelte';
import type { SourceFigure } from '../../lib/api/schema';
import { num } from './api';

/** A ratio (0–1) as a percent with at most one decimal: "93,8%". */
function percent(value: number): string {
  return `${num(Math.round(value * 1000) / 10, i18n.lang)}%`;
}

/** "45/50 hồ sơ kết thúc xử lý (90%)", "Không có hồ sơ kết thúc xử lý trong kỳ" … in the current language. */
export function figureLine(f: SourceFigure): string {
  const n = num(f.numerator, i18n.lang);
  const d = num(f.denominator, i18n.lang);
  switch (f.source) {
    case 'plan_progress':
      return t('evaluation.fig.plan_progress', { pct: percent((f.numerator ?? 0) / 100) });
    case 'index766':
      return f.value === null || f.value === undefined
        ? t('evaluation.fig_none.index766')
        : t('evaluation.fig.index766', { n, d, pct: percent(f.value) });
    case 'satisfaction':
      return f.value === null || f.value === undefined
        ? t('evaluation.fig_none.satisfaction', { d })
        : t('evaluation.fig.satisfaction', { n, d, pct: percent(f.value) });
    default:
      return f.value === null || f.value === undefined
        ? t('evaluation.fig_none.counted', { unit: t(`evaluation.unit.${f.source}`) })
        : t('evaluation.fig.counted', { n, d, unit: t(`evaluation.unit.${f.source}`), pct: percent(f.value) });
  }
}

/**
 * Words the product ships (the default criteria set's name, its criteria and rating bands) in
 * the reader's language; words a board wrote (or changed) stay as written. `stored` is what the
 * set holds; it is translated only while it is still the shipped Vietnamese.
 */
export function shippedWords(key: string, stored: string): string {
  if (i18n.lang === 'vi' || !isMessageKey(key)) return stored;
  return translate('vi', key) === stored ? t(key) : stored;
}
