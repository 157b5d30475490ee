//! Rows, API types and request bodies of the satisfaction surveys.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{
    survey_answers, survey_form_versions, survey_forms, survey_responses, survey_tallies, surveys,
};

/// Kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// 5 = Rất hài lòng … 1 = Rất không hài lòng.
    Likert5,
    /// One option.
    Single,
    /// Several options.
    Multi,
    /// Free text.
    Text,
}

/// The five labels of the likert scale, 1 first.
pub const LIKERT_LABELS: [&str; 5] =
    ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"];
/// The same in English (the exports with `lang=en`).
pub const LIKERT_LABELS_EN: [&str; 5] = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"];

/// An option of a `single` or `multi` question (for `likert5`: the five labels, ids "1"–"5").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionOption {
    pub id: String,
    pub text: String,
}

/// One question of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable within the form (letters, digits, `_`); answers name it.
    pub id: String,
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default)]
    pub required: bool,
    /// Options of `single` and `multi`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<QuestionOption>,
    /// The overall-satisfaction question (a `likert5`): its 1–2 answers are the "dislikes" of
    /// the 766 index (row 5.4).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overall: bool,
    /// Part of the optional respondent profile (gender, age group, education, field); never
    /// required.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub profile: bool,
}

crate::text_enum! {
    /// Channel a response came through.
    pub enum Channel {
        /// The QR code of a dossier's receipt (form 01).
        Dossier = "dossier",
        /// The survey's open link or the desk's kiosk.
        Link = "link",
        /// A paper form entered by staff.
        Paper = "paper",
        /// A village head's capture on a phone.
        Village = "village",
    }
}

impl Channel {
    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Channel::Dossier, false) => "Theo hồ sơ (QR phiếu hẹn)",
            (Channel::Link, false) => "Đường dẫn mở / ki-ốt",
            (Channel::Paper, false) => "Phiếu giấy",
            (Channel::Village, false) => "Trưởng thôn thu hộ",
            (Channel::Dossier, true) => "Per dossier (receipt QR)",
            (Channel::Link, true) => "Open link / kiosk",
            (Channel::Paper, true) => "Paper form",
            (Channel::Village, true) => "Village capture",
        }
    }
}

crate::text_enum! {
    /// Whom a survey targets.
    pub enum SurveyTarget {
        /// Every citizen.
        All = "all",
        /// Users of one procedure (`target_ref` = its id).
        Procedure = "procedure",
        /// Users of one field of procedures (`target_ref` = the field).
        Field = "field",
        /// Users of one unit's service (`target_ref` = the unit id).
        Unit = "unit",
        /// The dossiers received in the survey's period (one answer per dossier).
        Dossiers = "dossiers",
    }
}

// ---------- rows ----------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_forms)]
pub struct FormRow {
    pub id: i64,
    pub commune_id: Option<i64>,
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub current_version: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = survey_forms)]
pub struct NewForm<'a> {
    pub commune_id: Option<i64>,
    pub code: Option<&'a str>,
    pub title: &'a str,
    pub description: &'a str,
    pub current_version: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_form_versions)]
pub struct FormVersionRow {
    pub id: i64,
    pub form_id: i64,
    pub version: i32,
    pub questions: String,
    pub created_at: NaiveDateTime,
}

impl FormVersionRow {
    /// The questions of this version (stored as JSON the service wrote).
    pub fn questions(&self) -> Vec<Question> {
        serde_json::from_str(&self.questions).unwrap_or_default()
    }
}

/// A stored survey: its id and what was recorded ([`NewSurvey`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: NewSurvey,
}

crate::row_derefs_to!(SurveyRow, values: NewSurvey);

impl SurveyRow {
    pub fn channel_list(&self) -> Vec<Channel> {
        self.channels.split(',').filter_map(Channel::parse).collect()
    }

    /// Open on `day` (local date).
    pub fn open_on(&self, day: NaiveDate) -> bool {
        day >= self.starts_on && self.ends_on.is_none_or(|e| day <= e)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys)]
pub struct NewSurvey {
    pub commune_id: i64,
    pub form_id: i64,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub target: String,
    pub target_ref: Option<String>,
    pub channels: String,
    pub per_dossier: bool,
    pub public_token: String,
    pub board_target: Option<f64>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = surveys)]
pub struct SurveyChanges {
    pub form_id: Option<i64>,
    pub title: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub target: Option<String>,
    pub target_ref: Option<Option<String>>,
    pub channels: Option<String>,
    pub per_dossier: Option<bool>,
    pub board_target: Option<Option<f64>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A stored response: its id and the values written at insert ([`NewResponse`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_responses)]
pub struct ResponseRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: NewResponse,
}

crate::row_derefs_to!(ResponseRow, values: NewResponse);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_responses)]
pub struct NewResponse {
    pub survey_id: i64,
    pub commune_id: i64,
    pub form_version_id: i64,
    pub channel: String,
    pub dossier_id: Option<i64>,
    pub client_id: Option<String>,
    pub procedure_id: Option<i64>,
    pub field: Option<String>,
    pub unit_id: Option<i64>,
    pub timeliness: Option<String>,
    pub officer_id: Option<i64>,
    pub village_id: Option<i64>,
    pub answered_at: NaiveDateTime,
    pub month: String,
    pub overall: Option<i32>,
    pub likert_n: i32,
    pub likert_sum: i32,
    pub likert_satisfied: i32,
    pub duplicate: bool,
    pub client_key: Option<String>,
    pub device: Option<String>,
    pub entered_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_answers)]
pub struct AnswerRow {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub response_id: i64,
    pub survey_id: i64,
    pub answered_at: NaiveDateTime,
    pub question_id: String,
    pub value_int: Option<i32>,
    pub option_id: Option<String>,
    pub free_text: Option<String>,
}

/// A stored tally of paper forms: its id and what was recorded ([`NewTally`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_tallies)]
pub struct TallyRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: NewTally,
}

crate::row_derefs_to!(TallyRow, values: NewTally);

impl TallyRow {
    pub fn count_map(&self) -> TallyCounts {
        serde_json::from_str(&self.counts).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_tallies)]
pub struct NewTally {
    pub survey_id: i64,
    pub commune_id: i64,
    pub form_version_id: i64,
    pub forms: i32,
    pub counts: String,
    pub collected_on: NaiveDate,
    pub village_id: Option<i64>,
    pub note: String,
    pub likert_n: i32,
    pub likert_sum: i32,
    pub likert_satisfied: i32,
    pub entered_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = survey_tallies)]
pub struct TallyChanges {
    pub forms: Option<i32>,
    pub counts: Option<String>,
    pub collected_on: Option<NaiveDate>,
    pub village_id: Option<Option<i64>>,
    pub note: Option<String>,
    pub likert_n: Option<i32>,
    pub likert_sum: Option<i32>,
    pub likert_satisfied: Option<i32>,
    pub updated_at: Option<NaiveDateTime>,
}

/// Counts of a tally: question id → answer (likert value "1"–"5" or option id) → forms.
pub type TallyCounts = BTreeMap<String, BTreeMap<String, i64>>;

// ---------- API ----------

/// A form and its current questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct Form {
    pub id: i64,
    /// `sipas`, `onestop`, `than_thien` for the shipped forms.
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    pub version: i32,
    /// Shipped with Thân Thiện: usable by every commune, not editable (copy it instead).
    pub shipped: bool,
    pub questions: Vec<Question>,
    pub updated_at: DateTime<FixedOffset>,
}

/// `POST /survey-forms`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub questions: Vec<Question>,
}

/// `PATCH /survey-forms/{id}`: once the form has answers, a change of questions makes a new
/// version; answers keep the version they answered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateForm {
    pub title: Option<String>,
    pub description: Option<String>,
    pub questions: Option<Vec<Question>>,
}

/// A survey (campaign).
#[derive(Debug, Serialize, ToSchema)]
pub struct Survey {
    pub id: i64,
    pub form_id: i64,
    pub form_title: String,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub target: SurveyTarget,
    pub target_ref: Option<String>,
    pub channels: Vec<Channel>,
    /// Answers through the dossiers' receipts land here.
    pub per_dossier: bool,
    /// The open link (`/khao-sat/{token}`) for posters and the kiosk.
    pub public_path: String,
    /// The board's target for the satisfaction index (0–1).
    pub board_target: Option<f64>,
    pub open: bool,
    pub responses: i64,
    pub created_at: DateTime<FixedOffset>,
}

/// A survey with its form's current questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDetail {
    #[serde(flatten)]
    pub survey: Survey,
    pub form_version: i32,
    pub questions: Vec<Question>,
}

/// `POST /surveys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSurvey {
    pub form_id: i64,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub target: SurveyTarget,
    pub target_ref: Option<String>,
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub per_dossier: bool,
    pub board_target: Option<f64>,
}

/// `PATCH /surveys/{id}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSurvey {
    pub title: Option<String>,
    pub starts_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::http::double_option::deserialize")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    pub channels: Option<Vec<Channel>>,
    pub per_dossier: Option<bool>,
    #[serde(default, deserialize_with = "crate::http::double_option::deserialize")]
    #[schema(value_type = Option<f64>)]
    pub board_target: Option<Option<f64>>,
}

/// Filters of `GET /surveys`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SurveyFilter {
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// One answer: `value` is 1–5 for `likert5`, an option id for `single`, a list of option ids
/// for `multi`, a string for `text`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub question_id: String,
    /// 1–5 (likert5), an option id (single), a list of option ids (multi), a text (text).
    pub value: Value,
}

/// `POST /public/surveys/{token}/responses`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicResponseInput {
    pub answers: Vec<AnswerInput>,
    /// A random id the kiosk or phone keeps (local storage), to flag repeated answers from one
    /// device; never required.
    pub device: Option<String>,
}

/// `POST /surveys/{id}/responses`: a paper form or a village head's capture.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffResponseInput {
    /// Made by the client (a UUID): the same id twice returns the first response (200).
    pub client_id: String,
    pub answers: Vec<AnswerInput>,
    /// When the form was filled in (local date); today when absent.
    pub answered_on: Option<NaiveDate>,
}

/// `PUT /surveys/{id}/responses/{response_id}`: a correction of an entered paper form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectResponse {
    pub answers: Vec<AnswerInput>,
}

/// A response as staff see it (never who answered: no dossier, no address).
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseOut {
    pub id: i64,
    pub survey_id: i64,
    pub channel: Channel,
    pub form_version: i32,
    pub answered_at: DateTime<FixedOffset>,
    pub duplicate: bool,
    pub answers: Vec<AnswerInput>,
    pub entered_by: Option<i64>,
}

/// `POST /surveys/{id}/tallies` and `PUT /surveys/{id}/tallies/{tally_id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TallyInput {
    /// Number of paper forms counted.
    pub forms: i32,
    /// Question id → answer ("1"–"5" for likert, option id otherwise) → number of forms.
    #[schema(value_type = Object)]
    pub counts: TallyCounts,
    pub collected_on: NaiveDate,
    /// The village the forms come from.
    pub village_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// A tally.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tally {
    pub id: i64,
    pub survey_id: i64,
    pub forms: i32,
    #[schema(value_type = Object)]
    pub counts: TallyCounts,
    pub collected_on: NaiveDate,
    pub village_id: Option<i64>,
    pub note: String,
    pub entered_by: Option<i64>,
    pub updated_at: DateTime<FixedOffset>,
}

impl From<TallyRow> for Tally {
    fn from(r: TallyRow) -> Self {
        Tally {
            id: r.id,
            survey_id: r.survey_id,
            forms: r.forms,
            counts: r.count_map(),
            collected_on: r.collected_on,
            village_id: r.village_id,
            note: r.values.note,
            entered_by: r.values.entered_by,
            updated_at: crate::time::rfc(r.values.updated_at),
        }
    }
}

/// What the public page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSurvey {
    pub title: String,
    /// What is collected and why (Decree 13/2023/NĐ-CP, Law 91/2025/QH15).
    pub notice: String,
    pub questions: Vec<Question>,
    /// For a dossier's link: it has been answered already.
    pub answered: bool,
    /// For a dossier's link: the procedure it was about.
    pub procedure_name: Option<String>,
}

/// `201` of a public answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicThanks {
    pub thanks: String,
}

/// A dossier's survey link, shown on its detail and printed on form 01.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DossierSurvey {
    /// `/khao-sat/{token}`.
    pub url: String,
    pub answered: bool,
}

/// Breakdown of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Procedure,
    Field,
    Unit,
    Channel,
    Timeliness,
    Month,
    Village,
}

/// `GET /surveys/{id}/results?group_by=&from=&to=&lang=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    #[param(inline)]
    pub group_by: Option<GroupBy>,
    /// Local date, inclusive.
    pub from: Option<NaiveDate>,
    /// Local date, inclusive.
    pub to: Option<NaiveDate>,
    /// `en` for English headers in exports.
    pub lang: Option<String>,
}

/// Results of one question.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionResult {
    pub id: String,
    pub kind: QuestionKind,
    pub text: String,
    /// Number of answers.
    pub n: i64,
    /// Answer ("1"–"5" or option id) → count.
    pub distribution: BTreeMap<String, i64>,
    /// Mean of a likert question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Share of 4–5 of a likert question; null below the minimum sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfaction_index: Option<f64>,
    /// A choice's words by its id, for the exports (the page has the form's own).
    #[serde(skip)]
    pub option_texts: BTreeMap<String, String>,
}

/// One group of a breakdown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupResult {
    /// The group's key (procedure id, field, unit id, channel, timeliness, `YYYY-MM`, village
    /// id); null for answers that carry none (e.g. paper tallies by procedure).
    pub key: Option<String>,
    pub label: String,
    pub responses: i64,
    /// Null ("chưa đủ số phiếu") below the minimum sample.
    pub satisfaction_index: Option<f64>,
    pub mean: Option<f64>,
    /// `insufficient_sample` below the minimum sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Rank by satisfaction index among groups with enough answers (1 = best); never given
    /// below the minimum sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
}

/// A free-text answer, masked of phone and id numbers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FreeText {
    pub question_id: String,
    pub text: String,
    pub answered_at: DateTime<FixedOffset>,
}

/// `GET /surveys/{id}/results`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Results {
    /// Responses (individual answers plus tallied paper forms).
    pub responses: i64,
    /// Share of 4–5 among every likert answer; null below the minimum sample.
    pub satisfaction_index: Option<f64>,
    pub minimum_sample: i64,
    /// "chưa đủ số phiếu" when below the minimum sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The board's target for the index.
    pub board_target: Option<f64>,
    /// The same survey over the period of equal length just before `from` (when `from` is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_satisfaction_index: Option<f64>,
    pub duplicates_flagged: i64,
    pub questions: Vec<QuestionResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupResult>>,
    pub free_text: Vec<FreeText>,
}

/// The numbers a year-end evaluation reads (see `service::figures`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Figures {
    pub responses: i64,
    pub satisfied: i64,
    pub likert_answers: i64,
    /// Share of 4–5 among likert answers; null below the minimum sample.
    pub satisfaction_index: Option<f64>,
    pub dossier_responses: i64,
    /// Dossiers whose overall answer was 1 or 2.
    pub dossier_dislikes: i64,
}

/// `GET /survey-aggregates?from=&to=&commune_id=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AggregatesQuery {
    /// Local date, inclusive (default: a year before `to`).
    pub from: Option<NaiveDate>,
    /// Local date, inclusive (default: today).
    pub to: Option<NaiveDate>,
    /// Oversight: one commune among those overseen (default: all of them).
    pub commune_id: Option<i64>,
}

/// The survey answers of one commune (or of all together), counts only.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct CommuneSatisfaction {
    /// None for the total.
    pub commune_id: Option<i64>,
    pub name: String,
    /// Answered forms (responses and tallied paper forms).
    pub responses: i64,
    /// Of `responses`, the answers flagged as repeated from one device or address: they are
    /// counted, and a reader of the index should know how many there are.
    pub duplicates_flagged: i64,
    /// Share of 4–5 among five-point answers; null below the minimum sample.
    pub satisfaction_index: Option<f64>,
    /// "chưa đủ số phiếu" below the minimum sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Rank by index among the communes with enough answers (1 = most satisfied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
}

/// Survey aggregates across the communes a caller may read: never an individual answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyAggregates {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub minimum_sample: i64,
    pub communes: Vec<CommuneSatisfaction>,
    pub total: CommuneSatisfaction,
}

/// `GET /surveys/{id}/responses?page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EnteredFilter {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// One change of an entered response or of a tally, from the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryChange {
    pub at: DateTime<FixedOffset>,
    /// Who made it: the person's full name; `null` when no person did (the demo data, the
    /// system). What the screens show.
    pub who: Option<String>,
    /// The account's login name as the audit log keeps it (`system:…` for no person); for the
    /// audit, never shown as the person.
    pub username: Option<String>,
    /// `enter` (a response), `create` (a tally) or `correct`.
    pub action: String,
    /// What the audit entry recorded. A correction: `before` and `after` (a response: its
    /// answers; a tally: `forms`, `counts`, `collected_on`, `village_id`, `note`).
    #[schema(value_type = Object)]
    pub summary: Value,
}

/// An entered response with its history, newest change first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnteredResponse {
    pub response: ResponseOut,
    pub history: Vec<EntryChange>,
}

/// A tally with its history (its entry and every correction), newest change first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyDetail {
    pub tally: Tally,
    pub history: Vec<EntryChange>,
}
