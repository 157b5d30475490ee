// The whole dictionary, shell and features, in both languages: its TYPE is what `t()` accepts
// (import it with `import type` only — at run time the parts load as described in ./index.svelte.ts);
// tests use the values to check both languages and to register everything up front.
import type { Translation } from './types';
import { vi as shellVi } from './vi';
import { en as shellEn } from './en';
import { vi as featuresVi } from './features.vi';
import { en as featuresEn } from './features.en';

export const vi = { ...shellVi, ...featuresVi };

export type MessageKey = keyof typeof vi;
/** The shape every other language must have: exactly the Vietnamese keys. */
export type Messages = Translation<typeof vi>;

export const en: Messages = { ...shellEn, ...featuresEn };
