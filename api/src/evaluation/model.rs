//! Rows, API types and request bodies of the evaluation: criteria sets, evaluations, the
//! computed (draft) or frozen (published) result, and the report's text sections.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{criteria_sets, evaluations};

crate::text_enum! {
    /// How a criterion gets its value: computed from the modules, or judged by the board.
    pub enum CriterionKind labels {
        Computed = "computed" ("Tính tự động", "Computed"),
        Judged = "judged" ("Ban điều hành chấm", "Judged"),
    }
}

crate::text_enum! {
    /// Where a computed criterion reads its value (each a public function of another module).
    pub enum Source labels {
        /// Plan progress: weighted mean of the content areas (`plans`).
        PlanProgress = "plan_progress" ("Tiến độ kế hoạch", "Plan progress"),
        /// Tasks due in the period done by their due date (`plans`).
        TasksOnTime = "tasks_on_time" ("Nhiệm vụ hoàn thành đúng hạn", "Tasks done on time"),
        /// One-stop dossiers ended early or on time (`onestop::stats::indicators`).
        OnestopOnTime = "onestop_on_time" ("Hồ sơ TTHC giải quyết đúng hạn", "Dossiers on time"),
        /// One-stop dossiers received online (`onestop::stats::indicators`).
        OnestopOnline = "onestop_online" ("Hồ sơ nộp trực tuyến", "Dossiers received online"),
        /// The 766 index, percent of the measurable maximum (`onestop::stats::index766`).
        Index766 = "index766" ("Chỉ số 766", "766 index"),
        /// Satisfaction index of the surveys (`surveys::results::figures`).
        Satisfaction = "satisfaction" ("Chỉ số hài lòng", "Satisfaction index"),
        /// Regular reception sessions held vs required (`reception::service::sessions_held`).
        ReceptionSessions = "reception_sessions" ("Tiếp công dân định kỳ", "Reception sessions held"),
        /// Petitions settled on time (`petitions::service::figures`).
        PetitionsOnTime = "petitions_on_time" ("Đơn thư giải quyết đúng hạn", "Petitions settled on time"),
        /// Disclosures relayed by the villages on time (`democracy::figures`).
        DisclosuresRelayed = "disclosures_relayed" ("Thôn thông báo công khai đúng hạn", "Disclosures relayed on time"),
        /// Dialogue commitments kept by their due day (`democracy::figures`).
        DialogueCommitments = "dialogue_commitments" ("Cam kết đối thoại thực hiện đúng hạn", "Dialogue commitments kept"),
        /// Months of the period with at least one awareness or other activity held, of the
        /// months the period spans (`democracy::figures`).
        ActivitiesHeld = "activities_held" ("Tháng có hoạt động tuyên truyền, sinh hoạt", "Months with activities held"),
    }
}

crate::text_enum! {
    /// Lifecycle of an evaluation version.
    pub enum EvaluationStatus labels {
        Draft = "draft" ("Dự thảo", "Draft"),
        Published = "published" ("Đã ban hành", "Published"),
    }
}

crate::text_enum! {
    /// Which stretch of the year a report covers: the year (the evaluation), a quarter or a
    /// half (the progress report variant of the same template).
    pub enum ReportPeriod labels {
        Year = "year" ("năm", "year"),
        Q1 = "q1" ("quý I", "Q1"),
        Q2 = "q2" ("quý II", "Q2"),
        Q3 = "q3" ("quý III", "Q3"),
        Q4 = "q4" ("quý IV", "Q4"),
        H1 = "h1" ("6 tháng đầu năm", "first half"),
        H2 = "h2" ("6 tháng cuối năm", "second half"),
    }
}

impl ReportPeriod {
    /// First and last day of the period in `year`.
    pub fn bounds(self, year: i32) -> (NaiveDate, NaiveDate) {
        let (m1, m2) = match self {
            ReportPeriod::Year => (1, 12),
            ReportPeriod::Q1 => (1, 3),
            ReportPeriod::Q2 => (4, 6),
            ReportPeriod::Q3 => (7, 9),
            ReportPeriod::Q4 => (10, 12),
            ReportPeriod::H1 => (1, 6),
            ReportPeriod::H2 => (7, 12),
        };
        let first = NaiveDate::from_ymd_opt(year, m1, 1).unwrap_or_default();
        let last = if m2 == 12 {
            NaiveDate::from_ymd_opt(year, 12, 31)
        } else {
            NaiveDate::from_ymd_opt(year, m2 + 1, 1).and_then(|d| d.pred_opt())
        }
        .unwrap_or_default();
        (first, last)
    }
}

// ---- criteria sets ----

/// One criterion of a set. Not `deny_unknown_fields`: it is also the flattened base of
/// `CriterionResult`, and an `additionalProperties: false` in the schema would then refuse the
/// result's own fields (JSON Schema does not look through `allOf`). The set's body around it is
/// strict.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Criterion {
    /// Stable code within the set (`c1`, `tasks_on_time`, …).
    pub code: String,
    pub name: String,
    /// How it is measured (shown in the app and the report's table).
    pub how_measured: String,
    /// Points the criterion is worth.
    pub points: f64,
    pub kind: CriterionKind,
    /// For a computed criterion: where its value comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// For a computed criterion: the ratio (0–1) that earns full points; below it the points are
    /// proportional (`points × value / target`). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// A rating band: at least `min_percent` of the measurable maximum.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Stable code (`excellent`, `good`, `done`, `not_done`).
    pub code: String,
    /// Vietnamese words of the rating ("Hoàn thành xuất sắc").
    pub label: String,
    pub min_percent: f64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = criteria_sets)]
pub struct CriteriaSetRow {
    pub id: i64,
    pub commune_id: i64,
    pub year: i32,
    pub version: i32,
    pub name: String,
    pub criteria: String,
    pub thresholds: String,
    pub note: String,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = criteria_sets)]
pub struct NewCriteriaSet {
    pub commune_id: i64,
    pub year: i32,
    pub version: i32,
    pub name: String,
    pub criteria: String,
    pub thresholds: String,
    pub note: String,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
}

/// A criteria set (bộ tiêu chí) of one year, one version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CriteriaSet {
    pub id: i64,
    pub year: i32,
    pub version: i32,
    pub name: String,
    pub criteria: Vec<Criterion>,
    /// Highest band first.
    pub thresholds: Vec<Threshold>,
    pub note: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /criteria-sets`: a new version of the commune's set for `year` (the first version
/// when the year has none).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCriteriaSet {
    pub year: i32,
    pub name: String,
    pub criteria: Vec<Criterion>,
    pub thresholds: Vec<Threshold>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSetFilter {
    /// Only the sets of this year.
    pub year: Option<i32>,
}

// ---- evaluations ----

/// The board's judgement of a criterion (and the comment on a computed one).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    /// Points given (judged criteria only), 0 to the criterion's points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default)]
    pub comment: String,
    /// What proves it: document numbers, links, where the minutes are kept.
    #[serde(default)]
    pub evidence: String,
}

/// The text sections the board writes; merged into the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Sections {
    /// Added after the figures of section I (results the numbers do not tell).
    pub results: String,
    /// II.1 Tồn tại, hạn chế.
    pub shortcomings: String,
    /// II.2 Nguyên nhân.
    pub causes: String,
    /// III. Bài học kinh nghiệm.
    pub lessons: String,
    /// IV. Phương hướng, nhiệm vụ năm sau.
    pub directions: String,
    /// "Nơi nhận:", one per line (without the leading dash).
    pub recipients: String,
    /// The signer: "CHỦ TỊCH", "PHÓ CHỦ TỊCH"…
    pub signer_title: String,
    pub signer_name: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    pub id: i64,
    pub commune_id: i64,
    pub plan_id: i64,
    pub year: i32,
    pub version: i32,
    pub criteria_set_id: i64,
    pub status: String,
    pub reason: String,
    pub number: String,
    pub judged: String,
    pub sections: String,
    pub snapshot: Option<String>,
    pub previous_id: Option<i64>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_by: Option<i64>,
    pub published_by_name: Option<String>,
    pub published_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = evaluations)]
pub struct NewEvaluation {
    pub commune_id: i64,
    pub plan_id: i64,
    pub year: i32,
    pub version: i32,
    pub criteria_set_id: i64,
    pub status: String,
    pub reason: String,
    pub number: String,
    pub judged: String,
    pub sections: String,
    pub previous_id: Option<i64>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = evaluations)]
pub struct EvaluationChanges {
    pub number: Option<String>,
    pub judged: Option<String>,
    pub sections: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = evaluations)]
pub struct Publication {
    pub status: String,
    pub snapshot: Option<String>,
    pub published_by: Option<i64>,
    pub published_by_name: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// An evaluation version in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evaluation {
    pub id: i64,
    pub commune_id: i64,
    pub plan_id: i64,
    pub year: i32,
    pub version: i32,
    pub criteria_set_id: i64,
    pub status: EvaluationStatus,
    /// Why this version was made (re-evaluations); empty for the first.
    pub reason: String,
    pub number: String,
    pub previous_id: Option<i64>,
    /// A later version of the same plan's evaluation was published.
    pub superseded: bool,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

/// `GET /evaluations/{id}`: the version, the board's inputs and the result — computed now for
/// a draft, read from the frozen snapshot for a published version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationDetail {
    #[serde(flatten)]
    pub evaluation: Evaluation,
    pub judged: BTreeMap<String, Judgement>,
    pub sections: Sections,
    pub result: EvaluationResult,
    /// Every version of this plan's evaluation, newest first.
    pub versions: Vec<Evaluation>,
    /// The caller may edit, publish and re-evaluate (board).
    pub can_evaluate: bool,
}

/// `POST /evaluations`: a draft for a plan (its year).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvaluation {
    pub plan_id: i64,
    /// A criteria set of the commune; default the newest version for the plan's year (or the
    /// newest earlier year; the shipped default set when the commune has none).
    pub criteria_set_id: Option<i64>,
}

/// `PATCH /evaluations/{id}` (drafts only). Judgements are merged by criterion code; a
/// criterion absent from the body keeps its judgement.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEvaluation {
    /// Number and symbol of the report, "12/BC-UBND".
    pub number: Option<String>,
    pub judged: Option<BTreeMap<String, Judgement>>,
    pub sections: Option<Sections>,
}

/// `POST /evaluations/{id}/re-evaluate`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReEvaluate {
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvaluationFilter {
    pub year: Option<i32>,
    pub plan_id: Option<i64>,
    /// Oversight: one commune among those overseen.
    pub commune_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `year` (default): the evaluation — frozen for a published version, live for a draft
    /// (watermarked "DỰ THẢO"). A quarter or half: the progress report of that period,
    /// computed now from the same template.
    #[param(inline)]
    pub period: Option<ReportPeriod>,
}

// ---- the result (what a snapshot freezes) ----

/// A period with its bounds, as printed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PeriodView {
    pub period: ReportPeriod,
    /// "năm 2023", "quý II năm 2023".
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One figure a criterion was computed from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SourceFigure {
    pub source: Source,
    /// The module function read, e.g. `onestop::stats::indicators::report`.
    pub read_from: String,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The ratio (0–1); null when there is nothing to measure in the period.
    pub value: Option<f64>,
    /// How it reads in Vietnamese: "45/50 hồ sơ (90%)".
    pub text: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A criterion with its result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CriterionResult {
    #[serde(flatten)]
    pub criterion: Criterion,
    /// Counted in the total and the maximum: a computed criterion with data in the period, or a
    /// judged one. Not applicable ones are left out of both, never counted as full marks.
    pub applicable: bool,
    /// Points earned (null for a judged criterion not scored yet).
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<SourceFigure>,
    pub comment: String,
    pub evidence: String,
}

/// The rating given by the thresholds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Rating {
    pub code: String,
    pub label: String,
}

/// A content area of the plan in the report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AreaFigure {
    pub position: i32,
    pub title: String,
    pub weight: f64,
    pub progress: f64,
    pub tasks: i64,
    pub done: i64,
}

/// A task in the annex.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TaskFigure {
    pub area: i32,
    pub title: String,
    pub lead_unit: String,
    pub due_date: NaiveDate,
    pub status: String,
    pub progress: i32,
    /// Done by its due date; false too while still open after it (null: open and not due yet,
    /// or cancelled).
    pub on_time: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PlanFigures {
    pub plan_id: i64,
    pub number: String,
    pub title: String,
    pub issued_on: Option<NaiveDate>,
    pub progress: f64,
    pub areas: Vec<AreaFigure>,
    /// Tasks due in the period (not cancelled), and of them done by their due date.
    pub tasks_due: i64,
    pub tasks_on_time: i64,
    pub tasks: Vec<TaskFigure>,
}

/// One row of the one-stop table (overall or a field).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OnestopRow {
    pub label: String,
    pub received: i64,
    pub online: i64,
    pub resolved: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub in_progress: i64,
    pub on_time_rate: Option<f64>,
    pub online_share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct IndexRow {
    pub code: String,
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    pub applicable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OnestopFigures {
    pub overall: OnestopRow,
    pub by_field: Vec<OnestopRow>,
    pub index_total: f64,
    pub index_max: f64,
    pub index_percent: Option<f64>,
    pub index_summary: String,
    pub index_rows: Vec<IndexRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SurveyFigures {
    pub responses: i64,
    pub satisfied: i64,
    pub likert_answers: i64,
    pub satisfaction_index: Option<f64>,
    pub dossier_responses: i64,
    pub dossier_dislikes: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PetitionKindRow {
    pub kind: String,
    pub label: String,
    pub received: i64,
    pub settled: i64,
    /// Of `settled`, those with a legal time limit; absent from results stored before it was
    /// counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_with_time_limit: Option<i64>,
    pub settled_on_time: i64,
    pub overdue_open: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReceptionFigures {
    pub sessions_required: i64,
    pub sessions_held: i64,
    pub petitions: Vec<PetitionKindRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EvaluationDemocracy {
    pub disclosures: i64,
    pub relays_asked: i64,
    pub relays_on_time: i64,
    pub dialogues_held: i64,
    pub commitments_due: i64,
    pub commitments_kept: i64,
}

/// Everything the report prints, computed from the modules over the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EvaluationFigures {
    pub plan: PlanFigures,
    pub onestop: OnestopFigures,
    pub surveys: SurveyFigures,
    pub reception: ReceptionFigures,
    pub democracy: EvaluationDemocracy,
}

/// The evaluation's result: criteria with scores, the total and rating, every figure and
/// its period, the text sections — what a snapshot freezes and the report prints.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EvaluationResult {
    pub commune_id: i64,
    pub commune_name: String,
    pub year: i32,
    pub period: PeriodView,
    pub criteria_set_id: i64,
    pub criteria_set_name: String,
    pub criteria_set_version: i32,
    pub criteria: Vec<CriterionResult>,
    /// Points earned over the applicable criteria.
    pub total: f64,
    /// Sum of the applicable criteria's points.
    pub max: f64,
    /// Sum of every criterion's points.
    pub out_of: f64,
    pub percent: Option<f64>,
    /// Null while a judged criterion is not scored.
    pub rating: Option<Rating>,
    /// Judged criteria without a score (publishing needs none).
    pub unjudged: Vec<String>,
    pub figures: EvaluationFigures,
    pub number: String,
    pub sections: Sections,
    /// When the figures were computed (UTC).
    pub computed_at: DateTime<Utc>,
    /// Version and its reason.
    pub version: i32,
    pub reason: String,
    /// Who published and when (null in a draft).
    pub published_by_name: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The report's date (local): the publication day, or today for a draft.
    pub report_date: NaiveDate,
}

/// `GET /evaluations/{id}/report`: what the print view shows — the report's result, and
/// whether it is a draft (watermarked "DỰ THẢO").
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub draft: bool,
    pub result: EvaluationResult,
}
