// The two no-login calls of the citizen pages; plain fetch, no session.
import { ApiError, parseError } from '../../lib/api/client';
import type { AnswerOf } from '../../lib/api/typed';
import type { PublicPetition } from '../../lib/api/schema';
import type { PublicKey, PublicT } from './i18n.svelte';

/** Gets JSON, no session; a failed fetch (no network) is the ApiError `network`. */
export async function get<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}

/** The public catalogue of the commune (every active procedure). */
export const publicProcedures = (communeId: number | null = null) =>
  get<AnswerOf<'/public/procedures', 'get'>>(`/public/procedures${communeId ? `?commune_id=${communeId}` : ''}`);

export const publicDossier = (code: string, last4: string) =>
  get<AnswerOf<'/public/dossiers/{code}', 'get'>>(`/public/dossiers/${encodeURIComponent(code)}?phone_last4=${encodeURIComponent(last4)}`);

/** The lookup by the random token of the receipt's link (the QR code): no digits needed. */
export const publicDossierByToken = (code: string, token: string) =>
  get<AnswerOf<'/public/dossiers/{code}', 'get'>>(`/public/dossiers/${encodeURIComponent(code)}?t=${encodeURIComponent(token)}`);

/** Posts JSON, no session; a failed fetch (no network) is the ApiError `network`. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}

/** A citizen's recommendation or feedback to the commune (`default`: the server's commune). */
export const sendFeedback = (
  body: { kind: string; subject: string; content: string; name: string; phone: string },
  commune = 'default',
) => post<{ code: string }>(`/public/communes/${encodeURIComponent(commune)}/petitions`, body);

/** A petition's status and published answer (codes `DT-…`), by the last four phone digits. */
export const publicPetition = (code: string, last4: string) =>
  get<PublicPetition>(
    `/public/petitions/${encodeURIComponent(code)}?phone_last4=${encodeURIComponent(last4)}`,
  );

/** The public reception schedule. */
export const receptionSchedule = (commune: string = 'default') =>
  get<AnswerOf<'/public/communes/{code}/reception-schedule', 'get'>>(
    `/public/communes/${encodeURIComponent(commune)}/reception-schedule`,
  );

/** A dossier code as people type it: trimmed, spaces dropped, upper case. */
export function cleanCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** Whether the last-four field holds exactly four digits. */
export function isLast4(raw: string): boolean {
  return /^\d{4}$/.test(raw.trim());
}

/** The disclosures of a commune (its code, or its number when it has none). */
export const publicDisclosures = (code: string) =>
  get<AnswerOf<'/public/communes/{code}/disclosures', 'get'>>(`/public/communes/${encodeURIComponent(code)}/disclosures`);

/** What a citizen reads when a page's data does not load: `missing` for a 404 (when given), the
 *  network message when the server cannot be reached, else the general one. */
export function loadFailure(t: PublicT, e: unknown, missing?: PublicKey): string {
  if (missing && e instanceof ApiError && e.status === 404) return t(missing);
  return e instanceof ApiError && e.code === 'network' ? t('public.network') : t('public.error');
}
