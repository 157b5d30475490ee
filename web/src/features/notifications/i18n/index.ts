// Registers this feature's messages when one of its pages loads (a page imports './i18n').
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('notifications', vi, () => import('./en').then((m) => m.en));
