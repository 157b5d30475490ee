//! Every query of the national export: a period's dossiers with their procedures, and their
//! events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::dossier_events;
use crate::onestop::model::{DossierRow, EventRow, ProcedureRow};

/// The most dossiers one export holds.
pub const MAX_ROWS: i64 = 100_000;

/// Dossiers of a commune received in `[from, to)` (UTC), oldest first: one more than an
/// export holds, to tell a period that is too long.
pub fn dossiers_between(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(DossierRow, ProcedureRow)>> {
    crate::onestop::dossiers::repo::received_between(conn, commune_id, from, to, MAX_ROWS + 1)
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
