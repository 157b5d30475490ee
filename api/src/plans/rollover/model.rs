//! Roll-over rows, request body and answers.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{plan_rollovers, task_continuations};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_rollovers)]
pub struct RolloverRow {
    /// The new plan.
    pub plan_id: i64,
    /// The plan it was rolled over from.
    pub from_plan_id: i64,
    pub carried_over: i32,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = task_continuations)]
pub struct ContinuationRow {
    pub task_id: i64,
    pub continues_task_id: i64,
}

/// Roll a plan over to a later year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollOverPlan {
    /// The new plan's year; default the next year. Must be later than the plan's.
    pub year: Option<i32>,
    /// Unfinished tasks of the plan to carry over: their copies are linked to them
    /// (`continues_task_id`) and say so in their description.
    #[serde(default)]
    pub carry_over_task_ids: Vec<i64>,
}

/// A task of the new plan that continues an unfinished task of the old one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Continuation {
    pub task_id: i64,
    pub continues_task_id: i64,
}

/// What a roll-over made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollOverResult {
    /// The new draft plan.
    pub plan_id: i64,
    pub from_plan_id: i64,
    pub year: i32,
    pub areas: usize,
    pub steps: usize,
    pub tasks: usize,
    /// Dates (start or due) that fell on a day off after the shift and were moved to a
    /// working day.
    pub dates_moved: usize,
    pub carried_over: Vec<Continuation>,
}

/// Where a plan comes from and where it went.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanLineage {
    pub plan_id: i64,
    /// The plan this one was rolled over from.
    pub rolled_from: Option<i64>,
    /// The plan this one was rolled over into (then this plan is read-only: closed).
    pub rolled_into: Option<i64>,
    /// Tasks of this plan that continue a task of the plan it was rolled from.
    pub continuations: Vec<Continuation>,
}
