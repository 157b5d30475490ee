// Registers the outbox page's messages when it loads (see i18n/index.svelte.ts).
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('offline', vi, () => import('./en').then((m) => m.en));
