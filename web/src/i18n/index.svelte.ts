import { vi } from './vi';
import { interpolate } from './interpolate';
import type { MessageKey, Messages } from './all';

export type Lang = 'vi' | 'en';
export type { MessageKey, Messages };
export type Params = Record<string, string | number>;
export { interpolate };

export const LANGS: readonly Lang[] = ['vi', 'en'];

// The dictionary comes in parts, so that the first-load budget does not carry every module's
// messages, twice:
// - the shell's (./vi.ts ships with the shell; ./en.ts is its own chunk);
// - each feature's (`features/<module>/i18n/`): its pages import `./i18n`, which registers the
//   Vietnamese (in the page's chunk) and how to fetch the English (registerPart).
// English is fetched when it is the language: the app waits for it with a page (loadLang), and
// until it arrives (offline, say) t() answers in Vietnamese.
type Loader = () => Promise<Partial<Messages>>;
const EN_PARTS = new Map<string, Loader>([['shell', () => import('./en').then((m) => m.en)]]);
const DICTS: Record<Lang, Partial<Messages>> = { vi, en: {} };
const LOADING = new Map<string, Promise<void>>();
/** The languages whose DICTS entry is this module's own object (not the imported `vi`). */
const OWNED = new Set<Lang>();

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

/** The language chosen last: a switch still waiting for its dictionary applies only if it is this one. */
let switchingTo: Lang | null = null;
/** The parts fetched so far, as `lang:part`. */
const LOADED = new Set<string>();
/** Languages registered whole up front (the unit tests'), with nothing left to fetch. */
const WHOLE = new Set<Lang>();

/** Adds messages to a language (the loaders use it; tests register everything up front). */
export function registerLang(lang: Lang, dict: Partial<Messages>): void {
  // Added in place (the shell's own dictionary copied once, at the first part): a copy of the
  // whole dictionary per feature part cost a 4× throttled phone ~10 ms while a page drew.
  if (!OWNED.has(lang)) {
    DICTS[lang] = { ...DICTS[lang] };
    OWNED.add(lang);
  }
  Object.assign(DICTS[lang], dict);
  i18n.loaded++;
}

/** Registers a language's every message at once (the unit tests do): switching to it waits for nothing. */
export function registerWhole(lang: Lang, dict: Partial<Messages>): void {
  registerLang(lang, dict);
  WHOLE.add(lang);
}

/** A feature's part: its Vietnamese now, its English when that is (or becomes) the language. */
export function registerPart(name: string, viPart: Partial<Messages>, en: Loader): void {
  if (EN_PARTS.has(name)) return;
  EN_PARTS.set(name, en);
  registerLang('vi', viPart);
  // A part can arrive after its page was shown (a form the page loads on demand, another
  // feature's component): in English, fetch it now, and what uses it re-renders when it is in.
  if (i18n.lang !== 'vi' && !WHOLE.has(i18n.lang)) loadLang(i18n.lang).catch(() => undefined);
}

/** Fetches every registered part of a language not fetched yet (again after a failure, e.g. offline). */
export function loadLang(lang: Lang): Promise<void> {
  if (lang === 'vi') return Promise.resolve();
  return Promise.all(
    [...EN_PARTS].map(([name, load]) => {
      const id = `${lang}:${name}`;
      let p = LOADING.get(id);
      if (!p) {
        p = load().then((d) => {
          registerLang(lang, d);
          LOADED.add(id);
        });
        p.catch(() => LOADING.delete(id));
        LOADING.set(id, p);
      }
      return p;
    }),
  ).then(() => undefined);
}

/** Whether every part of a language's dictionary is in. */
function ready(lang: Lang): boolean {
  return lang === 'vi' || WHOLE.has(lang) || [...EN_PARTS.keys()].every((name) => LOADED.has(`${lang}:${name}`));
}

function apply(lang: Lang): void {
  i18n.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/**
 * A chunk loaded on demand, handed over once the parts of the dictionary it registered are in
 * the current language too (offline: as it is, in Vietnamese), so it never shows half of each.
 */
export function withLang<T>(chunk: Promise<T>): Promise<T> {
  return chunk.then((m) => loadLang(i18n.lang).then(() => m, () => m));
}

/**
 * Switches the language once its dictionary is in — at once when it already is — so that a page
 * never shows some parts in one language and some in the other while the parts arrive. Offline it
 * switches when the fetch fails, and what could not be fetched stays Vietnamese. The choice is
 * remembered at once; a later choice wins over a switch still waiting.
 */
export function setLang(lang: Lang): Promise<void> {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still holds for this tab.
  }
  switchingTo = lang;
  if (ready(lang)) {
    apply(lang);
    return Promise.resolve();
  }
  return loadLang(lang)
    .catch(() => undefined)
    .then(() => {
      if (switchingTo === lang) apply(lang);
    });
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
