// The citizen pages' own translation: only the public messages of vi.ts/en.ts (`viPublic`,
// `enPublic`), so the small public entry does not carry the whole staff dictionary.
import { viPublic, type PublicKey } from '../../i18n/vi';
import { enPublic } from '../../i18n/en';

export type PublicLang = 'vi' | 'en';
export type PublicT = (key: PublicKey, params?: Record<string, string | number>) => string;

// Same storage key as the staff app, so one choice holds on both.
const KEY = 'thanthien.lang';

function stored(): PublicLang {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // Storage may be disabled; Vietnamese is the default.
  }
  return 'vi';
}

export const publicLang = $state({ lang: stored() });

export function setPublicLang(lang: PublicLang): void {
  publicLang.lang = lang;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Not persisted; the choice still holds on this page.
  }
  document.documentElement.lang = lang;
}

/** Translates a public message into the current language, filling {placeholders}. */
export const pt: PublicT = (key, params) => {
  const template = (publicLang.lang === 'en' ? enPublic : viPublic)[key] ?? viPublic[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
};
