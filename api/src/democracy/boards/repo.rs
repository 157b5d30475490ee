//! Every query of the community boards' records.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{board_recommendations as r, board_supervisions as s};
use crate::http::Paging;
use crate::time::year_days;

type Boxed<'a> = s::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

fn supervisions_of<'a>(commune_id: i64, f: &SupervisionFilter) -> Boxed<'a> {
    let mut q = s::table.filter(s::commune_id.eq(commune_id)).into_boxed();
    if let Some(b) = f.board_unit_id {
        q = q.filter(s::board_unit_id.eq(b));
    }
    if let Some((a, b)) = f.year.and_then(year_days) {
        q = q.filter(s::held_on.between(a, b));
    }
    q
}

pub fn list_supervisions(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &SupervisionFilter,
    paging: Paging,
) -> QueryResult<(Vec<SupervisionRow>, i64)> {
    Ok(crate::page_of!(
        conn,
        paging,
        supervisions_of(commune_id, f),
        order = (s::held_on.desc(), s::id.desc()),
        select = SupervisionRow::as_select()
    ))
}

pub fn get_supervision(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<SupervisionRow> {
    s::table.filter(s::id.eq(id)).filter(s::commune_id.eq(commune_id)).select(SupervisionRow::as_select()).first(conn)
}

pub fn insert_supervision(conn: &mut DbConnection, row: &NewSupervision) -> QueryResult<SupervisionRow> {
    diesel::insert_into(s::table).values(row).returning(s::all_columns).get_result(conn)
}

pub fn update_supervision(conn: &mut DbConnection, id: i64, c: &SupervisionChanges) -> QueryResult<SupervisionRow> {
    diesel::update(s::table.find(id)).set(c).returning(s::all_columns).get_result(conn)
}

pub fn insert_recommendation(conn: &mut DbConnection, row: &NewRecommendation) -> QueryResult<RecommendationRow> {
    diesel::insert_into(r::table).values(row).returning(r::all_columns).get_result(conn)
}

pub fn recommendations_of(conn: &mut DbConnection, supervision_ids: &[i64]) -> QueryResult<Vec<RecommendationRow>> {
    r::table
        .filter(r::supervision_id.eq_any(supervision_ids))
        .order(r::id)
        .select(RecommendationRow::as_select())
        .load(conn)
}

pub fn list_recommendations(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &RecommendationFilter,
    paging: Paging,
) -> QueryResult<(Vec<RecommendationRow>, i64)> {
    let filtered = || {
        let mut q = r::table.filter(r::commune_id.eq(commune_id)).into_boxed();
        if let Some(st) = f.status {
            q = q.filter(r::status.eq(st.as_str()));
        }
        if let Some(b) = f.board_unit_id {
            q = q.filter(r::supervision_id.eq_any(s::table.filter(s::board_unit_id.eq(b)).select(s::id)));
        }
        if let Some(u) = f.addressed_unit_id {
            q = q.filter(r::addressed_unit_id.eq(u));
        }
        q
    };
    Ok(crate::page_of!(conn, paging, filtered(), order = r::id.desc(), select = RecommendationRow::as_select()))
}

pub fn get_recommendation(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<RecommendationRow> {
    r::table
        .filter(r::id.eq(id))
        .filter(r::commune_id.eq(commune_id))
        .select(RecommendationRow::as_select())
        .first(conn)
}

pub fn respond(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    answer: &str,
    answered_on: Option<NaiveDate>,
    answered_by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<RecommendationRow> {
    diesel::update(r::table.find(id))
        .set((
            r::status.eq(status),
            r::answer.eq(answer),
            r::answered_on.eq(answered_on),
            r::answered_by.eq(answered_by),
            r::updated_at.eq(now),
        ))
        .returning(r::all_columns)
        .get_result(conn)
}

/// (supervision, board unit) of some supervisions.
pub fn boards_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    s::table.filter(s::id.eq_any(ids)).select((s::id, s::board_unit_id)).load(conn)
}

/// (board unit, supervisions) of the commune.
pub fn supervision_counts(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    s::table
        .filter(s::commune_id.eq(commune_id))
        .group_by(s::board_unit_id)
        .select((s::board_unit_id, count_star()))
        .load(conn)
}

/// (board unit, status, recommendations) of the commune.
pub fn recommendation_counts(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, String, i64)>> {
    let per_supervision: Vec<(i64, String, i64)> = r::table
        .filter(r::commune_id.eq(commune_id))
        .group_by((r::supervision_id, r::status))
        .select((r::supervision_id, r::status, count_star()))
        .load(conn)?;
    let boards: std::collections::HashMap<i64, i64> = s::table
        .filter(s::commune_id.eq(commune_id))
        .select((s::id, s::board_unit_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(per_supervision.into_iter().filter_map(|(sid, st, n)| boards.get(&sid).map(|b| (*b, st, n))).collect())
}

/// (status, answered_on) of recommendations of supervisions held in [from, to], and the
/// supervisions held, for the figures.
pub fn figures(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(i64, Vec<String>)> {
    let held =
        s::table.filter(s::commune_id.eq(commune_id)).filter(s::held_on.between(from, to)).count().get_result(conn)?;
    let statuses = r::table
        .inner_join(s::table)
        .filter(r::commune_id.eq(commune_id))
        .filter(s::held_on.between(from, to))
        .select(r::status)
        .load(conn)?;
    Ok((held, statuses))
}
