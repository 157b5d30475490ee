// The citizen pages' own translation: only this feature's part of the dictionary (./i18n/), so the
// small public entry does not carry the staff dictionary.
import { vi as viPublic } from './i18n/vi';
import { interpolate } from '../../i18n/interpolate';
// English is loaded on first use (its own chunk): most citizens read Vietnamese, and the first
// load of the citizen pages has a 25 KB budget.

/** The keys the citizen pages use; a subset of the staff app's `MessageKey`. */
export type PublicKey = keyof typeof viPublic;

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

const dictionaries = $state<{ en: Partial<Record<PublicKey, string>> | null }>({ en: null });

function loadEnglish(): void {
  if (dictionaries.en) return;
  import('./i18n/en').then(
    (m) => (dictionaries.en = m.en),
    () => {
      // Offline or a failed chunk: the Vietnamese text stays, the choice is kept for next time.
    },
  );
}

if (publicLang.lang === 'en') loadEnglish();

export function setPublicLang(lang: PublicLang): void {
  if (lang === 'en') loadEnglish();
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
  const template = (publicLang.lang === 'en' ? dictionaries.en?.[key] : undefined) ?? viPublic[key] ?? key;
  return interpolate(template, params);
};
