// Why the server refused a queued item, in words: shown on the item in "Chưa gửi" and on the page
// that queued it. Not in the outbox's chunk: it needs the dictionaries, the outbox does not.
import { ApiError } from '../api/client';
import type { FieldError } from '../api/types';
import { errorMessage, fieldCodeMessage } from '../errors';
import { i18n, isMessageKey } from '../../i18n/index.svelte';
import type { QueuedRequest } from './outbox';

/**
 * One field the server refused: in Vietnamese its own sentence, which says exactly what was wrong
 * ("Ngày thông báo không được trước ngày bắt đầu công khai."); in English the field's words, the
 * field named when only the code's general words exist.
 */
export function fieldLine(e: FieldError): string {
  const said = e.message?.trim() ?? '';
  if (i18n.lang === 'vi' && said) return said;
  const text = fieldCodeMessage(e.field, e.code, said);
  return isMessageKey(`field.${e.code}.${e.field}`) ? text : `${e.field}: ${text}`;
}

/** Why the server refused an item: the fields it named, else its refusal in words. */
export function refusalText(item: Pick<QueuedRequest, 'lastError' | 'lastStatus' | 'lastProblem'>): string {
  const p = item.lastProblem;
  if (p && p.errors.length > 0) return p.errors.map(fieldLine).join(' ');
  if (p) return errorMessage(new ApiError({ status: item.lastStatus ?? 409, code: p.code, detail: item.lastError ?? '' }));
  return item.lastError ?? '';
}
