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

export type Dialogue = S['Dialogue'];
export type DialogueSummary = S['DialogueSummary'];
export type CreateDialogue = S['CreateDialogue'];
export type Commitment = S['Commitment'];
export type CreateCommitment = S['CreateCommitment'];
export type CreateCommitmentReport = S['CreateCommitmentReport'];
export type CommitmentToTask = S['CommitmentToTask'];
export type CommitmentStatus = S['CommitmentStatus'];
/** A correction of a commitment's or a decision's text, owner unit or due day. */
export type CorrectItem = S['CorrectItem'];
export type SupervisionInput = S['SupervisionInput'];
export type Activity = S['Activity'];
export type ActivityInput = S['ActivityInput'];
export type ActivityKind = S['ActivityKind'];
export type ActivityChannel = S['ActivityChannel'];
export type Meeting = S['Meeting'];
export type MeetingSummary = S['MeetingSummary'];
export type MeetingInput = S['MeetingInput'];
export type Decision = S['Decision'];
export type CreateDecision = S['CreateDecision'];
export type CreateDecisionReport = S['CreateDecisionReport'];
export type DecisionToTask = S['DecisionToTask'];
export type Board = S['Board'];
export type Supervision = S['Supervision'];
export type CreateSupervision = S['CreateSupervision'];
export type Recommendation = S['Recommendation'];
export type RespondRecommendation = S['RespondRecommendation'];
export type ResponseStatus = S['ResponseStatus'];

export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = ['open', 'in_progress', 'done', 'dropped'];
export const ACTIVITY_CHANNELS: readonly ActivityChannel[] = ['meeting', 'loudspeaker', 'leaflets', 'zalo', 'visits', 'other'];
export const RESPONSE_STATUSES: readonly ResponseStatus[] = ['pending', 'accepted', 'resolved', 'declined'];

export const CHANNELS: readonly DisclosureChannel[] = ['office', 'loudspeaker', 'village_meeting', 'web_page', 'zalo', 'other'];
