//! Every query of the category admin.

use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{feedback_categories, open311_requests};
use crate::open311::model::CategoryRow;

/// The commune's own rows (active or not), or the defaults when `commune_id` is `None`.
pub fn rows_of(conn: &mut DbConnection, commune_id: Option<i64>) -> QueryResult<Vec<CategoryRow>> {
    let q = feedback_categories::table.into_boxed();
    let q = match commune_id {
        Some(c) => q.filter(feedback_categories::commune_id.eq(c)),
        None => q.filter(feedback_categories::commune_id.is_null()),
    };
    q.order((feedback_categories::position, feedback_categories::id)).select(CategoryRow::as_select()).load(conn)
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CategoryRow>> {
    feedback_categories::table.find(id).select(CategoryRow::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut DbConnection, new: &NewCategory) -> QueryResult<CategoryRow> {
    diesel::insert_into(feedback_categories::table)
        .values(new)
        .returning(feedback_categories::all_columns)
        .get_result(conn)
}

/// Stores every column of a row but its id and commune.
pub fn save(conn: &mut DbConnection, row: &CategoryRow) -> QueryResult<CategoryRow> {
    diesel::update(feedback_categories::table.find(row.id))
        .set((
            feedback_categories::code.eq(&row.code),
            feedback_categories::name.eq(&row.name),
            feedback_categories::description.eq(&row.description),
            feedback_categories::kind.eq(&row.kind),
            feedback_categories::grouping.eq(&row.grouping),
            feedback_categories::keywords.eq(&row.keywords),
            feedback_categories::position.eq(row.position),
            feedback_categories::active.eq(row.active),
        ))
        .returning(feedback_categories::all_columns)
        .get_result(conn)
}

/// The service codes requests of the commune used.
pub fn used_codes(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<String>> {
    open311_requests::table
        .filter(open311_requests::commune_id.eq(commune_id))
        .select(open311_requests::service_code)
        .distinct()
        .load(conn)
}
