// Registers this feature's messages when its page loads (the page imports './i18n'): the
// Vietnamese with the page's chunk, the English fetched when it is the language (i18n/index.svelte.ts).
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('oversight', vi, () => import('./en').then((m) => m.en));
