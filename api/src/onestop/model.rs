//! One-stop types: procedures, dossiers, events; rows, API types, bodies and filters.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::calendar::model::LimitUnit;
use crate::db::schema::{counter_records, dossier_events, dossiers, procedures};

/// Online service level (Decree 42/2022 Art. 11): `full` toàn trình, `partial` một phần.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    Full,
    Partial,
    None,
}

impl OnlineLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::None => "none",
        }
    }

    /// Accepts the current words and the legacy levels (4 → full, 3 → partial, 1–2 → none).
    /// Reads the new words and the old ones (mức độ 1–4), in any case and with or without
    /// diacritics. A blank is not a level: an import row must say which.
    pub fn parse(s: &str) -> Option<OnlineLevel> {
        let folded = crate::db::fold_search(s.trim());
        let key = folded.trim_start_matches("muc do").trim();
        match key {
            "full" | "4" | "toan trinh" => Some(OnlineLevel::Full),
            "partial" | "3" | "mot phan" => Some(OnlineLevel::Partial),
            "none" | "1" | "2" | "chua truc tuyen" => Some(OnlineLevel::None),
            _ => None,
        }
    }

    /// The Vietnamese label, with the legacy level beside the new word so that people who
    /// know only "mức độ 3, 4" still read it.
    pub fn label_vi(self) -> &'static str {
        match self {
            OnlineLevel::Full => "Toàn trình (trước đây mức độ 4)",
            OnlineLevel::Partial => "Một phần (trước đây mức độ 3)",
            OnlineLevel::None => "Chưa trực tuyến",
        }
    }
}

/// Kind of result a procedure returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    Paper,
    Electronic,
    Both,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Paper => "paper",
            ResultKind::Electronic => "electronic",
            ResultKind::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<ResultKind> {
        match s.trim() {
            "paper" | "" => Some(ResultKind::Paper),
            "electronic" => Some(ResultKind::Electronic),
            "both" => Some(ResultKind::Both),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = procedures)]
pub struct ProcedureRow {
    pub id: i64,
    pub commune_id: i64,
    pub code: String,
    pub name: String,
    pub name_search: String,
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: String,
    pub cutoff_minutes: i32,
    pub fee_vnd: Option<i64>,
    pub fee_note: Option<String>,
    pub online_payment: bool,
    pub result_kind: String,
    pub posted_on: Option<NaiveDate>,
    pub posting_complete: bool,
    pub active: bool,
    pub demo: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = procedures)]
pub struct ProcedureValues {
    pub code: String,
    pub name: String,
    pub name_search: String,
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: String,
    pub cutoff_minutes: i32,
    #[diesel(treat_none_as_null = true)]
    pub fee_vnd: Option<i64>,
    #[diesel(treat_none_as_null = true)]
    pub fee_note: Option<String>,
    pub online_payment: bool,
    pub result_kind: String,
    #[diesel(treat_none_as_null = true)]
    pub posted_on: Option<NaiveDate>,
    pub posting_complete: bool,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// One entry of a procedure's online-level history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnlineLevelEntry {
    pub level: OnlineLevel,
    pub effective_from: NaiveDate,
}

/// An administrative procedure of the commune's catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Procedure {
    pub id: i64,
    /// National code (mã TTHC), e.g. `1.001612`.
    pub code: String,
    pub name: String,
    /// Lĩnh vực: chứng thực, hộ tịch, đất đai…
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: LimitUnit,
    /// Same-day cut-off `HH:MM`.
    pub cutoff: String,
    pub fee_vnd: Option<i64>,
    pub fee_note: Option<String>,
    /// The level in force today.
    pub online_level: OnlineLevel,
    /// Every level with the date it took effect, oldest first.
    pub online_level_history: Vec<OnlineLevelEntry>,
    pub online_payment: bool,
    pub result_kind: ResultKind,
    pub posted_on: Option<NaiveDate>,
    pub posting_complete: bool,
    pub active: bool,
    /// Seeded demo data, not verified against the national database.
    pub demo: bool,
}

/// Body of `POST /procedures`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProcedure {
    pub code: String,
    pub name: String,
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: LimitUnit,
    /// `HH:MM`, default 15:00.
    pub cutoff: Option<String>,
    pub fee_vnd: Option<i64>,
    pub fee_note: Option<String>,
    pub online_level: OnlineLevel,
    /// When the level took effect (default: today).
    pub online_level_from: Option<NaiveDate>,
    #[serde(default)]
    pub online_payment: bool,
    pub result_kind: Option<ResultKind>,
    pub posted_on: Option<NaiveDate>,
    #[serde(default)]
    pub posting_complete: bool,
    pub active: Option<bool>,
}

/// Body of `PATCH /procedures/{id}`: absent fields stay; `null` clears nullable ones. A new
/// `online_level` adds a history entry from `online_level_from` (default today).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProcedure {
    pub code: Option<String>,
    pub name: Option<String>,
    pub field: Option<String>,
    pub limit_amount: Option<i32>,
    pub limit_unit: Option<LimitUnit>,
    pub cutoff: Option<String>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<i64>)]
    pub fee_vnd: Option<Option<i64>>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<String>)]
    pub fee_note: Option<Option<String>>,
    pub online_level: Option<OnlineLevel>,
    pub online_level_from: Option<NaiveDate>,
    pub online_payment: Option<bool>,
    pub result_kind: Option<ResultKind>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub posted_on: Option<Option<NaiveDate>>,
    pub posting_complete: Option<bool>,
    pub active: Option<bool>,
}

/// Filters for `GET /procedures`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProcedureFilter {
    /// Diacritic-insensitive search in name and code.
    pub q: Option<String>,
    pub field: Option<String>,
    pub active: Option<bool>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Result of a CSV import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
}

/// Query of the public catalogue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublicProcedureQuery {
    /// The commune (optional when the server hosts one commune).
    pub commune_id: Option<i64>,
    pub q: Option<String>,
}

/// A procedure as the public sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProcedure {
    pub code: String,
    pub name: String,
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: LimitUnit,
    pub fee_vnd: Option<i64>,
    pub fee_note: Option<String>,
    pub online_level: OnlineLevel,
    pub online_payment: bool,
    pub result_kind: ResultKind,
}

/// The public catalogue of a commune.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicCatalogue {
    pub commune_id: i64,
    pub commune_name: String,
    pub items: Vec<PublicProcedure>,
}

/// A stored dossier: who holds it and where it came from, and its [`DossierValues`].
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false)]
pub struct DossierRow {
    pub id: i64,
    pub commune_id: i64,
    pub unit_id: i64,
    pub code: String,
    #[diesel(embed)]
    pub values: DossierValues,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// `local`, `import` or `demo`.
    pub source: String,
    /// The procedure's time limit in force at receipt (`None` for imported and generated
    /// dossiers, whose appointment is the legal due time).
    pub limit_amount: Option<i32>,
    pub limit_unit: Option<String>,
    pub cutoff_minutes: Option<i32>,
    /// `None`: no apology; `Some(true)`: sent by `apology_by`; `Some(false)`: sent late.
    pub apology_timely: Option<bool>,
}

/// What a dossier is and where it stands: the procedure, the applicant, the legal times and the
/// lifecycle's derived columns. A province import sets exactly these (and compares them to tell
/// `updated` from `unchanged`); an intake gives them their first values.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct DossierValues {
    pub procedure_id: i64,
    pub channel: i32,
    pub status: i32,
    pub applicant_name: String,
    pub applicant_search: String,
    pub applicant_phone: String,
    pub phone_digits: String,
    pub applicant_id_number: String,
    pub applicant_address: String,
    pub received_at: NaiveDateTime,
    pub appointed_at: NaiveDateTime,
    pub deadline_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub paused_since: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub supplement_requests: i32,
    pub extended: bool,
    pub timeliness: Option<String>,
    pub paid_online: bool,
    pub digitised: bool,
    pub electronic_result: bool,
    /// Working minutes from receipt to the end of processing, paused time excluded.
    pub processing_minutes: Option<i32>,
    /// Components taken from the citizen's national data store (`DuocLayTuKhoDMQG`).
    pub from_data_store: bool,
    /// Form 04 is due by this time: one working day before the deadline.
    pub apology_by: Option<NaiveDateTime>,
}

/// A dossier an intake inserts. `None` inserts NULL (not `DEFAULT`), so the statement's text is
/// fixed and stays prepared.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false)]
pub struct NewDossier {
    pub commune_id: i64,
    pub unit_id: i64,
    pub code: String,
    #[diesel(embed)]
    pub values: DossierValues,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub limit_amount: Option<i32>,
    pub limit_unit: Option<String>,
    pub cutoff_minutes: Option<i32>,
}

/// Values recomputed from the events after every transition.
#[derive(Debug, Clone, AsChangeset, PartialEq)]
#[diesel(table_name = dossiers)]
pub struct DerivedChanges {
    pub status: i32,
    pub deadline_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    #[diesel(treat_none_as_null = true)]
    pub paused_since: Option<NaiveDateTime>,
    #[diesel(treat_none_as_null = true)]
    pub finished_at: Option<NaiveDateTime>,
    #[diesel(treat_none_as_null = true)]
    pub returned_at: Option<NaiveDateTime>,
    pub supplement_requests: i32,
    pub extended: bool,
    #[diesel(treat_none_as_null = true)]
    pub timeliness: Option<String>,
    #[diesel(treat_none_as_null = true)]
    pub processing_minutes: Option<i32>,
    #[diesel(treat_none_as_null = true)]
    pub apology_by: Option<NaiveDateTime>,
    #[diesel(treat_none_as_null = true)]
    pub apology_timely: Option<bool>,
    pub updated_at: NaiveDateTime,
}

/// Also the row the demo generator inserts (`demo::model::EventInsert`), every column given.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub id: i64,
    pub dossier_id: i64,
    pub action: String,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub note: Option<String>,
    pub new_due_at: Option<NaiveDateTime>,
}

/// `None` inserts NULL (not `DEFAULT`), so the statement's text is fixed and stays prepared.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossier_events, treat_none_as_default_value = false)]
pub struct NewEvent {
    pub dossier_id: i64,
    pub action: String,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub note: Option<String>,
    pub new_due_at: Option<NaiveDateTime>,
}

/// The applicant (personal data).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub address: String,
}

/// Body of `POST /dossiers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDossier {
    pub procedure_id: i64,
    /// 1 in person, 2 online, 3 public postal service.
    pub channel: i32,
    pub applicant: Applicant,
    /// Default: now. Not in the future; at most 365 days back.
    pub received_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub paid_online: bool,
    #[serde(default)]
    pub digitised: bool,
    /// Components taken from the citizen's national data store (DuocLayTuKhoDMQG).
    #[serde(default)]
    pub from_data_store: bool,
}

/// Body of `POST /dossiers/preview-due`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewDue {
    pub procedure_id: i64,
    pub received_at: Option<DateTime<FixedOffset>>,
}

crate::text_enum! {
    /// A transition of the lifecycle.
    pub enum Action labels {
        StartProcessing = "start_processing" ("Bắt đầu xử lý", "Start processing"),
        RequestSupplement = "request_supplement" ("Yêu cầu bổ sung", "Request supplement"),
        ReceiveSupplement = "receive_supplement" ("Nhận bổ sung", "Receive supplement"),
        RequestPayment = "request_payment" ("Yêu cầu nộp phí", "Request payment"),
        ConfirmPayment = "confirm_payment" ("Xác nhận đã nộp phí", "Confirm payment"),
        Refuse = "refuse" ("Từ chối", "Refuse"),
        Withdraw = "withdraw" ("Rút hồ sơ", "Withdraw"),
        Stop = "stop" ("Dừng giải quyết", "Stop"),
        Resolve = "resolve" ("Giải quyết xong", "Resolve"),
        ReturnResult = "return_result" ("Trả kết quả", "Return result"),
        ApologizeAndExtend = "apologize_and_extend" ("Xin lỗi và gia hạn", "Apologise and extend"),
    }
}

/// Body of `POST /dossiers/{id}/actions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    pub action: Action,
    /// Required for `request_supplement`, `refuse`, `stop` and `apologize_and_extend`.
    pub note: Option<String>,
    /// Required for `apologize_and_extend`: the new appointment.
    pub new_due_at: Option<DateTime<FixedOffset>>,
}

/// Body of `PATCH /dossiers/{id}`: the flags.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFlags {
    pub paid_online: Option<bool>,
    pub digitised: Option<bool>,
    pub electronic_result: Option<bool>,
    /// Components taken from the citizen's national data store.
    pub from_data_store: Option<bool>,
}

crate::text_enum! {
    /// How a dossier stands against its legal deadline (as the national portal counts it).
    pub enum Timeliness {
        Early = "early",
        OnTime = "on_time",
        Late = "late",
        OpenNotDue = "open_not_due",
        OpenOverdue = "open_overdue",
    }
}

/// Flags of a dossier.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierFlags {
    pub paid_online: bool,
    pub digitised: bool,
    pub electronic_result: bool,
    /// Components were taken from the citizen's national data store (766 row 4.4).
    pub from_data_store: bool,
    /// Form 04 (apology and new date) is due: `apology_by` has come (one working day before the
    /// deadline; the deadline itself for a dossier given a day or less), the dossier open, its
    /// clock running and no apology made yet.
    pub needs_apology: bool,
    /// Late (or open past the deadline) without an apology sent in time: a recorded breach.
    pub late_without_apology: bool,
    /// The clock is paused (supplement or financial obligation pending).
    pub paused: bool,
    /// The appointment was extended by an apology (form 04).
    pub extended: bool,
}

/// A dossier. `applicant` is masked unless the caller may read personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dossier {
    pub id: i64,
    pub code: String,
    /// `local` (received here), `import` (from the province's one-stop system: read-only here,
    /// updated by re-importing) or `demo` (generated).
    pub source: String,
    pub procedure_id: i64,
    pub procedure_code: String,
    pub procedure_name: String,
    /// 1 in person, 2 online, 3 postal.
    pub channel: i32,
    /// National status code 1–10.
    pub status: i32,
    pub status_name: String,
    pub applicant: Applicant,
    pub personal_data_masked: bool,
    pub received_at: DateTime<FixedOffset>,
    /// The appointment given at intake.
    pub appointed_at: DateTime<FixedOffset>,
    /// The current due time (pauses and extensions included).
    pub due_at: DateTime<FixedOffset>,
    /// The legal deadline timeliness is measured against (pauses included, extensions not).
    pub deadline_at: DateTime<FixedOffset>,
    pub paused_since: Option<DateTime<FixedOffset>>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub returned_at: Option<DateTime<FixedOffset>>,
    pub timeliness: Timeliness,
    pub supplement_requests: i32,
    pub flags: DossierFlags,
    /// Form 04 is due by this time: one working day before the deadline, or the deadline itself
    /// for a dossier given a day or less.
    pub apology_by: Option<DateTime<FixedOffset>>,
    pub unit_id: i64,
}

/// One event of a dossier's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierEvent {
    pub id: i64,
    pub action: String,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: DateTime<FixedOffset>,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// Free text that may hold personal data: `null` with `note_hidden` for callers who may
    /// not read personal data.
    pub note: Option<String>,
    /// The event has a note the caller may not read.
    pub note_hidden: bool,
    pub new_due_at: Option<DateTime<FixedOffset>>,
}

/// A dossier with its events and the actions allowed now.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierDetail {
    #[serde(flatten)]
    pub dossier: Dossier,
    pub events: Vec<DossierEvent>,
    pub allowed_actions: Vec<Action>,
    /// The dossier's satisfaction survey: its public link (`/khao-sat/{token}`) and whether it
    /// was answered.
    pub survey: crate::surveys::model::DossierSurvey,
}

/// Special lists of the staff screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DossierView {
    /// Received today.
    Today,
    /// Open, clock running, due within the next working day ("sắp đến hạn").
    DueSoon,
    /// Open, clock running, past the due time ("quá hạn").
    Overdue,
    /// Open, clock running, due before the end of today (local) and not past due yet.
    DueToday,
    /// Open, clock running, no apology yet and the time for form 04 has come.
    ApologyDue,
}

/// Filters for `GET /dossiers`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DossierFilter {
    pub status: Option<i32>,
    pub procedure_id: Option<i64>,
    pub channel: Option<i32>,
    #[param(inline)]
    pub timeliness: Option<Timeliness>,
    /// Local date (inclusive).
    pub received_from: Option<NaiveDate>,
    /// Local date (inclusive).
    pub received_to: Option<NaiveDate>,
    /// Processing ended on or after this local date.
    pub finished_from: Option<NaiveDate>,
    /// Processing ended on or before this local date.
    pub finished_to: Option<NaiveDate>,
    /// Still open at the end of this local date (as the indicators count "in progress");
    /// with `timeliness=open_overdue|open_not_due`, judged at that moment.
    pub open_at: Option<NaiveDate>,
    /// The commune, for oversight users (required for them; staff may only give their own).
    pub commune_id: Option<i64>,
    /// Code, applicant name (diacritic-insensitive) or phone; name and phone only for roles
    /// that read personal data.
    pub q: Option<String>,
    #[param(inline)]
    pub view: Option<DossierView>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// `?phone_last4=` of the public lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    pub phone_last4: Option<String>,
}

/// What the public lookup shows: no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDossier {
    pub code: String,
    pub procedure_name: String,
    pub status: i32,
    pub status_name: String,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    pub returned_at: Option<DateTime<FixedOffset>>,
    /// When a refused, withdrawn or stopped dossier ended (it has no appointment left).
    pub ended_at: Option<DateTime<FixedOffset>>,
    /// The clock is stopped (waiting for the citizen): `due_at` is not an appointment then.
    pub paused: bool,
    /// While a supplement is asked for: what is missing (the note of the request).
    pub supplement_note: Option<String>,
    /// Who to contact: the commune's one-stop desk ("Bộ phận Một cửa UBND xã Bình Lương").
    pub desk: String,
}

/// `GET /dossiers/register?from=&to=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The administrative header of a printed form (Decree 30/2020 layout).
#[derive(Debug, Serialize, ToSchema)]
pub struct FormHeader {
    /// Issuing body, top left (e.g. "UBND XÃ BÌNH LƯƠNG").
    pub issuer: String,
    /// The unit under it (e.g. "BỘ PHẬN MỘT CỬA").
    pub issuer_unit: String,
    pub motto_line1: String,
    pub motto_line2: String,
    /// "Bình Lương, ngày 26 tháng 11 năm 2026".
    pub place_date: String,
}

/// Data of printable form 01–06 (requested by its Thông tư 03/2025 number).
#[derive(Debug, Serialize, ToSchema)]
pub struct FormData {
    /// The form asked for, by its Thông tư 03/2025 number: `01`–`06`.
    pub form: String,
    /// The number printed, in the form set of the dossier's receipt date (e.g. the control
    /// sheet is `06` under Thông tư 03/2025 and `05` under Thông tư 01/2018).
    pub form_number: String,
    /// The legal basis of the form set (`Thông tư 03/2025/TT-VPCP`, `Thông tư 01/2018/TT-VPCP`).
    pub form_set: String,
    pub title: String,
    pub header: FormHeader,
    pub commune_name: String,
    pub dossier: Dossier,
    pub procedure: Procedure,
    /// Staff member who acted (receiver for 01, the actor of the form's event otherwise).
    pub staff_name: String,
    /// The note of the form's event (missing papers for 02, reason for 03, apology for 04).
    pub note: Option<String>,
    /// For 04: the new appointment.
    pub new_due_at: Option<DateTime<FixedOffset>>,
    /// Path of the public lookup page for the QR code (01).
    pub lookup_path: String,
    /// Form 01: path of the dossier's satisfaction survey for the QR "Quét để đánh giá".
    pub survey_path: Option<String>,
    /// For 06: every event.
    pub events: Vec<DossierEvent>,
}

/// One row of register 07.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterRow {
    pub no: usize,
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_address: String,
    pub channel: i32,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub returned_at: Option<DateTime<FixedOffset>>,
    pub status: i32,
    pub status_name: String,
    pub timeliness: Timeliness,
}

/// Form 07: the dossier register for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterData {
    pub form: String,
    /// The legal basis of the form set in force at the end of the period.
    pub form_set: String,
    pub title: String,
    pub header: FormHeader,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<RegisterRow>,
}

// ---------------------------------------------------------------- at the counter

crate::text_enum! {
    /// What happened at the counter to a dossier that was not received.
    pub enum CounterKind {
        /// Incomplete: guidance given with form 02; the citizen may come back with the papers.
        Guidance = "guidance",
        /// May not be received: refused with form 03.
        Refusal = "refusal",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = counter_records)]
pub struct CounterRow {
    pub id: i64,
    pub commune_id: i64,
    pub unit_id: i64,
    pub procedure_id: i64,
    pub kind: String,
    pub channel: i32,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_address: String,
    pub reason: String,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = counter_records)]
pub struct NewCounterRecord {
    pub commune_id: i64,
    pub unit_id: i64,
    pub procedure_id: i64,
    pub kind: String,
    pub channel: i32,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_address: String,
    pub reason: String,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub created_at: NaiveDateTime,
}

/// The person at the counter (no identity number: nothing is received).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterApplicant {
    pub name: String,
    /// Optional: for calling the citizen back.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
}

/// Body of `POST /onestop/counter-records`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCounterRecord {
    pub kind: CounterKind,
    pub procedure_id: i64,
    /// 1 in person, 2 online, 3 postal.
    pub channel: i32,
    pub applicant: CounterApplicant,
    /// Guidance: the papers missing or to correct; refusal: the reason (printed on the form).
    pub reason: String,
}

/// A counter guidance or refusal. Not a dossier: no number, not counted as received.
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterRecord {
    pub id: i64,
    pub kind: CounterKind,
    pub procedure_id: i64,
    pub procedure_code: String,
    pub procedure_name: String,
    pub channel: i32,
    /// Masked unless the caller may read personal data.
    pub applicant: CounterApplicant,
    pub personal_data_masked: bool,
    /// Masked (free text) unless the caller may read personal data.
    pub reason: Option<String>,
    pub at: DateTime<FixedOffset>,
    pub user_name: String,
    pub unit_id: i64,
}

/// `GET /onestop/counter-records`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CounterFilter {
    /// First day (local, inclusive); default: 30 days ago.
    pub from: Option<NaiveDate>,
    /// Last day (local, inclusive); default: today.
    pub to: Option<NaiveDate>,
    #[param(inline)]
    pub kind: Option<CounterKind>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Data of the printed form of a counter record: 02 (guidance) or 03 (refusal).
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterFormData {
    /// `02` or `03` (the same number in both form sets).
    pub form: String,
    pub form_set: String,
    pub title: String,
    pub header: FormHeader,
    pub commune_name: String,
    pub record: CounterRecord,
    pub procedure: Procedure,
}
