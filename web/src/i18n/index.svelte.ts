import { vi } from './vi';
import type { MessageKey, Messages } from './all';

export type Lang = 'vi' | 'en';
export type { MessageKey, Messages };
export type Params = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['vi', 'en'];

// The dictionary comes in parts, so that the first-load budget does not carry every module's
// messages, twice:
// - `shell`: the app frame's messages (./vi.ts ships with the shell; ./en.ts is its own chunk);
// - `features`: every feature's part (`features/<module>/i18n/`), merged in ./features.vi.ts and
//   ./features.en.ts, one lazy chunk per language; a page waits for them (loadFeatureMessages).
// Until a language's part arrives, t() answers in Vietnamese.
type Part = 'shell' | 'features';
const LOADERS: Record<Part, Record<Lang, () => Promise<Partial<Messages>>>> = {
  shell: {
    vi: () => Promise.resolve(vi),
    en: () => import('./en').then((m) => m.en),
  },
  features: {
    vi: () => import('./features.vi').then((m) => m.vi),
    en: () => import('./features.en').then((m) => m.en),
  },
};
const DICTS: Record<Lang, Partial<Messages>> = { vi, en: {} };
const LOADING = new Map<string, Promise<void>>();
/** Set once a page has asked for the features' messages: a language switch then fetches them too. */
let featuresWanted = false;

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

/** Adds messages to a language (the lazy loaders use it; tests register everything up front). */
export function registerLang(lang: Lang, dict: Partial<Messages>): void {
  DICTS[lang] = { ...DICTS[lang], ...dict };
  i18n.loaded++;
}

/** Fetches one part of a language once (again after a failure, e.g. offline). */
function loadPart(part: Part, lang: Lang): Promise<void> {
  const id = `${part}:${lang}`;
  let p = LOADING.get(id);
  if (!p) {
    p = LOADERS[part][lang]().then((d) => registerLang(lang, d));
    p.catch(() => LOADING.delete(id));
    LOADING.set(id, p);
  }
  return p;
}

/** Fetches a language's dictionary (the shell's part, and the features' once a page wanted them). */
export function loadLang(lang: Lang): Promise<void> {
  return Promise.all([loadPart('shell', lang), featuresWanted ? loadPart('features', lang) : null]).then(() => undefined);
}

/**
 * The features' messages in Vietnamese (the fallback) and in the current language: the app waits
 * for them with a page's chunk, so a page never shows a bare key.
 */
export function loadFeatureMessages(): Promise<void> {
  featuresWanted = true;
  // English that cannot be fetched (offline) leaves the page in Vietnamese, as for the shell.
  return Promise.all([loadPart('features', 'vi'), loadLang(i18n.lang).catch(() => undefined)]).then(() => undefined);
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
  return interpolate(DICTS[lang][key] ?? DICTS.vi[key] ?? key, params);
}

/** Translates into the current language. */
export function t(key: MessageKey, params?: Params): string {
  // Read so that components re-render when a lazily loaded dictionary arrives.
  void i18n.loaded;
  return translate(i18n.lang, key, params);
}

/** Whether a string is a known message key (for keys built from server codes). */
export function isMessageKey(key: string): key is MessageKey {
  // Read so that a caller re-renders when a lazily loaded dictionary arrives.
  void i18n.loaded;
  return Object.hasOwn(DICTS.vi, key);
}
