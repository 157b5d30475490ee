// What a procedure's citizen page shows beyond the catalogue row (documents, steps, place of
// submission): from what is stored (GET /procedures/{id}/details) to the editor's strings, and
// back to the body of PUT /procedures/{id}/details.
import type { ProcedureDetailsInput, PublicCommune } from './types';

export interface DetailsForm {
  /** One document per line. */
  documents: string;
  /** One step per line, in order. */
  steps: string;
  place: string;
}

/**
 * The lines of a textarea as the page lists them: trimmed, blank ones dropped, a typed bullet or
 * number at the start left out (the page draws its own), in the composed Unicode form.
 */
export function linesOf(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim().replace(/^(?:[-–•*+]|\d{1,2}[.)])\s+/, '').trim().normalize('NFC'))
    .filter((line) => line !== '');
}

/** The desk the citizen page names before the place: "{one-stop unit}, {people's committee}". */
export function deskOf(commune: PublicCommune): string {
  return `${commune.onestop_name}, ${commune.people_committee}`;
}

/** The editor's strings, from what is stored (null: nothing yet). */
export function detailsForm(d: ProcedureDetailsInput | null): DetailsForm {
  return { documents: (d?.documents ?? []).join('\n'), steps: (d?.steps ?? []).join('\n'), place: d?.place ?? '' };
}

/** The body of PUT /procedures/{id}/details; limits are the server's to check. */
export function detailsBody(f: DetailsForm): ProcedureDetailsInput {
  const place = f.place.replace(/\s+/g, ' ').trim().normalize('NFC');
  return { documents: linesOf(f.documents), steps: linesOf(f.steps), place: place || null };
}

/** The citizen page of a procedure: `/x/{commune}/thu-tuc/{code}` works with one commune or several. */
export function citizenPath(commune: PublicCommune, code: string): string {
  return `/x/${encodeURIComponent(commune.code)}/thu-tuc/${encodeURIComponent(code)}`;
}
