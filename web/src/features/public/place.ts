// Which commune a citizen page belongs to: `/x/{code}/…` names it; an installation with one
// commune keeps the short addresses (`/thu-tuc`); several communes without one → the picker.
import { get } from './api';
import { fold } from '../../lib/text';
import type { PublicCommune, PublicCommunes, PublicProcedureDetail } from '../../lib/api/schema';
import type { PublicKey } from './i18n.svelte';

export type { PublicCommune, PublicProcedureDetail };

/** `/x/{code}/rest` → { code, rest: '/rest' }; other paths → { code: null, rest: path }. */
export function splitPath(pathname: string): { code: string | null; rest: string } {
  const m = /^\/x\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return { code: null, rest: pathname };
  return { code: decodeURIComponent(m[1]), rest: m[2] && m[2] !== '/' ? m[2] : '/thu-tuc' };
}

/** The citizen pages, chosen by the address (after `/x/{commune}`). */
export type PublicPage = 'procedures' | 'procedure' | 'feedback' | 'schedule' | 'survey' | 'disclosures' | 'lookup';

/**
 * Which page an address (after `/x/{commune}`, no query) opens: /thu-tuc lists procedures,
 * /thu-tuc/{code} opens one, /phan-anh, /lich-tiep-cong-dan, /khao-sat/{token}, /cong-khai and
 * /cong-khai/{commune}; /tra-cuu, /tra-cuu/{code} and anything else is the lookup.
 */
export function pageOf(rest: string): PublicPage {
  const path = rest.replace(/\/$/, '');
  if (path === '/thu-tuc') return 'procedures';
  if (/^\/thu-tuc\/[^/]+$/.test(path)) return 'procedure';
  if (path === '/phan-anh') return 'feedback';
  if (path === '/lich-tiep-cong-dan') return 'schedule';
  if (/^\/khao-sat\/[^/]+$/.test(path)) return 'survey';
  if (/^\/cong-khai(\/[^/]+)?$/.test(path)) return 'disclosures';
  return 'lookup';
}

/**
 * The commune a page is about: the one `/cong-khai/{code}` names (none when no commune has that
 * code, so the header names no commune that was not found), else the one of `/x/{code}`, else the
 * only one.
 */
export function communeOf(
  communes: readonly PublicCommune[],
  addressCode: string | null,
  disclosuresCode: string | null,
): PublicCommune | null {
  if (disclosuresCode !== null) return communes.find((c) => c.code === disclosuresCode) ?? null;
  if (addressCode !== null) return communes.find((c) => c.code === addressCode || String(c.id) === addressCode) ?? null;
  return communes.length === 1 ? communes[0] : null;
}

/**
 * The citizen pages every citizen page links to (its footer), as addresses of the commune's own
 * pages: the lookup, procedures, feedback and the answered feedback, the reception schedule,
 * the disclosures. Each opens its page (`pageOf`) and is a citizen path of the server (http/spa.rs).
 */
export function citizenLinks(base: string, commune: PublicCommune | null): { key: PublicKey; href: string }[] {
  return [
    { key: 'public.lookup_title_both', href: `${base}/tra-cuu` },
    { key: 'public.procedures_title', href: `${base}/thu-tuc` },
    { key: 'public.feedback_title', href: `${base}/phan-anh` },
    { key: 'public.answered_link', href: `${base}/phan-anh?xem=da-tra-loi` },
    { key: 'public.schedule_title', href: `${base}/lich-tiep-cong-dan` },
    { key: 'public.dc_title', href: commune ? `/cong-khai/${encodeURIComponent(commune.code)}` : `${base}/cong-khai` },
  ];
}

/** The address prefix of a commune's pages ('' on a one-commune installation). */
export function basePath(commune: PublicCommune | null, several: boolean): string {
  return commune && several ? `/x/${encodeURIComponent(commune.code)}` : '';
}

/** Lower case without diacritics ("Bình Lương" → "binh luong"), for the picker's search: the app's own fold. */
export { fold };

export function matchesCommune(c: PublicCommune, q: string): boolean {
  const f = fold(q);
  return !f || fold(c.name).includes(f) || fold(c.authority_name).includes(f) || c.code.toLowerCase().includes(f);
}

export const publicCommunes = () => get<PublicCommunes>('/public/communes');

export const publicProcedure = (code: string, communeId: number | null) =>
  get<PublicProcedureDetail>(
    `/public/procedures/${encodeURIComponent(code)}${communeId ? `?commune_id=${communeId}` : ''}`,
  );
