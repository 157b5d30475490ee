//! Every query of the national export: a period's dossiers with their procedures, and their
//! events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{dossier_events, dossiers, procedures};
use crate::onestop::model::{DossierRow, EventRow, ProcedureRow};

/// The most dossiers one export holds.
pub const MAX_ROWS: i64 = 100_000;

/// Dossiers of a commune received in `[from, to)` (UTC), oldest first.
pub fn dossiers_between(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(DossierRow, ProcedureRow)>> {
    dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::commune_id.eq(commune_id))
        .filter(dossiers::received_at.ge(from))
        .filter(dossiers::received_at.lt(to))
        .order((dossiers::received_at, dossiers::id))
        .limit(MAX_ROWS + 1)
        .select((DossierRow::as_select(), ProcedureRow::as_select()))
        .load(conn)
}

/// The events of these dossiers, in order (by chunks: SQLite binds at most 32,766 values).
pub fn events_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<EventRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        out.extend(
            dossier_events::table
                .filter(dossier_events::dossier_id.eq_any(chunk))
                .order((dossier_events::dossier_id, dossier_events::at, dossier_events::id))
                .select(EventRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}
