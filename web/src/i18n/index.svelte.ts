import { vi, type MessageKey, type Messages } from './vi';

export type Lang = 'vi' | 'en';
export type { MessageKey };
export type Params = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['vi', 'en'];
// Vietnamese ships with the shell; English is its own chunk, fetched when someone picks it (the
// first-load budget cannot carry every module's messages twice). Until it arrives, t() answers
// in Vietnamese.
const DICTS: Partial<Record<Lang, Messages>> = { vi };
const LOADERS: Record<Lang, () => Promise<Messages>> = {
  vi: () => Promise.resolve(vi),
  en: () => import('./en').then((m) => m.en),
};
export const LANG_STORAGE_KEY = 'thanthien.lang';

function storedLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // Storage can be disabled (private mode, policy); Vietnamese is the default anyway.
  }
  return 'vi';
}

/** The current language. Components that call `t()` re-render when `i18n.lang` changes. */
export const i18n = $state({ lang: storedLang(), loaded: 1 });

/** Makes a dictionary available (the lazy loader uses it; tests register English up front). */
export function registerLang(lang: Lang, dict: Messages): void {
  DICTS[lang] = dict;
  i18n.loaded++;
}

/** Fetches a language's dictionary once; resolves when t() can answer in it. */
export function loadLang(lang: Lang): Promise<void> {
  if (DICTS[lang]) return Promise.resolve();
  return LOADERS[lang]().then((d) => registerLang(lang, d));
}

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  // Offline: the page stays in Vietnamese until the dictionary can be fetched.
  loadLang(lang).catch(() => undefined);
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still holds for this tab.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Replaces {name} placeholders; unknown placeholders are left visible so mistakes show. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(DICTS[lang]?.[key] ?? vi[key] ?? key, params);
}

/** Translates into the current language. */
export function t(key: MessageKey, params?: Params): string {
  // Read so that components re-render when a lazily loaded dictionary arrives.
  void i18n.loaded;
  return translate(i18n.lang, key, params);
}

/** Whether a string is a known message key (for keys built from server codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}
