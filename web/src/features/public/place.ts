// Which commune a citizen page belongs to: `/x/{code}/…` names it; an installation with one
// commune keeps the short addresses (`/thu-tuc`); several communes without one → the picker.
import { ApiError, parseError } from '../../lib/api/client';
import type { PublicCommune, PublicCommunes, PublicProcedureDetail } from '../../lib/api/schema';

export type { PublicCommune, PublicProcedureDetail };

/** `/x/{code}/rest` → { code, rest: '/rest' }; other paths → { code: null, rest: path }. */
export function splitPath(pathname: string): { code: string | null; rest: string } {
  const m = /^\/x\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return { code: null, rest: pathname };
  return { code: decodeURIComponent(m[1]), rest: m[2] && m[2] !== '/' ? m[2] : '/thu-tuc' };
}

/** The address prefix of a commune's pages ('' on a one-commune installation). */
export function basePath(commune: PublicCommune | null, several: boolean): string {
  return commune && several ? `/x/${encodeURIComponent(commune.code)}` : '';
}

/** Lower case without diacritics ("Bình Lương" → "binh luong"), for the picker's search. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim();
}

export function matchesCommune(c: PublicCommune, q: string): boolean {
  const f = fold(q);
  return !f || fold(c.name).includes(f) || fold(c.authority_name).includes(f) || c.code.toLowerCase().includes(f);
}

async function get<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}

export const publicCommunes = () => get<PublicCommunes>('/public/communes');

export const publicProcedure = (code: string, communeId: number | null) =>
  get<PublicProcedureDetail>(
    `/public/procedures/${encodeURIComponent(code)}${communeId ? `?commune_id=${communeId}` : ''}`,
  );
