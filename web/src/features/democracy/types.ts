// Shapes of the democracy module, taken from schema.d.ts (generated from the server's openapi.yaml).
import type { components } from '../../lib/api/schema';

type S = components['schemas'];

export type DisclosureItem = S['DisclosureItem'];
export type DisclosureSummary = S['DisclosureSummary'];
export type Disclosure = S['Disclosure'];
export type DisclosureChannel = S['DisclosureChannel'];
export type DisclosureAlert = S['DisclosureAlert'];
export type DisclosureWarning = S['DisclosureWarning'];
export type CreateDisclosure = S['CreateDisclosure'];
export type VillageRelay = S['VillageRelay'];
export type Relay = S['Relay'];
export type DemocracyFile = S['DemocracyFile'];

export const CHANNELS: readonly DisclosureChannel[] = ['office', 'loudspeaker', 'village_meeting', 'web_page', 'zalo', 'other'];
