//! All SQL of roll-overs (the copies themselves go through `plans::repo`).

use diesel::prelude::*;

use super::model::{ContinuationRow, RolloverRow};
use crate::db::DbConnection;
use crate::db::schema::{plan_rollovers, task_continuations};

/// The roll-over that made plan `plan_id`, if any.
pub fn rolled_from(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Option<RolloverRow>> {
    plan_rollovers::table
        .filter(plan_rollovers::plan_id.eq(plan_id))
        .select(RolloverRow::as_select())
        .first(conn)
        .optional()
}

/// The roll-over of plan `from_plan_id` into a later plan, if it was rolled over.
pub fn rolled_into(conn: &mut DbConnection, from_plan_id: i64) -> QueryResult<Option<RolloverRow>> {
    plan_rollovers::table
        .filter(plan_rollovers::from_plan_id.eq(from_plan_id))
        .select(RolloverRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_rollover(conn: &mut DbConnection, row: &RolloverRow) -> QueryResult<usize> {
    diesel::insert_into(plan_rollovers::table).values(row).execute(conn)
}

pub fn insert_continuation(conn: &mut DbConnection, row: &ContinuationRow) -> QueryResult<usize> {
    diesel::insert_into(task_continuations::table).values(row).execute(conn)
}

/// The continuations among these tasks (the tasks of one plan).
pub fn continuations(conn: &mut DbConnection, task_ids: &[i64]) -> QueryResult<Vec<ContinuationRow>> {
    task_continuations::table
        .filter(task_continuations::task_id.eq_any(task_ids))
        .order(task_continuations::task_id)
        .select(ContinuationRow::as_select())
        .load(conn)
}
