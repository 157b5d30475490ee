//! The counts the home page needs that no module offers.

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::dossiers;

/// Per commune: open dossiers that are late as the dashboard counts them — past the legal
/// deadline (while running, or already when paused), or asked for a second supplement (the
/// list's `view=overdue`).
pub fn open_overdue_by_commune(conn: &mut DbConnection, communes: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let now = Utc::now().naive_utc();
    let rows: Vec<(i64, i64)> = dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::finished_at.is_null())
        .filter(
            dossiers::supplement_requests
                .ge(2)
                .or(dossiers::paused_since.is_null().and(dossiers::deadline_at.lt(now)))
                .or(dossiers::paused_since
                    .is_not_null()
                    .and(dossiers::deadline_at.nullable().lt(dossiers::paused_since))),
        )
        .group_by(dossiers::commune_id)
        .select((dossiers::commune_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// A commune as the citizen pages read it: id, code, name, kind, one-stop unit, province.
pub type CommuneNames = (i64, Option<String>, String, String, Option<String>, String);

/// Every commune with its province, by name (the citizen pages' picker).
pub fn communes_with_authority(conn: &mut DbConnection) -> QueryResult<Vec<CommuneNames>> {
    use crate::db::schema::{authorities, communes};
    communes::table
        .inner_join(authorities::table)
        .order((communes::name, communes::id))
        .limit(2000)
        .select((
            communes::id,
            communes::code,
            communes::name,
            communes::kind,
            communes::onestop_unit_name,
            authorities::name,
        ))
        .load(conn)
}

/// An active procedure of a commune by its national code.
pub fn active_procedure_by_code(
    conn: &mut DbConnection,
    commune_id: i64,
    code: &str,
) -> QueryResult<crate::onestop::model::ProcedureRow> {
    use crate::db::schema::procedures;
    procedures::table
        .filter(procedures::commune_id.eq(commune_id))
        .filter(procedures::code.eq(code))
        .filter(procedures::active.eq(true))
        .select(crate::onestop::model::ProcedureRow::as_select())
        .first(conn)
}

pub fn procedure_details(
    conn: &mut DbConnection,
    procedure_id: i64,
) -> QueryResult<Option<super::model::ProcedureDetailsRow>> {
    use crate::db::schema::procedure_details;
    procedure_details::table
        .find(procedure_id)
        .select(super::model::ProcedureDetailsRow::as_select())
        .first(conn)
        .optional()
}

pub fn save_procedure_details(conn: &mut DbConnection, row: &super::model::ProcedureDetailsRow) -> QueryResult<()> {
    use crate::db::schema::procedure_details;
    let updated = diesel::update(procedure_details::table.find(row.procedure_id)).set(row).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(procedure_details::table).values(row).execute(conn)?;
    }
    Ok(())
}
