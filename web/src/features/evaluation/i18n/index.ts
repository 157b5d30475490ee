// Registers this feature's messages when one of its pages loads (a page imports './i18n'): the
// Vietnamese with the page's chunk, the English fetched when it is the language (i18n/index.svelte.ts).
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('evaluation', vi, () => import('./en').then((m) => m.en));
