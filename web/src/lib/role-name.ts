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
