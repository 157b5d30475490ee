//! Every query of the activities.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{activities, activity_units};
use crate::db::{DbConnection, search_pattern};
use crate::http::Paging;

type Boxed<'a> = activities::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// Activities of the commune; a village sees those that reached it.
fn filtered<'a>(commune_id: i64, village: Option<i64>, f: &'a ActivityFilter) -> Boxed<'a> {
    let mut q = activities::table.filter(activities::commune_id.eq(commune_id)).into_boxed();
    for u in [village, f.unit_id].into_iter().flatten() {
        q =
            q.filter(activities::id.eq_any(
                activity_units::table.filter(activity_units::unit_id.eq(u)).select(activity_units::activity_id),
            ));
    }
    if let Some(p) = search_pattern(f.q.as_deref()) {
        q = q.filter(activities::title_search.like(p).escape('\\'));
    }
    if let Some(k) = f.kind {
        q = q.filter(activities::kind.eq(k.as_str()));
    }
    if let Some(c) = f.channel {
        q = q.filter(activities::channel.eq(c.as_str()));
    }
    if let Some(a) = f.content_area_id {
        q = q.filter(activities::content_area_id.eq(a));
    }
    if let Some(t) = f.task_id {
        q = q.filter(activities::task_id.eq(t));
    }
    if let Some(d) = f.from {
        q = q.filter(activities::held_on.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(activities::held_on.le(d));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    f: &ActivityFilter,
    paging: Paging,
) -> QueryResult<(Vec<ActivityRow>, i64)> {
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(commune_id, village, f),
        order = (activities::held_on.desc(), activities::id.desc()),
        select = ActivityRow::as_select()
    ))
}

/// An activity in scope; others are `NotFound`.
pub fn get(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ActivityRow> {
    let f = ActivityFilter::default();
    filtered(commune_id, village, &f).filter(activities::id.eq(id)).select(ActivityRow::as_select()).first(conn)
}

pub fn insert(conn: &mut DbConnection, a: &NewActivity) -> QueryResult<ActivityRow> {
    crate::on_backend!(conn, c => diesel::insert_into(activities::table).values(a).returning(ActivityRow::as_returning()).get_result(c))
}

pub fn update(conn: &mut DbConnection, id: i64, v: &ActivityValues) -> QueryResult<ActivityRow> {
    crate::on_backend!(conn, c => diesel::update(activities::table.find(id)).set(v).returning(ActivityRow::as_returning()).get_result(c))
}

pub fn set_units(conn: &mut DbConnection, id: i64, units: &[i64]) -> QueryResult<()> {
    diesel::delete(activity_units::table.filter(activity_units::activity_id.eq(id))).execute(conn)?;
    for u in units {
        diesel::insert_into(activity_units::table)
            .values((activity_units::activity_id.eq(id), activity_units::unit_id.eq(*u)))
            .execute(conn)?;
    }
    Ok(())
}

/// (activity, unit) pairs of some activities.
pub fn units_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    activity_units::table
        .filter(activity_units::activity_id.eq_any(ids))
        .select((activity_units::activity_id, activity_units::unit_id))
        .load(conn)
}

/// An activity held: id, content area, participants, the day it was held.
pub type HeldRow = (i64, Option<i64>, i32, NaiveDate);

/// The activities held in [from, to] (see [`HeldRow`]), for the figures.
pub fn held_between(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<HeldRow>> {
    activities::table
        .filter(activities::commune_id.eq(commune_id))
        .filter(activities::held_on.between(from, to))
        .select((activities::id, activities::content_area_id, activities::participants, activities::held_on))
        .load(conn)
}
