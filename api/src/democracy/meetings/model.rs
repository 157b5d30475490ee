//! Meeting types: meetings, their attendance by unit, decisions and their progress reports.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::coordination_meetings;
use crate::democracy::dialogues::model::CommitmentStatus;
use crate::democracy::disclosures::model::DemocracyFile;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = coordination_meetings)]
pub struct MeetingRow {
    pub id: i64,
    pub commune_id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub chaired_by: String,
    pub agenda: String,
    pub agenda_search: String,
    pub minutes: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A meeting's content: what `POST /meetings` records and `PUT /meetings/{id}` replaces.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = coordination_meetings)]
pub struct MeetingValues {
    pub held_on: NaiveDate,
    pub place: String,
    pub chaired_by: String,
    pub agenda: String,
    pub agenda_search: String,
    pub minutes: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = coordination_meetings)]
pub struct NewMeeting {
    pub commune_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: MeetingValues,
}

/// A unit at a meeting and how many of its people attended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingUnit {
    pub unit_id: i64,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default = "one")]
    pub attendees: i32,
}

fn one() -> i32 {
    1
}

/// A progress report on a decision, with its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionReport {
    pub id: i64,
    pub author_name: String,
    pub text: String,
    pub status: CommitmentStatus,
    pub created_at: DateTime<Utc>,
    pub files: Vec<DemocracyFile>,
}

/// A decision of a coordination meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_held_on: NaiveDate,
    pub text: String,
    pub owner_unit_id: i64,
    pub owner_unit_name: String,
    pub due_on: NaiveDate,
    pub status: CommitmentStatus,
    pub done_on: Option<NaiveDate>,
    /// Open past its due day.
    pub overdue: bool,
    /// Done by its due day; `null` unless done.
    pub kept_on_time: Option<bool>,
    /// The plan task it became (`GET /decisions?task_id=` answers back).
    pub task_id: Option<i64>,
    pub reports: Vec<DecisionReport>,
}

/// A meeting in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingSummary {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub chaired_by: String,
    pub agenda: String,
    pub units: Vec<MeetingUnit>,
    pub decisions_total: i64,
    pub decisions_open: i64,
}

/// A meeting with its decisions, and those of earlier meetings still open.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meeting {
    #[serde(flatten)]
    pub summary: MeetingSummary,
    pub minutes: String,
    /// The scanned minutes.
    pub files: Vec<DemocracyFile>,
    pub decisions: Vec<Decision>,
    pub open_from_earlier: Vec<Decision>,
}

/// A meeting to record, or its new content.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub held_on: NaiveDate,
    pub place: String,
    /// Who chaired it.
    pub chaired_by: String,
    pub agenda: String,
    pub minutes: Option<String>,
    /// The units present (UBND, Front, unions…), with attendees.
    pub units: Vec<MeetingUnit>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDecision {
    pub text: String,
    pub owner_unit_id: i64,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDecisionReport {
    pub text: String,
    pub status: CommitmentStatus,
}

/// Turns a decision into a task of the commune's current plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionToTask {
    pub content_area_id: i64,
    pub start_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingFilter {
    /// Words of the agenda (diacritics ignored).
    pub q: Option<String>,
    #[param(minimum = 1900, maximum = 2100)]
    pub year: Option<i32>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionFilter {
    /// Only those open past their due day.
    pub overdue: Option<bool>,
    pub status: Option<CommitmentStatus>,
    pub owner_unit_id: Option<i64>,
    /// The decision a plan task came from.
    pub task_id: Option<i64>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Multipart body of the file uploads of meetings, decision and commitment reports.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct EvidenceForm {
    /// JPEG, PNG, WebP or PDF, up to 10.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}
