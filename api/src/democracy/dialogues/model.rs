//! Dialogue types: dialogues, commitments, their progress reports.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::dialogues;
use crate::democracy::disclosures::model::DemocracyFile;

crate::text_enum! {
    /// Where a commitment stands.
    pub enum CommitmentStatus {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
        /// Given up, with the reason in a report.
        Dropped = "dropped",
    }
}

impl CommitmentStatus {
    /// Still to be kept.
    pub fn is_open(self) -> bool {
        matches!(self, CommitmentStatus::Open | CommitmentStatus::InProgress)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = dialogues)]
pub struct DialogueRow {
    pub id: i64,
    pub commune_id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub leaders: String,
    pub participants: i32,
    pub topics: String,
    pub topics_search: String,
    pub minutes: String,
    pub issues: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A dialogue's content: what `POST /dialogues` records and `PUT /dialogues/{id}` replaces.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = dialogues)]
pub struct DialogueValues {
    pub held_on: NaiveDate,
    pub place: String,
    pub leaders: String,
    pub participants: i32,
    pub topics: String,
    pub topics_search: String,
    pub minutes: String,
    pub issues: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dialogues)]
pub struct NewDialogue {
    pub commune_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: DialogueValues,
}

/// A progress report on a commitment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentReport {
    pub id: i64,
    pub author_name: String,
    pub text: String,
    pub status: CommitmentStatus,
    pub created_at: DateTime<Utc>,
    /// Evidence (photos, documents): `POST /commitment-reports/{id}/files`.
    pub files: Vec<DemocracyFile>,
}

/// A commitment made at a dialogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Commitment {
    pub id: i64,
    pub dialogue_id: i64,
    pub dialogue_held_on: NaiveDate,
    pub text: String,
    pub owner_unit_id: i64,
    pub owner_unit_name: String,
    pub due_on: NaiveDate,
    pub status: CommitmentStatus,
    pub done_on: Option<NaiveDate>,
    /// Open past its due day (or done after it: `kept_on_time` false).
    pub overdue: bool,
    /// Done by its due day; `null` while open.
    pub kept_on_time: Option<bool>,
    /// The plan task it became (the task's page lists it back through `?task_id=`).
    pub task_id: Option<i64>,
    pub reports: Vec<CommitmentReport>,
}

/// A dialogue in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DialogueSummary {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub topics: String,
    pub participants: i32,
    pub village_ids: Vec<i64>,
    pub commitments_total: i64,
    pub commitments_open: i64,
}

/// A dialogue with its commitments, and those of earlier dialogues still open (what the next
/// dialogue opens with).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dialogue {
    #[serde(flatten)]
    pub summary: DialogueSummary,
    pub leaders: String,
    pub minutes: String,
    pub issues: String,
    pub commitments: Vec<Commitment>,
    pub open_from_earlier: Vec<Commitment>,
    /// Every commitment of the dialogue held just before this one, whatever its status, so the
    /// dialogue opens with what was promised last time and where it stands.
    pub from_previous: Vec<Commitment>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDialogue {
    pub held_on: NaiveDate,
    pub place: String,
    /// Leaders present (names and posts).
    pub leaders: String,
    pub participants: i32,
    #[serde(default)]
    pub village_ids: Vec<i64>,
    pub topics: String,
    pub minutes: Option<String>,
    /// Issues raised by citizens.
    pub issues: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommitment {
    pub text: String,
    pub owner_unit_id: i64,
    pub due_on: NaiveDate,
}

/// A progress report: what was done, and the commitment's status after it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommitmentReport {
    pub text: String,
    pub status: CommitmentStatus,
}

/// Turns a commitment into a task of the commune's current plan.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentToTask {
    /// The content area of the current plan it belongs to.
    pub content_area_id: i64,
    /// Start day (default today).
    pub start_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogueFilter {
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
pub struct CommitmentFilter {
    /// Only those open past their due day.
    pub overdue: Option<bool>,
    pub status: Option<CommitmentStatus>,
    pub owner_unit_id: Option<i64>,
    /// The commitment a plan task came from.
    pub task_id: Option<i64>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}
