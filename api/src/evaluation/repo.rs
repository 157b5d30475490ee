//! Every query of the evaluation module. Rows of another commune are `NotFound`.

use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{criteria_sets, evaluations};

pub fn criteria_sets(conn: &mut DbConnection, commune_id: i64, year: Option<i32>) -> QueryResult<Vec<CriteriaSetRow>> {
    let mut q = criteria_sets::table.filter(criteria_sets::commune_id.eq(commune_id)).into_boxed();
    if let Some(y) = year {
        q = q.filter(criteria_sets::year.eq(y));
    }
    q.order((criteria_sets::year.desc(), criteria_sets::version.desc())).select(CriteriaSetRow::as_select()).load(conn)
}

pub fn get_criteria_set(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<CriteriaSetRow> {
    criteria_sets::table
        .filter(criteria_sets::id.eq(id))
        .filter(criteria_sets::commune_id.eq(commune_id))
        .select(CriteriaSetRow::as_select())
        .first(conn)
}

/// The newest version of the set for `year`, or of the newest earlier year.
pub fn criteria_set_for_year(
    conn: &mut DbConnection,
    commune_id: i64,
    year: i32,
) -> QueryResult<Option<CriteriaSetRow>> {
    criteria_sets::table
        .filter(criteria_sets::commune_id.eq(commune_id))
        .filter(criteria_sets::year.le(year))
        .order((criteria_sets::year.desc(), criteria_sets::version.desc()))
        .select(CriteriaSetRow::as_select())
        .first(conn)
        .optional()
}

pub fn last_set_version(conn: &mut DbConnection, commune_id: i64, year: i32) -> QueryResult<i32> {
    let v: Option<i32> = criteria_sets::table
        .filter(criteria_sets::commune_id.eq(commune_id))
        .filter(criteria_sets::year.eq(year))
        .select(diesel::dsl::max(criteria_sets::version))
        .first(conn)?;
    Ok(v.unwrap_or(0))
}

pub fn insert_criteria_set(conn: &mut DbConnection, new: &NewCriteriaSet) -> QueryResult<CriteriaSetRow> {
    diesel::insert_into(criteria_sets::table).values(new).returning(criteria_sets::all_columns).get_result(conn)
}

/// Evaluations of communes (newest year, plan, version first).
pub fn evaluations(
    conn: &mut DbConnection,
    communes: &[i64],
    year: Option<i32>,
    plan_id: Option<i64>,
    published_only: bool,
) -> QueryResult<Vec<EvaluationRow>> {
    let mut q = evaluations::table.filter(evaluations::commune_id.eq_any(communes)).into_boxed();
    if let Some(y) = year {
        q = q.filter(evaluations::year.eq(y));
    }
    if let Some(p) = plan_id {
        q = q.filter(evaluations::plan_id.eq(p));
    }
    if published_only {
        q = q.filter(evaluations::status.eq(EvaluationStatus::Published.as_str()));
    }
    q.order((evaluations::year.desc(), evaluations::plan_id, evaluations::version.desc()))
        .limit(500)
        .select(EvaluationRow::as_select())
        .load(conn)
}

/// An evaluation of one of `communes`.
pub fn get_evaluation(conn: &mut DbConnection, communes: &[i64], id: i64) -> QueryResult<EvaluationRow> {
    evaluations::table
        .filter(evaluations::id.eq(id))
        .filter(evaluations::commune_id.eq_any(communes))
        .select(EvaluationRow::as_select())
        .first(conn)
}

/// Every version of a plan's evaluation, newest first.
pub fn versions(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<EvaluationRow>> {
    evaluations::table
        .filter(evaluations::plan_id.eq(plan_id))
        .order(evaluations::version.desc())
        .select(EvaluationRow::as_select())
        .load(conn)
}

pub fn insert_evaluation(conn: &mut DbConnection, new: &NewEvaluation) -> QueryResult<EvaluationRow> {
    diesel::insert_into(evaluations::table).values(new).returning(evaluations::all_columns).get_result(conn)
}

pub fn update_evaluation(conn: &mut DbConnection, id: i64, changes: &EvaluationChanges) -> QueryResult<EvaluationRow> {
    diesel::update(evaluations::table.find(id)).set(changes).returning(evaluations::all_columns).get_result(conn)
}

/// Publishes a draft: only a row still a draft changes (two concurrent publications cannot
/// both freeze a snapshot). `None` when it was no longer a draft.
pub fn publish(conn: &mut DbConnection, id: i64, p: &Publication) -> QueryResult<Option<EvaluationRow>> {
    diesel::update(
        evaluations::table
            .filter(evaluations::id.eq(id))
            .filter(evaluations::status.eq(EvaluationStatus::Draft.as_str())),
    )
    .set(p)
    .returning(evaluations::all_columns)
    .get_result(conn)
    .optional()
}
