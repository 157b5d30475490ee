// Registers this feature's messages when one of its pages loads (a page imports './i18n'): the
// Vietnamese with the page's chunk, the English fetched when it is the language (i18n/index.svelte.ts).
// Its pages show the citizen pages' words too (dossier statuses, time limits, online levels).
import '../../public/i18n';
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('onestop', vi, () => import('./en').then((m) => m.en));
