// A list page's filters kept in the address, so a link (a home card, a bookmark, the back
// button) opens the list filtered. Each filter has a default; only values that differ from it
// are written, and a missing or malformed value reads as the default.

export type FilterValues = Record<string, string | number | boolean>;

/** The allowed words of a text filter (anything else reads as its default). */
export type FilterChoices<T> = Partial<Record<keyof T, readonly string[]>>;

/** Reads `defaults`' keys from a location search, each with its default's type. */
export function readFilters<T extends FilterValues>(search: string, defaults: T, choices: FilterChoices<T> = {}): T {
  const p = new URLSearchParams(search);
  const out: FilterValues = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    const raw = p.get(key);
    if (raw === null) continue;
    const d = defaults[key];
    if (typeof d === 'boolean') {
      if (raw === 'true' || raw === 'false') out[key] = raw === 'true';
    } else if (typeof d === 'number') {
      const n = Number(raw);
      if (Number.isInteger(n) && n >= 1) out[key] = n;
    } else {
      const allowed = choices[key];
      if (!allowed || allowed.includes(raw)) out[key] = raw;
    }
  }
  return out as T;
}

/** The location search ('' or '?…') of the filters that differ from their defaults. */
export function writeFilters<T extends FilterValues>(f: T, defaults: T): string {
  const p = new URLSearchParams();
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    const v = typeof f[key] === 'string' ? (f[key] as string).trim() : f[key];
    if (v !== defaults[key]) p.set(key, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
