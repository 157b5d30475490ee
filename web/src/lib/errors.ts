import { ApiError } from './api/client';
import { i18n, isMessageKey, t } from '../i18n/index.svelte';

/** A sentence for the person, in the current language, for any error a call can throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('error.network');
    if (err.code === 'rate_limited') {
      const s = err.retryAfter;
      if (s === null) return t('error.rate_limited_soon');
      return s < 90 ? t('error.rate_limited', { seconds: s }) : t('error.rate_limited_minutes', { minutes: Math.ceil(s / 60) });
    }
    const key = `error.${err.code}`;
    if (isMessageKey(key)) return t(key);
    // A refusal without words of its own here: in Vietnamese, the server's own sentence.
    if (i18n.lang === 'vi' && err.detail.trim()) return err.detail.trim();
    return t('error.unknown', { code: err.code });
  }
  return t('error.unknown', { code: err instanceof Error ? err.name : 'client' });
}

/**
 * The sentence for one field error code: `field.<code>.<field>` if there is one; else, in
 * Vietnamese, what the server said of that field (`said`: "Hạn hoàn thành không được trước ngày
 * bắt đầu." says more than the code's "Giá trị không hợp lệ."); else `field.<code>`.
 *
 * A page may have sentences of its own (`scope`), tried first: `<scope>.<code>.<field>`, a list's
 * indexes written `[]` (`criteria.field.invalid_value.criteria[].points` for every criterion's
 * points). The same field name means other limits on other pages (`year` is 2000–2100 for a
 * criteria set, 1900–2100 for a dialogue), so those cannot be the dictionary-wide `field.…` keys.
 */
export function fieldCodeMessage(field: string, code: string, said = '', scope = ''): string {
  if (scope) {
    const own = `${scope}.${code}.${field.replace(/\[\d+\]/gu, '[]')}`;
    if (isMessageKey(own)) return t(own);
  }
  const specific = `field.${code}.${field}`;
  if (isMessageKey(specific)) return t(specific);
  if (i18n.lang === 'vi' && said.trim()) return said.trim();
  const general = `field.${code}`;
  return isMessageKey(general) ? t(general) : t('field.unknown');
}

/** The message for one field of a validation error, or '' when that field is fine (`scope`: see fieldCodeMessage). */
export function fieldMessage(err: unknown, field: string, scope = ''): string {
  if (!(err instanceof ApiError)) return '';
  const fe = err.fieldError(field);
  return fe ? fieldCodeMessage(field, fe.code, fe.message, scope) : '';
}

/** Field errors for fields this form does not show, so none is silently lost. */
export function otherFieldMessages(err: unknown, shown: readonly string[], scope = ''): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.errors
    .filter((e) => !shown.includes(e.field))
    .map((e) => `${e.field}: ${fieldCodeMessage(e.field, e.code, e.message, scope)}`);
}

/** Whether the error carries per-field errors (shown next to the fields rather than as a banner). */
export function hasFieldErrors(err: unknown): boolean {
  return err instanceof ApiError && err.errors.length > 0;
}

/**
 * What a form finds wrong before it sends anything, as the server would say it: a 422 whose field
 * errors stand under their fields. Each entry is a field (then `required`) or `[field, code]`.
 */
export function refusedHere(fields: readonly (string | readonly [string, string])[]): ApiError {
  const errors = fields.map((f) => (typeof f === 'string' ? { field: f, code: 'required', message: '' } : { field: f[0], code: f[1], message: '' }));
  return new ApiError({ status: 422, code: 'validation_failed', errors });
}
