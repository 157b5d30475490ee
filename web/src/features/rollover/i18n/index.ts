// Registers the roll-over dialog's messages when the plan page loads it.
import { registerPart } from '../../../i18n/index.svelte';
import { vi } from './vi';

registerPart('rollover', vi, () => import('./en').then((m) => m.en));
