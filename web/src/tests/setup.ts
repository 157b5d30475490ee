import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/svelte';
import { en, vi } from '../i18n/all';
import { registerLang, registerWhole } from '../i18n/index.svelte';

// No test may depend on how fast the machine is: `waitFor`/`findBy*` poll until their condition
// holds, and on a busy machine a lazy route chunk can take well over the library's default 1 s to
// load. A generous bound only matters when a test is failing anyway. (The per-test reset of
// @testing-library/svelte restores this configuration, not the library default.)
configure({ asyncUtilTimeout: 15_000 });

// The app fetches English and the features' messages lazily; tests render components alone and
// switch languages synchronously, so every part is registered up front.
registerLang('vi', vi);
registerWhole('en', en);
