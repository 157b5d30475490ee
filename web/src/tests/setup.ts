import '@testing-library/jest-dom/vitest';
import { en } from '../i18n/en';
import { registerLang } from '../i18n/index.svelte';

// The app fetches English lazily; tests switch languages synchronously.
registerLang('en', en);
