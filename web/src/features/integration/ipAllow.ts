// The allow-list box of the API key form: one address or network a line. The server names a bad
// one by its place in the list it got (`ip_allow.1` for the second); the person is told its line.
import { ApiError } from '../../lib/api/client';
import { fieldCodeMessage } from '../../lib/errors';
import { t } from '../../i18n/index.svelte';

/** The addresses written in the box, in order, each with the line (from 1) it is on. */
export function ipEntries(text: string): { value: string; line: number }[] {
  return text.split('\n').flatMap((row, i) =>
    row
      .split(/\s+/)
      .filter(Boolean)
      .map((value) => ({ value, line: i + 1 })),
  );
}

const ITEM = /^ip_allow\.(\d+)$/;

/** Whether `field` is one address of the list (`ip_allow.3`) or the list itself. */
const isIpAllowField = (field: string): boolean => field === 'ip_allow' || ITEM.test(field);

/** The fields of the list the error names (the box shows them: no other place needs to). */
export function ipAllowFields(err: unknown): string[] {
  return err instanceof ApiError ? err.errors.map((e) => e.field).filter(isIpAllowField) : [];
}

/**
 * What the server found wrong in the list, under the box: the list as a whole (too many), then
 * each bad address as "Line N: …", `lines` being the line of each address sent (from `ipEntries`).
 */
export function ipAllowMessage(err: unknown, lines: readonly number[]): string {
  if (!(err instanceof ApiError)) return '';
  return err.errors
    .filter((e) => isIpAllowField(e.field))
    .map((e) => {
      const index = ITEM.exec(e.field)?.[1];
      if (index === undefined) return fieldCodeMessage('ip_allow', e.code, e.message, 'keys.field');
      const message = fieldCodeMessage(`ip_allow[${index}]`, e.code, e.message, 'keys.field');
      return t('keys.ip_line', { line: lines[Number(index)] ?? Number(index) + 1, message });
    })
    .join(' ');
}
