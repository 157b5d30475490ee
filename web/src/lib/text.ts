/**
 * Folds Vietnamese text for searching: lower case, tone marks and vowel hats removed,
 * đ/Đ (and the look-alike ð/Ð of old fonts) → d, so "dong" matches "Đồng" and "thon" matches "Thôn".
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐðÐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of the query occurs in one of the fields (diacritics ignored). */
export function matchesQuery(query: string, fields: ReadonlyArray<string | null | undefined>): boolean {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fields.filter((f): f is string => !!f).map(fold).join(' \u0000 ');
  return words.every((w) => haystack.includes(w));
}
