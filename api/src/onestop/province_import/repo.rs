//! Every query of the province import, with the engine mechanics a bulk write needs.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::model::{IMPORT_USER_NAME, ImportEvent, NewImported};
use crate::db::DbConnection;
use crate::db::schema::{dossier_events, dossiers, procedures, units};
use crate::onestop::model::{DossierRow, DossierValues};
use crate::onestop::rollups::repo as rollups;

/// Codes or ids per `IN (…)` look-up.
const CODE_CHUNK: usize = 5000;

/// The commune's people's committee unit (the one-stop shop sits under it): (id, name).
pub fn people_committee_unit(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Option<(i64, String)>> {
    units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::kind.eq("people_committee"))
        .order(units::id)
        .select((units::id, units::name))
        .first(conn)
        .optional()
}

/// The commune's procedures as (code, id), active or not.
pub fn procedure_codes(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(String, i64)>> {
    procedures::table
        .filter(procedures::commune_id.eq(commune_id))
        .select((procedures::code, procedures::id))
        .load(conn)
}

/// The codes of a commune's units (the agency part of its dossier codes).
pub fn unit_codes(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<String>> {
    units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::code.is_not_null())
        .select(units::code.assume_not_null())
        .load(conn)
}

/// Stored dossiers of a commune with these codes, by code.
pub fn dossiers_by_code(
    conn: &mut DbConnection,
    commune_id: i64,
    codes: &[&str],
) -> QueryResult<HashMap<String, DossierRow>> {
    conn.transaction(|conn| {
        custom_plans(conn, true)?;
        let mut out = HashMap::new();
        for chunk in codes.chunks(CODE_CHUNK) {
            let rows: Vec<DossierRow> = dossiers::table
                .filter(dossiers::commune_id.eq(commune_id))
                .filter(dossiers::code.eq_any(chunk))
                .select(DossierRow::as_select())
                .load(conn)?;
            out.extend(rows.into_iter().map(|d| (d.code.clone(), d)));
        }
        Ok(out)
    })
}

/// Inserts imported dossiers; their (id, code).
/// Their contributions are added to the roll-ups in the same transaction.
pub fn insert_imported(conn: &mut DbConnection, rows: &[NewImported]) -> QueryResult<Vec<(i64, String)>> {
    let ids: Vec<(i64, String)> = crate::on_backend!(conn, c => diesel::insert_into(dossiers::table)
        .values(rows)
        .returning((dossiers::id, dossiers::code))
        .get_results(c))?;
    let only: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
    rollups::add_new(conn, &only)?;
    Ok(ids)
}

/// Replaces an imported dossier's values.
/// Its contribution to the roll-ups moves in the same transaction.
pub fn update_imported(
    conn: &mut DbConnection,
    id: i64,
    values: &DossierValues,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let old = rollups::input(conn, id)?;
    diesel::update(dossiers::table.find(id)).set((values, dossiers::updated_at.eq(now))).execute(conn)?;
    let new = rollups::input(conn, id)?;
    rollups::apply(conn, old.as_ref(), new.as_ref())
}

/// Deletes the events an earlier import synthesized for these dossiers.
pub fn delete_import_events(conn: &mut DbConnection, dossier_ids: &[i64]) -> QueryResult<()> {
    if dossier_ids.is_empty() {
        return Ok(());
    }
    custom_plans(conn, true)?;
    for chunk in dossier_ids.chunks(CODE_CHUNK) {
        diesel::delete(
            dossier_events::table
                .filter(dossier_events::dossier_id.eq_any(chunk))
                .filter(dossier_events::user_id.is_null())
                .filter(dossier_events::user_name.eq(IMPORT_USER_NAME)),
        )
        .execute(conn)?;
    }
    custom_plans(conn, false)
}

/// Inserts synthesized events.
pub fn insert_events(conn: &mut DbConnection, events: &[ImportEvent]) -> QueryResult<()> {
    crate::on_backend!(conn, c => diesel::insert_into(dossier_events::table).values(events).execute(c)).map(|_| ())
}

/// On PostgreSQL, plans this transaction's statements for their actual parameters. The
/// look-ups bind an array of up to 5,000 codes or ids (`= ANY($1)`); a cached statement soon
/// gets a generic plan that compares each row with the whole array, which made re-importing
/// 100,000 rows take minutes instead of seconds.
/// (Only for the look-ups: re-planning the 30,000-parameter batch inserts on every execution
/// would cost more than it saves.)
fn custom_plans(conn: &mut DbConnection, on: bool) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgresql(_)) {
        let mode = if on { "force_custom_plan" } else { "auto" };
        diesel::sql_query(format!("SET LOCAL plan_cache_mode = {mode}")).execute(conn)?;
    }
    Ok(())
}

/// Runs `f` with, on SQLite, a page cache large enough for the indexes a large import touches
/// (100,000 dossiers and their events) instead of the default 2 MB; the default is restored
/// before the connection returns to the pool.
pub fn with_large_cache<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        conn.batch_execute("PRAGMA cache_size = -131072")?;
    }
    let out = f(conn);
    if sqlite && let Err(e) = conn.batch_execute("PRAGMA cache_size = -2000") {
        tracing::warn!(error = %e, "restoring the SQLite page cache size failed");
    }
    out
}

/// After a large import, refreshes PostgreSQL's statistics of the dossier tables so the next
/// queries are planned for their new size (autovacuum would only get to it later).
pub fn refresh_statistics(conn: &mut DbConnection, changed: usize) {
    if changed >= 10_000
        && matches!(conn, DbConnection::Postgresql(_))
        && let Err(e) = diesel::sql_query("ANALYZE dossiers, dossier_events").execute(conn)
    {
        tracing::warn!(error = %e, "ANALYZE after the import failed");
    }
}
