//! Plans and tasks: row structs, API types, request bodies and filters.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{
    content_areas, plan_steps, plan_units, plans, progress_reports, task_attachments, task_comments, tasks,
};

crate::text_enum! {
    /// Life cycle of a plan: draft → active → closed.
    pub enum PlanStatus {
        Draft = "draft",
        Active = "active",
        Closed = "closed",
    }
}

crate::text_enum! {
    /// Status of a task or a step.
    pub enum TaskStatus labels {
        NotStarted = "not_started" ("Chưa bắt đầu", "Not started"),
        InProgress = "in_progress" ("Đang thực hiện", "In progress"),
        Done = "done" ("Hoàn thành", "Done"),
        Cancelled = "cancelled" ("Đã hủy", "Cancelled"),
    }
}

crate::text_enum! {
    /// How often a task must be reported on.
    pub enum Cadence {
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
    }
}

crate::text_enum! {
    /// Where a task comes from.
    pub enum TaskSource {
        /// The plan's own: imported from its document or written by the board.
        Plan = "plan",
        /// Added to the demo commune's plan by the demo seed; not in the plan's document.
        Demo = "demo",
    }
}

crate::text_enum! {
    /// Which part of the plan document a content area stands for.
    pub enum AreaSection {
        /// A numbered content area of section II ("Nội dung thực hiện").
        Content = "content",
        /// The tasks of sections III–IV: the timeline's steps and each unit's duties.
        Implementation = "implementation",
    }
}

// ---- rows ----

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct PlanRow {
    pub id: i64,
    pub commune_id: i64,
    pub number: String,
    pub title: String,
    pub title_search: String,
    pub model_name: String,
    pub year: i32,
    pub issuing_unit_id: Option<i64>,
    pub issued_on: Option<NaiveDate>,
    pub legal_bases: String,
    pub purposes: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Bumped by triggers with every change to the plan's tasks, areas, steps, unit duties
    /// or reports (migration `000007_plan_revision`); keys the read cache.
    pub revision: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plans)]
pub struct NewPlan {
    pub commune_id: i64,
    pub number: String,
    pub title: String,
    pub title_search: String,
    pub model_name: String,
    pub year: i32,
    pub issuing_unit_id: Option<i64>,
    pub issued_on: Option<NaiveDate>,
    pub legal_bases: String,
    pub purposes: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = plans)]
pub struct PlanChanges {
    pub number: Option<String>,
    pub title: Option<String>,
    pub title_search: Option<String>,
    pub model_name: Option<String>,
    pub year: Option<i32>,
    pub issuing_unit_id: Option<Option<i64>>,
    pub issued_on: Option<Option<NaiveDate>>,
    pub legal_bases: Option<String>,
    pub purposes: Option<String>,
    pub status: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plan_units)]
pub struct PlanUnitRow {
    pub id: i64,
    pub plan_id: i64,
    pub unit_id: i64,
    pub position: i32,
    pub role_in_plan: String,
    pub duties: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plan_units)]
pub struct NewPlanUnit {
    pub plan_id: i64,
    pub unit_id: i64,
    pub position: i32,
    pub role_in_plan: String,
    pub duties: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = content_areas)]
pub struct AreaRow {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub expected_outcome: Option<String>,
    pub weight: f64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// [`AreaSection`] as text.
    pub section: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = content_areas)]
pub struct NewArea {
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub expected_outcome: Option<String>,
    pub weight: f64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub section: String,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = content_areas)]
pub struct AreaChanges {
    pub position: Option<i32>,
    pub title: Option<String>,
    pub expected_outcome: Option<Option<String>>,
    pub weight: Option<f64>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plan_steps)]
pub struct StepRow {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plan_steps)]
pub struct NewStep {
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = plan_steps)]
pub struct StepChanges {
    pub position: Option<i32>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<Option<NaiveDate>>,
    pub due_date: Option<Option<NaiveDate>>,
    pub status: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A task as lists and views read it: the folded search text and the timestamps stay in the
/// database (lists read hundreds of these per second).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks)]
pub struct TaskRow {
    pub id: i64,
    pub commune_id: i64,
    pub plan_id: i64,
    pub content_area_id: i64,
    pub step_id: Option<i64>,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub lead_unit_id: i64,
    #[diesel(deserialize_as = crate::db::fast_time::Day)]
    pub start_date: NaiveDate,
    #[diesel(deserialize_as = crate::db::fast_time::Day)]
    pub due_date: NaiveDate,
    pub weight: f64,
    pub status: String,
    pub progress: i32,
    pub reporting_cadence: Option<String>,
    /// Supporting unit ids, ascending, as "3,7" ('' for none): kept from `task_units` by a
    /// trigger, read with [`TaskRow::supporting_unit_ids`].
    pub supporting_units: String,
    /// [`TaskSource`] as text.
    pub source: String,
}

impl TaskRow {
    pub fn supporting_unit_ids(&self) -> Vec<i64> {
        self.supporting_units.split(',').filter_map(|u| u.parse().ok()).collect()
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tasks)]
pub struct NewTask {
    pub commune_id: i64,
    pub plan_id: i64,
    pub content_area_id: i64,
    pub step_id: Option<i64>,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub search: String,
    pub lead_unit_id: i64,
    #[diesel(deserialize_as = crate::db::fast_time::Day)]
    pub start_date: NaiveDate,
    #[diesel(deserialize_as = crate::db::fast_time::Day)]
    pub due_date: NaiveDate,
    pub weight: f64,
    pub status: String,
    pub progress: i32,
    pub reporting_cadence: Option<String>,
    #[diesel(deserialize_as = crate::db::fast_time::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::db::fast_time::Stamp)]
    pub updated_at: NaiveDateTime,
    pub source: String,
}

/// Where a new task stands in its plan, and its dates.
#[derive(Debug, Clone, Copy)]
pub struct TaskPlace {
    pub commune_id: i64,
    pub plan_id: i64,
    pub content_area_id: i64,
    pub step_id: Option<i64>,
    pub position: i32,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
}

impl NewTask {
    /// A task not started yet, of weight 1, with no reporting cadence, found by its title and
    /// description (diacritics folded).
    pub fn not_started(
        at: TaskPlace,
        title: String,
        description: String,
        lead_unit_id: i64,
        now: NaiveDateTime,
        source: TaskSource,
    ) -> NewTask {
        NewTask {
            commune_id: at.commune_id,
            plan_id: at.plan_id,
            content_area_id: at.content_area_id,
            step_id: at.step_id,
            position: at.position,
            search: crate::db::fold_search(&format!("{title} {description}")),
            title,
            description,
            lead_unit_id,
            start_date: at.start_date,
            due_date: at.due_date,
            weight: 1.0,
            status: TaskStatus::NotStarted.as_str().to_string(),
            progress: 0,
            reporting_cadence: None,
            created_at: now,
            updated_at: now,
            source: source.as_str().to_string(),
        }
    }
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tasks)]
pub struct TaskChanges {
    pub content_area_id: Option<i64>,
    pub step_id: Option<Option<i64>>,
    pub position: Option<i32>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub search: Option<String>,
    pub lead_unit_id: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub weight: Option<f64>,
    pub status: Option<String>,
    pub progress: Option<i32>,
    pub reporting_cadence: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = progress_reports)]
pub struct ReportRow {
    pub id: i64,
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub unit_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub text: String,
    pub progress: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = progress_reports)]
pub struct NewReport {
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub unit_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub text: String,
    pub progress: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_attachments)]
pub struct AttachmentRow {
    pub id: i64,
    pub report_id: i64,
    pub task_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = task_attachments)]
pub struct NewAttachment {
    pub report_id: i64,
    pub task_id: i64,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_comments)]
pub struct CommentRow {
    pub id: i64,
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: NaiveDateTime,
    pub text: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = task_comments)]
pub struct NewComment {
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: NaiveDateTime,
    pub text: String,
}

// ---- API types ----

/// A legal basis (căn cứ) of a plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// Document kind: Nghị quyết, Quyết định, Chỉ thị, Kế hoạch, Công văn…
    pub kind: String,
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub issuer: String,
    pub subject: Option<String>,
    /// The document that has since replaced this one, when it has been replaced (e.g.
    /// "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15" for Pháp lệnh 34/2007): the plan keeps
    /// citing what it cited, and every view says the basis is no longer in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// The day the replacing document took effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_from: Option<NaiveDate>,
}

/// A plan (kế hoạch) with its overall progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    /// Number and symbol, e.g. "…/KH-BĐH".
    pub number: String,
    pub title: String,
    pub model_name: String,
    pub year: i32,
    pub issuing_unit_id: Option<i64>,
    pub issued_on: Option<NaiveDate>,
    pub legal_bases: Vec<LegalBasis>,
    pub purposes: Vec<String>,
    pub status: PlanStatus,
    /// Weighted mean of the content areas' progress (0–100).
    pub progress: f64,
    pub task_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A content area (nội dung thực hiện) with its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContentArea {
    pub id: i64,
    pub plan_id: i64,
    /// 1-based order within the plan.
    pub position: i32,
    pub title: String,
    pub expected_outcome: Option<String>,
    /// Weight in the plan's progress.
    pub weight: f64,
    /// Weighted mean of its tasks' progress, cancelled tasks excluded (0 when it has none).
    pub progress: f64,
    /// Tasks counted in the progress (not cancelled).
    pub task_count: i64,
    /// Which part of the plan document the area stands for.
    pub section: AreaSection,
}

impl ContentArea {
    /// An area row with its progress (one decimal) and the tasks counted in it.
    pub fn from_row(a: AreaRow, progress: f64, task_count: i64) -> Self {
        ContentArea {
            id: a.id,
            plan_id: a.plan_id,
            position: a.position,
            title: a.title,
            expected_outcome: a.expected_outcome,
            weight: a.weight,
            progress,
            task_count,
            section: AreaSection::parse(&a.section).unwrap_or(AreaSection::Content),
        }
    }
}

/// A step of the plan's timeline (Bước 1–5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Step {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub status: TaskStatus,
    /// Weighted mean of its tasks' progress, cancelled tasks excluded.
    pub progress: f64,
    pub task_count: i64,
    /// Due date passed (commune time) and the step is not done or cancelled.
    pub overdue: bool,
}

/// A unit's role and duties in a plan (section IV).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanUnit {
    pub unit_id: i64,
    pub position: i32,
    pub role_in_plan: String,
    pub duties: Vec<String>,
}

/// Task counts by status.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct StatusCounts {
    pub not_started: i64,
    pub in_progress: i64,
    pub done: i64,
    pub cancelled: i64,
}

/// The plan's roll-up for the overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rollup {
    pub total: i64,
    pub by_status: StatusCounts,
    pub overdue_count: i64,
    pub due_soon_count: i64,
    /// Overdue tasks the caller may open, earliest due first (at most 50).
    pub overdue_tasks: Vec<Task>,
    /// Tasks due within `due_soon_days` the caller may open (at most 50).
    pub due_soon_tasks: Vec<Task>,
    pub due_soon_days: i64,
    /// Today in the commune's time zone (for the timeline's today line).
    pub today: NaiveDate,
}

/// A plan with its areas, steps, unit duties and roll-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDetail {
    #[serde(flatten)]
    pub plan: Plan,
    pub content_areas: Vec<ContentArea>,
    pub steps: Vec<Step>,
    pub units: Vec<PlanUnit>,
    pub rollup: Rollup,
    /// The caller may edit this plan (board, admin).
    pub can_edit: bool,
}

/// A reporting period without a report.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Period {
    /// `2023-W18`, `2023-05` or `2023-Q2`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A task (nhiệm vụ).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub content_area_id: i64,
    pub step_id: Option<i64>,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub lead_unit_id: i64,
    pub supporting_unit_ids: Vec<i64>,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub weight: f64,
    pub status: TaskStatus,
    pub progress: i32,
    /// Due date passed in the commune's time zone and not done or cancelled.
    pub overdue: bool,
    pub reporting_cadence: Option<Cadence>,
    /// Where the task comes from: the plan's own text, or added to the demo plan.
    pub source: TaskSource,
    /// Finished periods (start → min(due, yesterday)) without a report; only with a cadence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_periods: Option<Vec<Period>>,
}

/// A file attached to a progress report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Where to download it (same authorisation as the task).
    pub url: String,
}

impl From<AttachmentRow> for Attachment {
    fn from(r: AttachmentRow) -> Self {
        Attachment {
            url: format!("/api/v1/attachments/{}", r.id),
            id: r.id,
            file_name: r.file_name,
            content_type: r.content_type,
            size: r.size,
        }
    }
}

/// A progress report (báo cáo tiến độ) with its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReport {
    pub id: i64,
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub unit_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub text: String,
    pub progress: i32,
    pub attachments: Vec<Attachment>,
}

/// A comment on a task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    pub task_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub text: String,
}

impl From<CommentRow> for Comment {
    fn from(r: CommentRow) -> Self {
        Comment {
            id: r.id,
            task_id: r.task_id,
            author_id: r.author_id,
            author_name: r.author_name,
            created_at: r.created_at.and_utc(),
            text: r.text,
        }
    }
}

/// One change in a task's history (from the audit log).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub username: Option<String>,
    /// Who did it, as people read it: the user's full name, or "Hệ thống" for the system.
    pub who: String,
    pub action: String,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
}

/// A task with its reports, comments and history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: Task,
    pub plan_title: String,
    pub reports: Vec<ProgressReport>,
    pub comments: Vec<Comment>,
    pub history: Vec<HistoryEntry>,
    /// The caller may post reports and change status/progress.
    pub can_report: bool,
    /// The caller may edit every field (board, admin).
    pub can_edit: bool,
    /// The task's plan is closed, so it is read-only (`can_report` and `can_edit` are false)
    /// until the board reopens the plan.
    pub plan_closed: bool,
}

/// Result of a bulk progress update.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkResult {
    /// Rows applied (all of them: the update is all-or-nothing).
    pub applied: usize,
}

// ---- request bodies ----

/// Body of `POST /plans`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    pub number: String,
    pub title: String,
    pub model_name: Option<String>,
    pub year: i32,
    pub issuing_unit_id: Option<i64>,
    pub issued_on: Option<NaiveDate>,
    #[serde(default)]
    pub legal_bases: Vec<LegalBasis>,
    #[serde(default)]
    pub purposes: Vec<String>,
    pub status: Option<PlanStatus>,
}

/// Body of `PATCH /plans/{id}`; absent fields stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlan {
    pub number: Option<String>,
    pub title: Option<String>,
    pub model_name: Option<String>,
    pub year: Option<i32>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<i64>)]
    pub issuing_unit_id: Option<Option<i64>>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub issued_on: Option<Option<NaiveDate>>,
    pub legal_bases: Option<Vec<LegalBasis>>,
    pub purposes: Option<Vec<String>>,
    /// draft → active → closed (a closed plan may be reopened to active).
    pub status: Option<PlanStatus>,
}

/// Body of `POST /plans/{id}/areas`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArea {
    pub title: String,
    pub expected_outcome: Option<String>,
    pub weight: Option<f64>,
    /// 1-based place; default last. Later areas move down.
    pub position: Option<i32>,
}

/// Body of `PATCH /areas/{id}`; `position` reorders.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArea {
    pub title: Option<String>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<String>)]
    pub expected_outcome: Option<Option<String>>,
    pub weight: Option<f64>,
    pub position: Option<i32>,
}

/// Body of `POST /plans/{id}/steps`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStep {
    pub title: String,
    pub description: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub status: Option<TaskStatus>,
    pub position: Option<i32>,
}

/// Body of `PATCH /steps/{id}`; `position` reorders, `null` clears a date.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStep {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<Option<NaiveDate>>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_date: Option<Option<NaiveDate>>,
    pub status: Option<TaskStatus>,
    pub position: Option<i32>,
}

/// Body of `POST /plans/{id}/tasks`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    pub content_area_id: i64,
    pub step_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub lead_unit_id: i64,
    #[serde(default)]
    pub supporting_unit_ids: Vec<i64>,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub weight: Option<f64>,
    pub reporting_cadence: Option<Cadence>,
    pub position: Option<i32>,
}

/// Body of `PATCH /tasks/{id}`. `status` and `progress` (with an optional `note`) are what a
/// reporting unit may change; every other field needs the edit permission.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTask {
    pub content_area_id: Option<i64>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<i64>)]
    pub step_id: Option<Option<i64>>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub lead_unit_id: Option<i64>,
    pub supporting_unit_ids: Option<Vec<i64>>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub weight: Option<f64>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<Cadence>)]
    pub reporting_cadence: Option<Option<Cadence>>,
    pub position: Option<i32>,
    pub status: Option<TaskStatus>,
    pub progress: Option<i32>,
}

impl UpdateTask {
    /// Whether the body touches anything beyond status and progress.
    pub fn edits_structure(&self) -> bool {
        self.content_area_id.is_some()
            || self.step_id.is_some()
            || self.title.is_some()
            || self.description.is_some()
            || self.lead_unit_id.is_some()
            || self.supporting_unit_ids.is_some()
            || self.start_date.is_some()
            || self.due_date.is_some()
            || self.weight.is_some()
            || self.reporting_cadence.is_some()
            || self.position.is_some()
    }
}

/// Body of `POST /tasks/{id}/comments`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    pub text: String,
}

/// Multipart form of `POST /tasks/{id}/reports` (documentation only; parsed by hand).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ReportForm {
    /// What was done.
    pub text: String,
    /// New progress, 0–100.
    pub progress: i32,
    /// Zero or more photos (JPEG, PNG, WebP) or PDFs, at most 10; checked by content, each at
    /// most the upload limit (10 MB by default). `text` may be empty when a file is sent.
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    pub files: Option<Vec<Vec<u8>>>,
    /// The phone's own id of this report (same rules as the `Idempotency-Key` header, which
    /// wins when both are sent): sending it again returns the first report, creates nothing.
    pub client_id: Option<String>,
    /// When the report was written (RFC 3339), for one queued on a phone without network: the
    /// report is dated then (it counts for the period it was written in), and if someone else
    /// marked the task done after it, the task stays done (the report is kept as written). At
    /// most 30 days back and not in the future (5 minutes of clock difference allowed); default
    /// now.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub written_at: Option<String>,
}

/// Multipart form of `POST /plans/{id}/bulk-progress` (documentation only).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct BulkForm {
    /// CSV with columns: task id, status, progress, note (a header row is optional).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

// ---- filters ----

/// Filters for `GET /plans`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanFilter {
    pub year: Option<i32>,
    pub status: Option<PlanStatus>,
    /// Diacritic-insensitive search in the title and number.
    pub q: Option<String>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Sort orders of a task list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub enum TaskSort {
    /// Plan order: area, then position (default).
    #[default]
    #[serde(rename = "position")]
    Position,
    #[serde(rename = "due_date")]
    DueDate,
    #[serde(rename = "-due_date")]
    DueDateDesc,
    #[serde(rename = "progress")]
    Progress,
    #[serde(rename = "-progress")]
    ProgressDesc,
    #[serde(rename = "title")]
    Title,
    #[serde(rename = "-updated_at")]
    UpdatedDesc,
}

/// Language of an export's headers and labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportLang {
    #[default]
    Vi,
    En,
}

/// Options of a plan's export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `vi` (default) or `en`: the language of the header row and of the labels in the cells
    /// (status, overdue, cadence, step). Titles and unit names stay as written.
    #[param(inline)]
    pub lang: Option<ExportLang>,
}

/// Filters for task lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskFilter {
    /// Tasks this unit leads or supports.
    pub unit_id: Option<i64>,
    pub status: Option<TaskStatus>,
    /// Only overdue (`true`) or only not overdue (`false`) tasks.
    pub overdue: Option<bool>,
    /// Diacritic-insensitive search in title and description ("tuyen truyen" finds "Tuyên truyền").
    pub q: Option<String>,
    pub step_id: Option<i64>,
    pub content_area_id: Option<i64>,
    /// `position` (default), `due_date`, `-due_date`, `progress`, `-progress`, `title`, `-updated_at`.
    #[param(value_type = Option<String>)]
    pub sort: Option<TaskSort>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
    /// Only open tasks due from today to the end of the "due soon" window (7 days).
    pub due_soon: Option<bool>,
}
