// Addresses of the public lookup page (kept apart from the QR encoder: the citizen entry needs
// these without carrying the encoder).

/** A full address for the receipt's QR code from the path the server names (`/tra-cuu/{code}`). */
export function absoluteUrl(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The dossier code in a lookup address: `/tra-cuu/{code}`, or `?ma={code}`. */
export function codeFromLocation(pathname: string, search: string): string {
  const m = /^\/tra-cuu\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return '';
    }
  }
  return new URLSearchParams(search).get('ma') ?? '';
}

/** The random token of a receipt's link (`?t=`), which replaces the phone digits. */
export function tokenFromLocation(search: string): string {
  return new URLSearchParams(search).get('t') ?? '';
}
