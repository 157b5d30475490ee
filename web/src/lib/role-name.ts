import { t } from '../i18n/index.svelte';
import type { Me } from './api';

/**
 * What to call the signed-in user's role: a province's oversight staff by the province
 * ("Tỉnh Thanh Hóa"), everyone else by the role's name.
 */
export function roleName(me: Me): string {
  if (me.user.role === 'oversight' && me.authority?.level === 'province') {
    return t('role.oversight_of', { name: me.authority.name });
  }
  return t(`role.${me.user.role}`);
}

/**
 * What follows the role on the greeting's line: the place (commune or authority), then the unit,
 * each left out when the words before it already say it ("Tỉnh Thanh Hóa" needs no "· Thanh Hóa";
 * the unit "UBND xã Bình Lương" says the commune "Bình Lương").
 */
export function whoParts(role: string, place?: string | null, unit?: string | null): string[] {
  const said = (part: string, by: string) => by.toLocaleLowerCase('vi').includes(part.toLocaleLowerCase('vi'));
  const out: string[] = [];
  if (place && !said(place, role) && !(unit && said(place, unit))) out.push(place);
  if (unit && !said(unit, role)) out.push(unit);
  return out;
}
