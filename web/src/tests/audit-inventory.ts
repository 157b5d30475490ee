// Every code the server can write into the audit log, for the test that the audit page names each
// one in both languages (audit-inventory.test.ts).
//
// How it was gathered (api/src, the day of this commit): every call of `audit::repo::record_entity`,
// `audit::repo::record` (`Change { … }`) and `democracy::common::record`, with the `json!({…})`
// summary next to it, the `diff.insert(…)`/`facts.insert(…)` maps of the updates,
// `common::changed_fields(…)`, `correct_item`, `visit_audit` and integration's `change(…)`; actions
// written through an enum (`body.action.as_str()`: onestop's `Action`, petitions' `PetitionAction`)
// and entities through a constant (`Tracked::ENTITY`, democracy's `FileOwner` in the living demo)
// were read from those enums. Value codes come from the `text_enum!` blocks and the constant lists
// (petitions' KINDS/CHANNELS/STATUSES/OUTCOMES/RATINGS, reception's KINDS/STATUSES/HANDLINGS,
// webhooks' EVENTS). Fields marked "anticipated" are not recorded yet: the server's side of the same
// review is adding them.

export const AUDIT_ACTIONS = [
  // every module
  'create', 'update', 'delete',
  // sign-in, accounts
  'login', 'logout', 'revoke', 'password_change', 'password_reset', 'mfa_enable', 'mfa_disable', 'mfa_recovery_used',
  // data in bulk, demo
  'import', 'generate', 'seed', 'demo_progress', 'bulk_update', 'roll_over',
  // plans, democracy
  'report', 'comment', 'attach', 'to_task', 'relay', 'respond',
  // surveys
  'answer', 'enter', 'correct',
  // evaluation, notifications
  'publish', 're_evaluate', 'read', 'scan',
  // integration, webhooks, Open311 categories
  'rotate', 'api_key_refused', 'resend', 'webhook_disabled', 'enable', 'disable', 'activate', 'deactivate', 'open311_request',
  // one-stop dossiers (onestop::model::Action) and the lookup lock
  'receive', 'start_processing', 'request_supplement', 'receive_supplement', 'request_payment', 'confirm_payment', 'refuse',
  'withdraw', 'stop', 'resolve', 'return_result', 'apologize_and_extend', 'unlock_lookup',
  // petitions (petitions::lifecycle::PetitionAction)
  'accept', 'forward', 'assign', 'start_investigation', 'request_info', 'receive_info', 'extend', 'conclude', 'notify', 'close',
  'record_rating', 'read_identity',
] as const;

export const AUDIT_ENTITIES = [
  'activity', 'api_key', 'authority', 'calendar_hours', 'calendar_override', 'calendar_tet_decision', 'commitment', 'commune',
  'commune_security', 'content_area', 'counter_record', 'criteria_set', 'decision', 'democracy_settings', 'dialogue', 'disclosure',
  'disclosure_item', 'dossier', 'evaluation', 'feedback_category', 'meeting', 'notification', 'notification_preferences',
  'onestop_target', 'petition', 'petition_settings', 'plan', 'plan_step', 'procedure', 'procedure_details', 'reception_session',
  'reception_visit', 'recommendation', 'relay', 'session', 'supervision', 'survey', 'survey_form', 'survey_response',
  'survey_tally', 'task', 'unit', 'user', 'webhook_delivery', 'webhook_subscription',
] as const;

/** Every field name a summary holds (top level, inside `before`/`after`, and a few nested ones). */
export const AUDIT_FIELDS = [
  'accepted_on', 'active', 'activities', 'afternoon', 'all', 'answered_on', 'answers', 'areas', 'as_of', 'at', 'authority',
  'authority_id', 'board_target', 'board_unit_id', 'bytes', 'carried_over', 'channel', 'channels', 'citizen_names_changed', 'minutes_changed', 'complexity', 'public', 'summary_changed', 'groups_reached', 'leader_title',
  'classification', 'client_id', 'code', 'collected_on', 'comment_id', 'commune_id', 'content', 'content_area_id', 'counts',
  'created', 'criteria', 'criteria_set_id', 'cutoff', 'date', 'day', 'days', 'days_before', 'decision_date', 'decisions',
  'delegated', 'deliveries', 'demo', 'description', 'dialogue_id', 'dialogues', 'digitised', 'disclosures', 'disclosures_moved',
  'dissolved_on', 'document_ref', 'documents', 'done', 'dossiers', 'due_at', 'due_date', 'due_from', 'due_on', 'duplicate',
  'effective_from', 'electronic_result', 'email_enabled', 'endpoint', 'ends_at', 'ends_on', 'event', 'events', 'expected_outcome',
  'expires_at', 'factor', 'failures', 'fee_vnd', 'field', 'file_id', 'file_name', 'files', 'findings', 'form_id', 'format', 'forms',
  'forwarded_to', 'found', 'from', 'from_data_store', 'from_plan_id', 'full_name', 'full_share', 'group_size', 'handler_id',
  'handling', 'held_on', 'identity_sealed', 'in_progress', 'ip_allow', 'is_chairman', 'issued_on', 'issues', 'issuing_unit_id',
  'item', 'judged', 'key', 'kind', 'late', 'lead_unit_id', 'leaders', 'legal_bases', 'level', 'limit', 'marked', 'max',
  'meeting_id', 'meetings', 'method', 'mfa', 'mfa_required', 'min_posting_days', 'minutes', 'model_name', 'modes', 'morning',
  'name', 'new_due_at', 'new_version', 'note', 'number', 'old_valid_until', 'on_time', 'onestop_unit_name', 'online_level',
  'online_payment', 'online_share', 'other_sessions_ended', 'owner', 'owner_unit_id', 'paid_online', 'participants', 'per_dossier',
  'periodic_grace_days', 'periodicity', 'petition_id', 'phone', 'photo', 'photos', 'place', 'plan_id', 'position', 'posted_on',
  'posting_complete', 'prefix', 'previous_id', 'procedure_id', 'progress', 'purposes', 'questions', 'rate_per_minute', 'rating',
  'reactivated', 'reason', 'received_at', 'receiver_name', 'recommendations', 'recovery_codes', 'recovery_codes_left', 'relay_id',
  'relay_within_days', 'relayed_on', 'remote_area', 'replaced_by', 'replaces', 'replaces_shipped', 'report_id',
  'reporting_cadence', 'result_kind', 'role', 'rolled_into', 'rows', 'scopes', 'sections', 'seed', 'service_code', 'session_id',
  'sessions_ended', 'sha256', 'source', 'start_date', 'starts_at', 'starts_on', 'status', 'step_id', 'steps', 'subject',
  'subscription', 'supervision_id', 'supervisions', 'supporting_unit_ids', 'survey_id', 'surveys', 'taken_down_on', 'task_id',
  'tasks', 'text', 'title', 'to', 'topics', 'total', 'unchanged', 'unfinished', 'unit_id', 'units', 'updated', 'url', 'user_agent',
  'username', 'version', 'village_id', 'village_ids', 'villages', 'warnings', 'webhooks_moved', 'weight', 'wrong_tries_forgotten',
  'year',
  // anticipated (recorded by the server side of the same review, next)
  'answer', 'agenda', 'chaired_by', 'conclusion', 'old_due_at', 'outcome', 'responsible_unit_id', 'unit_ids', 'user_id',
] as const;

/** The codes a field's value can hold, by vocabulary (summary.ts says which field uses which). */
export const AUDIT_VALUES: Record<string, readonly string[]> = {
  role: ['admin', 'board', 'ubnd', 'front', 'village', 'oversight'],
  dossier_status: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  dossier_channel: ['1', '2', '3'],
  task_status: ['not_started', 'in_progress', 'done', 'cancelled'],
  plan_status: ['draft', 'active', 'closed'],
  cadence: ['weekly', 'monthly', 'quarterly'],
  petition_status: ['received', 'accepted', 'refused', 'forwarded', 'assigned', 'investigating', 'concluded', 'published', 'notified', 'closed', 'withdrawn'],
  petition_kind: ['recommendation', 'feedback', 'complaint', 'denunciation', 'other'],
  petition_channel: ['reception', 'post', 'desk', 'online', 'forwarded', 'national_portal', 'village'],
  outcome: ['upheld', 'partly', 'rejected'],
  rating: ['like', 'neutral', 'dislike'],
  session_kind: ['regular', 'adhoc'],
  session_status: ['planned', 'held', 'cancelled'],
  handling: ['answered', 'guided', 'petition_opened', 'forwarded'],
  disclosure_channel: ['office', 'loudspeaker', 'village_meeting', 'web_page', 'zalo', 'other'],
  commitment_status: ['open', 'in_progress', 'done', 'dropped'],
  activity_kind: ['awareness', 'other'],
  activity_channel: ['meeting', 'loudspeaker', 'leaflets', 'zalo', 'visits', 'other'],
  response_status: ['pending', 'accepted', 'resolved', 'declined'],
  survey_channel: ['dossier', 'link', 'paper', 'village'],
  unit_kind: ['board', 'people_committee', 'front', 'union', 'village', 'inspection_board', 'investment_supervision_board', 'school', 'health_station', 'other'],
  commune_kind: ['xa', 'phuong', 'thi_tran', 'dac_khu'],
  override_kind: ['day_off', 'working_day'],
  override_level: ['national', 'provincial', 'commune'],
  authority_level: ['province', 'district'],
  key_kind: ['live', 'test'],
  scope: ['read_aggregates', 'read_dossiers_masked', 'read_plans', 'submit_feedback', 'receive_webhooks'],
  event: [
    'dossier.received', 'dossier.status_changed', 'dossier.finished', 'dossier.resolved', 'dossier.returned', 'dossier.late',
    'petition.received', 'petition.accepted', 'petition.concluded', 'petition.answered', 'petition.overdue', 'task.overdue',
    'evaluation.published',
  ],
  delivery_mode: ['digest', 'immediate', 'off'],
  notification_kind: ['task_due', 'task_overdue', 'dossier_due_today', 'dossier_apology_due', 'dossier_overdue', 'petition_due', 'petition_overdue', 'relay_missing', 'commitment_due', 'survey_ending'],
  result_kind: ['paper', 'electronic', 'both'],
  online_level: ['none', 'partial', 'full'],
  counter_kind: ['guidance', 'refusal'],
  evaluation_status: ['draft', 'published'],
  evaluation_rating: ['excellent', 'good', 'done', 'not_done'],
  periodicity: ['none', 'quarterly', 'half_yearly', 'yearly'],
  due_from: ['period_end', 'period_start'],
  factor: ['totp', 'recovery_code'],
  file_owner: ['disclosure_document', 'disclosure_evidence', 'relay', 'commitment_report', 'activity', 'meeting_minutes', 'decision_report', 'supervision'],
  reason: ['refresh_token_reuse', 'endpoint_closed_to_keys', 'scope_denied'],
  source: ['demo', 'plan'],
};
