//! Petition types: rows, API types, request bodies and filters.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::lifecycle::PetitionAction;
use crate::db::schema::{petition_events, petition_photos, petitions};
use crate::error::{AppError, AppResult};

pub const KINDS: [&str; 5] = ["recommendation", "feedback", "complaint", "denunciation", "other"];
pub const CHANNELS: [&str; 7] = ["reception", "post", "desk", "online", "forwarded", "national_portal", "village"];
pub const OUTCOMES: [&str; 3] = ["upheld", "partly", "rejected"];
pub const RATINGS: [&str; 3] = ["like", "neutral", "dislike"];

/// Vietnamese name of a kind.
pub fn kind_name(kind: &str) -> &'static str {
    match kind {
        "recommendation" => "Kiến nghị",
        "feedback" => "Phản ánh",
        "complaint" => "Khiếu nại",
        "denunciation" => "Tố cáo",
        _ => "Khác",
    }
}

/// A stored petition: its id, what is written when it is received ([`NewPetition`], of which
/// `status` and `updated_at` move on), and what its handling sets.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = petitions)]
pub struct PetitionRow {
    pub id: i64,
    #[diesel(embed)]
    pub received: NewPetition,
    pub complexity: i32,
    pub accepted_at: Option<NaiveDateTime>,
    pub refusal_reason: Option<String>,
    pub forwarded_to: Option<String>,
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
    pub outcome: Option<String>,
    pub conclusion: Option<String>,
    pub document_ref: Option<String>,
    pub concluded_at: Option<NaiveDateTime>,
    pub published_answer: Option<String>,
    pub answer_public: bool,
    pub published_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub paused_since: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub due_clock: Option<String>,
    pub on_time: Option<bool>,
    pub rating: Option<String>,
}

crate::row_derefs_to!(PetitionRow, received: NewPetition);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = petitions)]
pub struct NewPetition {
    pub commune_id: i64,
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub subject: String,
    pub content: String,
    pub search: String,
    pub petitioner_name: Option<String>,
    pub phone_digits: String,
    pub village_unit_id: Option<i64>,
    pub submitted_by: Option<i64>,
    pub dossier_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub received_at: NaiveDateTime,
    pub repeat_of: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an action changes on the row (`None` = unchanged; the clock fields are always set).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = petitions)]
pub struct PetitionChanges {
    pub status: Option<String>,
    pub complexity: Option<i32>,
    pub accepted_at: Option<Option<NaiveDateTime>>,
    pub refusal_reason: Option<Option<String>>,
    pub forwarded_to: Option<Option<String>>,
    pub handler_id: Option<Option<i64>>,
    pub handler_name: Option<Option<String>>,
    pub outcome: Option<Option<String>>,
    pub conclusion: Option<Option<String>>,
    pub document_ref: Option<Option<String>>,
    pub concluded_at: Option<Option<NaiveDateTime>>,
    pub published_answer: Option<Option<String>>,
    pub answer_public: Option<bool>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
    pub paused_since: Option<Option<NaiveDateTime>>,
    pub due_at: Option<Option<NaiveDateTime>>,
    pub due_clock: Option<Option<String>>,
    pub on_time: Option<Option<bool>>,
    pub rating: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = petition_events)]
pub struct EventRow {
    pub id: i64,
    pub petition_id: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub note: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub days: Option<i32>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = petition_events)]
pub struct NewEvent {
    pub petition_id: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub note: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub days: Option<i32>,
}

/// A denouncer's identity as entered and as read (never stored in clear).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    /// Attachments marked as identifying (sealed with the identity).
    #[serde(default)]
    pub attachments: Vec<IdentityAttachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IdentityAttachment {
    pub file_name: String,
    /// Base64 of the file.
    pub content_base64: String,
}

/// Body of `POST /petitions`. A denunciation carries its denouncer in `identity` (sealed);
/// other kinds name their petitioner in `petitioner_name`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePetition {
    /// recommendation, feedback, complaint, denunciation, other.
    pub kind: String,
    /// reception, post, desk, online, forwarded, national_portal, village.
    pub channel: String,
    pub subject: String,
    pub content: String,
    pub petitioner_name: Option<String>,
    /// The petitioner's phone (only its digits are kept, for the public lookup).
    pub phone: Option<String>,
    pub village_unit_id: Option<i64>,
    /// The one-stop dossier the petition is about (complaints about a procedure).
    pub dossier_id: Option<i64>,
    /// When it was received, if not now (a letter dated earlier).
    pub received_at: Option<DateTime<FixedOffset>>,
    pub identity: Option<Identity>,
    /// An earlier petition with the same content (a repeat).
    pub repeat_of: Option<i64>,
}

/// Body of `POST /petitions/{id}/actions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionActionBody {
    pub action: PetitionAction,
    pub note: Option<String>,
    /// `refuse`: the legal reason.
    pub reason: Option<String>,
    /// `forward`: to whom.
    pub to: Option<String>,
    /// `assign`: the handler (a board or UBND user of the commune).
    pub handler_id: Option<i64>,
    /// `accept`: 0 normal, 1 complex, 2 very complex.
    pub complexity: Option<i32>,
    /// `conclude`: upheld, partly, rejected.
    pub outcome: Option<String>,
    pub conclusion: Option<String>,
    /// `conclude` / `extend`: number and date of the written decision.
    pub document_ref: Option<String>,
    /// `publish`: the answer; `public`: shown on the public list of answered feedback.
    pub answer: Option<String>,
    pub public: Option<bool>,
    /// `extend`: date of the written decision and the days added. `accept`: the day the petition
    /// was accepted, when entered afterwards (between its receipt and today; default now).
    pub decision_date: Option<NaiveDate>,
    pub days: Option<i32>,
    /// `record_rating`: like, neutral, dislike.
    pub rating: Option<String>,
}

/// A petition as the staff see it. A denunciation never carries its denouncer here.
#[derive(Debug, Serialize, ToSchema)]
pub struct Petition {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub kind_name: String,
    pub channel: String,
    pub status: String,
    pub status_name: String,
    pub subject: String,
    pub content: String,
    pub petitioner_name: Option<String>,
    /// A sealed identity exists (denunciations): read it through `/identity`.
    pub identity_sealed: bool,
    pub village_unit_id: Option<i64>,
    pub dossier_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub complexity: i32,
    pub received_at: DateTime<FixedOffset>,
    pub accepted_at: Option<DateTime<FixedOffset>>,
    pub refusal_reason: Option<String>,
    pub forwarded_to: Option<String>,
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
    pub outcome: Option<String>,
    pub conclusion: Option<String>,
    pub document_ref: Option<String>,
    pub concluded_at: Option<DateTime<FixedOffset>>,
    pub published_answer: Option<String>,
    pub answer_public: bool,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub closed_at: Option<DateTime<FixedOffset>>,
    pub paused_since: Option<DateTime<FixedOffset>>,
    pub due_at: Option<DateTime<FixedOffset>>,
    pub due_clock: Option<String>,
    pub overdue: bool,
    pub on_time: Option<bool>,
    pub rating: Option<String>,
    pub repeat_of: Option<i64>,
}

/// One legal clock of a petition, with its legal source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockView {
    /// accept, settle, refuse, ask_info, handle, publish.
    pub name: String,
    pub label: String,
    /// The rule applied (settle_complex, settle_remote, …).
    pub rule: String,
    pub start: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    pub amount: u32,
    /// calendar_days or working_days.
    pub unit: String,
    pub source: String,
    pub extended_days: u32,
    pub paused_days: i64,
    pub paused_minutes: i64,
    pub ended_at: Option<DateTime<FixedOffset>>,
    /// running, paused, overdue, met, missed, stopped.
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionEvent {
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: DateTime<FixedOffset>,
    pub actor_name: String,
    pub note: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub days: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionDetail {
    pub petition: Petition,
    pub clocks: Vec<ClockView>,
    pub events: Vec<PetitionEvent>,
    pub allowed_actions: Vec<PetitionAction>,
    /// Whether the caller may read the sealed identity (the assigned handler, the chairman).
    pub may_read_identity: bool,
    /// Photos the citizen sent with it (from `/phan-anh`).
    pub photos: Vec<PetitionPhoto>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = petition_photos)]
pub struct PhotoRow {
    pub id: i64,
    pub petition_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = petition_photos)]
pub struct NewPhoto {
    pub petition_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

/// A photo of a petition, read by the staff through `url` (with their token).
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionPhoto {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// `/api/v1/petitions/{id}/photos/{photo_id}`.
    pub url: String,
}

/// The multipart form of `POST /public/communes/{code}/petitions/with-photo`: the fields of
/// [`PublicSubmission`] and one optional `photo` (JPEG, PNG or WebP, checked by content).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PublicSubmissionForm {
    /// recommendation or feedback.
    pub kind: String,
    pub subject: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub village_unit_id: Option<i64>,
    #[schema(value_type = Option<String>, format = Binary)]
    pub photo: Option<Vec<u8>>,
}

/// Someone a petition may be assigned to (a board or UBND account of the commune).
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionHandler {
    pub id: i64,
    pub full_name: String,
    pub role: String,
}

/// Filters of `GET /petitions`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PetitionFilter {
    /// Diacritic-insensitive search in code, subject and content.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// `open`, `due_soon` (due within 3 days), `overdue`, `mine` (assigned to me and still being
    /// handled; with a `status`, mine in that status).
    pub view: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// `?reason=` of `GET /petitions/{id}/identity`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdentityQuery {
    /// Why the identity is read (kept in the audit log).
    pub reason: Option<String>,
}

/// Body of `PUT /petitions/settings`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionSettings {
    /// The commune is in a remote, difficult area (longer complaint clocks).
    pub remote_area: bool,
}

/// Body of `PUT /users/{id}/chairman`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChairmanFlag {
    pub is_chairman: bool,
}

/// A citizen's own recommendation or feedback from the public page.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicSubmission {
    /// recommendation or feedback.
    pub kind: String,
    pub subject: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub village_unit_id: Option<i64>,
}

/// What a citizen gets back: the tracking code.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicReceipt {
    pub code: String,
    pub received_at: DateTime<FixedOffset>,
}

/// What the public lookup shows: status and the published answer, never personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPetition {
    pub code: String,
    pub kind: String,
    pub kind_name: String,
    pub status: String,
    pub status_name: String,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: Option<DateTime<FixedOffset>>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<FixedOffset>>,
}

/// One answered feedback item on the public list (no personal data).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicAnswer {
    pub code: String,
    pub kind: String,
    pub subject: String,
    pub answer: String,
    pub answered_at: DateTime<FixedOffset>,
}

/// `?from&to` (local dates, inclusive).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Oversight: one commune among those overseen (default: all of them).
    pub commune_id: Option<i64>,
}

impl PeriodQuery {
    /// `[from, to]`: by default the `days` to today; at most 800 days.
    pub fn period(&self, days: i64) -> AppResult<(NaiveDate, NaiveDate)> {
        let to = self.to.unwrap_or_else(crate::time::today_local);
        let from = self.from.unwrap_or(to - chrono::Duration::days(days - 1));
        if from > to || (to - from).num_days() > 800 {
            return Err(AppError::field("to", "invalid_value", "Khoảng thời gian từ 0 đến 800 ngày."));
        }
        Ok((from, to))
    }
}

/// Counts of one kind for the evaluation.
#[derive(Debug, Serialize, ToSchema, Default, Clone)]
pub struct KindFigures {
    pub kind: String,
    pub received: i64,
    pub accepted: i64,
    pub settled: i64,
    /// Of `settled`, those with a legal time limit (a kind the law gives none has no "on time").
    pub settled_with_time_limit: i64,
    pub settled_on_time: i64,
    /// Average calendar days from receipt to conclusion.
    pub average_days: Option<f64>,
    pub overdue_open: i64,
}

/// Figures for the evaluation (counts only: oversight reads these, never content).
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub communes: i64,
    pub by_kind: Vec<KindFigures>,
    pub sessions_required: i64,
    pub sessions_held: i64,
}

/// One commune's figures (`GET /petitions/figures/by-commune`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunePetitionFigures {
    pub commune_id: i64,
    pub figures: PetitionFigures,
}

/// A printable document of a petition.
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionDocument {
    pub header: crate::onestop::model::FormHeader,
    /// acceptance, refusal, forwarding, extension.
    pub document: String,
    pub title: String,
    /// The paper's own number after "Số:": the extension decision's, as recorded; a blank to fill
    /// in by hand ("…/TB-UBND") for a notice (the tracking code is not a document number).
    pub number: String,
    pub code: String,
    pub kind_name: String,
    pub subject: String,
    /// The petitioner's name, or "(được giữ bí mật)" for a denouncer.
    pub petitioner: String,
    pub received_at: DateTime<FixedOffset>,
    pub decided_at: DateTime<FixedOffset>,
    pub body: Vec<String>,
    pub legal_basis: String,
    pub signer_title: String,
}

/// One row of the register of petitions (sổ theo dõi đơn thư).
#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionRegisterRow {
    pub number: i64,
    pub code: String,
    pub received_at: DateTime<FixedOffset>,
    pub petitioner: String,
    pub kind_name: String,
    pub subject: String,
    pub status_name: String,
    pub handler_name: Option<String>,
    pub due_at: Option<DateTime<FixedOffset>>,
    pub result: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionRegister {
    pub header: crate::onestop::model::FormHeader,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<PetitionRegisterRow>,
}
