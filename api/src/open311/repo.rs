//! Every query of Open311: categories, the requests received through it, the villages a
//! request may name.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{CategoryRow, RequestRow};
use crate::db::DbConnection;
use crate::db::schema::{feedback_categories, open311_requests, petitions, units};
use crate::petitions::model::PetitionRow;

/// The categories of a commune (active or not) and the defaults (`commune_id` NULL), in order.
pub fn categories(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<CategoryRow>> {
    feedback_categories::table
        .filter(feedback_categories::commune_id.eq(commune_id).or(feedback_categories::commune_id.is_null()))
        .order((feedback_categories::position, feedback_categories::id))
        .select(CategoryRow::as_select())
        .load(conn)
}

/// The active villages (thôn) of a commune: (id, name).
pub fn villages(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, String)>> {
    units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::kind.eq("village"))
        .filter(units::active.eq(true))
        .order(units::name)
        .select((units::id, units::name))
        .load(conn)
}

pub fn insert_request(conn: &mut DbConnection, row: &RequestRow) -> QueryResult<()> {
    diesel::insert_into(open311_requests::table).values(row).execute(conn).map(|_| ())
}

/// What the list filters on (already checked).
#[derive(Debug, Default)]
pub struct Filter {
    pub codes: Vec<String>,
    pub service_codes: Vec<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Petition statuses to keep (empty: all).
    pub statuses: Vec<&'static str>,
    pub limit: i64,
}

/// Requests of a commune received through Open311, newest first.
pub fn list(conn: &mut DbConnection, commune_id: i64, f: &Filter) -> QueryResult<Vec<(RequestRow, PetitionRow)>> {
    let mut q = open311_requests::table
        .inner_join(petitions::table)
        .filter(open311_requests::commune_id.eq(commune_id))
        .filter(petitions::commune_id.eq(commune_id))
        .into_boxed();
    if !f.codes.is_empty() {
        q = q.filter(petitions::code.eq_any(f.codes.clone()));
    } else {
        if !f.service_codes.is_empty() {
            q = q.filter(open311_requests::service_code.eq_any(f.service_codes.clone()));
        }
        if let Some(from) = f.from {
            q = q.filter(petitions::received_at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(petitions::received_at.le(to));
        }
        if !f.statuses.is_empty() {
            q = q.filter(petitions::status.eq_any(f.statuses.clone()));
        }
    }
    q.order((petitions::received_at.desc(), petitions::id.desc()))
        .limit(f.limit)
        .select((RequestRow::as_select(), PetitionRow::as_select()))
        .load(conn)
}

/// The request a token stands for.
pub fn by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<(RequestRow, PetitionRow)>> {
    open311_requests::table
        .inner_join(petitions::table)
        .filter(open311_requests::token.eq(token))
        .select((RequestRow::as_select(), PetitionRow::as_select()))
        .first(conn)
        .optional()
}
