// Filling a message's placeholders: shared by the staff app's dictionary and the citizen pages'
// (whose small entry does not load the staff dictionary).

/**
 * Replaces {name} placeholders; unknown placeholders are left visible so mistakes show.
 * `{name|s}` is an English plural ending: `s` unless the number `name` is 1 ("1 item", "2 items").
 */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)(?:\|(\w*))?\}/g, (whole, name: string, plural?: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    if (plural === undefined) return String(params[name]);
    return Number(params[name]) === 1 ? '' : plural;
  });
}
