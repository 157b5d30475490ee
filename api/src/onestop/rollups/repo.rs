//! Every query of the roll-ups: reading a dossier's inputs, adding deltas (the one
//! engine-specific upsert), reading period sums and prefix sums, and the bulk reads of
//! `verify-rollups` / `rebuild-rollups`.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::upsert::excluded;

use std::collections::{BTreeMap, HashMap};

use super::hist::{Corrupt, Hist};
use super::model::{Deltas, HistKey, HistRow, MEASURES, RollupInput, RollupRow};
use crate::db::DbConnection;
use crate::db::schema::{dossier_rollup_histograms as h, dossier_rollups as r, dossiers};
use crate::db::stmt::{Bind, Sql};

/// Set only by `examples/bench_onestop.rs` (see [`skip_maintenance_for_benchmark`]).
static SKIP_MAINTENANCE: AtomicBool = AtomicBool::new(false);

/// For the intake benchmark only: stops (or resumes) maintaining the roll-ups in this process,
/// so one binary can measure an intake with and without their cost. The roll-ups of a database
/// written meanwhile are wrong (`thanthien verify-rollups` says so; `rebuild-rollups` repairs
/// them). Nothing in the server, its configuration or its API calls it.
pub fn skip_maintenance_for_benchmark(skip: bool) {
    SKIP_MAINTENANCE.store(skip, Ordering::Relaxed);
}

/// Rows per multi-row statement (PostgreSQL arrays; SQLite's 32,766 parameters for histograms).
const BATCH: usize = 1000;

/// The columns of a roll-up row, in [`RollupRow`] order, and what a conflicting row adds.
macro_rules! rollup_upsert {
    ($values:literal) => {
        concat!(
            "INSERT INTO dossier_rollups (commune_id, grain, day, procedure_id, status, received, online, postal, \
             paid_online, digitised, from_data_store, ended, early, on_time, late, electronic_result, \
             late_without_apology, returned, open_delta, overdue_delta) ",
            $values,
            " ON CONFLICT (commune_id, grain, day, procedure_id, status) DO UPDATE SET \
             received = dossier_rollups.received + excluded.received, \
             online = dossier_rollups.online + excluded.online, \
             postal = dossier_rollups.postal + excluded.postal, \
             paid_online = dossier_rollups.paid_online + excluded.paid_online, \
             digitised = dossier_rollups.digitised + excluded.digitised, \
             from_data_store = dossier_rollups.from_data_store + excluded.from_data_store, \
             ended = dossier_rollups.ended + excluded.ended, \
             early = dossier_rollups.early + excluded.early, \
             on_time = dossier_rollups.on_time + excluded.on_time, \
             late = dossier_rollups.late + excluded.late, \
             electronic_result = dossier_rollups.electronic_result + excluded.electronic_result, \
             late_without_apology = dossier_rollups.late_without_apology + excluded.late_without_apology, \
             returned = dossier_rollups.returned + excluded.returned, \
             open_delta = dossier_rollups.open_delta + excluded.open_delta, \
             overdue_delta = dossier_rollups.overdue_delta + excluded.overdue_delta"
        )
    };
}

/// PostgreSQL: the rows as one array a column (the key's five, then the 15 measures).
const UPSERT_ROWS_PG: &str = rollup_upsert!(
    "SELECT * FROM unnest(?::bigint[], ?::integer[], ?::date[], ?::bigint[], ?::integer[], \
     ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], \
     ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
);

/// SQLite: one row.
const UPSERT_ROW_SQLITE: &str = rollup_upsert!("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

/// The inputs of one dossier.
pub fn input(conn: &mut DbConnection, id: i64) -> QueryResult<Option<RollupInput>> {
    dossiers::table.find(id).select(RollupInput::as_select()).first(conn).optional()
}

/// The inputs of these dossiers.
pub fn inputs(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<RollupInput>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        out.extend(dossiers::table.filter(dossiers::id.eq_any(chunk)).select(RollupInput::as_select()).load(conn)?);
    }
    Ok(out)
}

/// Up to `limit` dossiers with an id above `after`, in id order (for a pass over all of them).
pub fn inputs_after(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<RollupInput>> {
    dossiers::table
        .filter(dossiers::id.gt(after))
        .order(dossiers::id)
        .limit(limit)
        .select(RollupInput::as_select())
        .load(conn)
}

/// Adds `deltas` to the stored roll-ups, creating missing rows (in the caller's transaction).
pub fn add(conn: &mut DbConnection, deltas: &Deltas) -> QueryResult<()> {
    if deltas.is_empty() || SKIP_MAINTENANCE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut rows: Vec<RollupRow> = deltas.rows.iter().map(|(k, v)| RollupRow::new(k, v)).collect();
    rows.sort_by_key(RollupRow::key);
    // Fixed texts, so each connection prepares them once (diesel re-parses its own upserts: an
    // intake's 4–6 rows would be parsed on every intake). PostgreSQL: any number of rows in one
    // statement, as arrays; SQLite: one row per statement, in-process.
    match conn {
        DbConnection::Postgresql(c) => {
            for chunk in rows.chunks(BATCH) {
                let col = |f: fn(&RollupRow) -> i64| Bind::I64s(chunk.iter().map(f).collect());
                let mut binds = vec![
                    col(|x| x.commune_id),
                    Bind::I32s(chunk.iter().map(|x| x.grain).collect()),
                    Bind::Dates(chunk.iter().map(|x| x.day).collect()),
                    col(|x| x.procedure_id),
                    Bind::I32s(chunk.iter().map(|x| x.status).collect()),
                ];
                for i in 0..MEASURES {
                    binds.push(Bind::I64s(chunk.iter().map(|x| x.measures()[i]).collect()));
                }
                Sql::new(UPSERT_ROWS_PG, binds).execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for x in &rows {
                let mut binds = vec![
                    Bind::I64(x.commune_id),
                    Bind::I32(x.grain),
                    Bind::Date(x.day),
                    Bind::I64(x.procedure_id),
                    Bind::I32(x.status),
                ];
                binds.extend(x.measures().into_iter().map(Bind::I64));
                Sql::new(UPSERT_ROW_SQLITE, binds).execute(c)?;
            }
        }
    }
    let changes = deltas.histograms();
    if !changes.is_empty() {
        add_histograms(conn, &changes)?;
    }
    Ok(())
}

/// Up to this many histograms changed at once are read one by one (a dossier's change touches
/// at most six); more (a rebuild, the demo generator) are read with every stored histogram of
/// their communes in one query.
const FEW: usize = 64;

fn corrupt(_: Corrupt) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(Box::new(Corrupt))
}

/// Adds changes to the stored histograms: each is read, changed and written back while no other
/// transaction can change it — PostgreSQL locks its row (created empty first when missing, so
/// two first writers of a bucket queue on that row too); SQLite runs one write transaction at
/// a time. A histogram that no longer counts anything is deleted.
fn add_histograms(conn: &mut DbConnection, changes: &BTreeMap<HistKey, Vec<(i32, i64)>>) -> QueryResult<()> {
    let keys: Vec<HistKey> = changes.keys().copied().collect();
    let row = |k: &HistKey, hist: Vec<u8>| HistRow { commune_id: k.0, grain: k.1, day: k.2, procedure_id: k.3, hist };
    if let DbConnection::Postgresql(c) = conn {
        let empty: Vec<HistRow> = keys.iter().map(|k| row(k, Vec::new())).collect();
        for chunk in empty.chunks(BATCH) {
            diesel::insert_into(h::table).values(chunk).on_conflict_do_nothing().execute(c)?;
        }
    }
    let by_key = |k: &HistKey| {
        h::table
            .filter(h::commune_id.eq(k.0))
            .filter(h::grain.eq(k.1))
            .filter(h::day.eq(k.2))
            .filter(h::procedure_id.eq(k.3))
    };
    let mut stored: HashMap<HistKey, Vec<u8>> = HashMap::new();
    if keys.len() <= FEW {
        for k in &keys {
            let found: Option<Vec<u8>> = match conn {
                DbConnection::Postgresql(c) => by_key(k).select(h::hist).for_update().first(c).optional()?,
                DbConnection::Sqlite(c) => by_key(k).select(h::hist).first(c).optional()?,
            };
            if let Some(v) = found {
                stored.insert(*k, v);
            }
        }
    } else {
        let mut communes: Vec<i64> = keys.iter().map(|k| k.0).collect();
        communes.dedup();
        let all: Vec<HistRow> = match conn {
            DbConnection::Postgresql(c) => {
                h::table.filter(h::commune_id.eq_any(&communes)).select(HistRow::as_select()).for_update().load(c)?
            }
            DbConnection::Sqlite(c) => {
                h::table.filter(h::commune_id.eq_any(&communes)).select(HistRow::as_select()).load(c)?
            }
        };
        stored.extend(all.into_iter().map(|x| (x.key(), x.hist)));
    }
    let mut writes = Vec::with_capacity(keys.len());
    for (k, change) in changes {
        let mut hist = match stored.get(k) {
            Some(bytes) => Hist::decode(bytes).map_err(corrupt)?,
            None => Hist::default(),
        };
        hist.merge(change);
        if hist.is_empty() {
            if stored.contains_key(k) {
                crate::on_backend!(conn, c => diesel::delete(by_key(k)).execute(c))?;
            }
        } else {
            writes.push(row(k, hist.encode()));
        }
    }
    macro_rules! upsert_histograms {
        ($c:expr, $values:expr) => {
            diesel::insert_into(h::table)
                .values($values)
                .on_conflict((h::commune_id, h::grain, h::day, h::procedure_id))
                .do_update()
                .set(h::hist.eq(excluded(h::hist)))
                .execute($c)
        };
    }
    match conn {
        DbConnection::Postgresql(c) => {
            for chunk in writes.chunks(BATCH) {
                upsert_histograms!(c, chunk)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for w in &writes {
                upsert_histograms!(c, w)?;
            }
        }
    }
    Ok(())
}

/// Replaces a dossier's contribution `old` by `new` (either absent for an insert or a delete).
pub fn apply(conn: &mut DbConnection, old: Option<&RollupInput>, new: Option<&RollupInput>) -> QueryResult<()> {
    add(conn, &Deltas::change(old, new))
}

/// Adds the contributions of newly inserted dossiers.
pub fn add_new(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    let mut d = Deltas::default();
    for i in inputs(conn, ids)? {
        d.add(&i, 1);
    }
    d.drop_zeros();
    add(conn, &d)
}

fn total(col: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT)"))
}

/// (commune, procedure, status, the 15 measures summed) of the buckets of one grain from `first`
/// to `last`.
pub type SumRow = (i64, i64, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// Sums of the buckets of `grain` with a first day in `first..=last`.
pub fn sums(
    conn: &mut DbConnection,
    communes: &[i64],
    grain: i32,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<SumRow>> {
    r::table
        .filter(r::commune_id.eq_any(communes))
        .filter(r::grain.eq(grain))
        .filter(r::day.ge(first))
        .filter(r::day.le(last))
        .group_by((r::commune_id, r::procedure_id, r::status))
        .select((
            r::commune_id,
            r::procedure_id,
            r::status,
            total("received"),
            total("online"),
            total("postal"),
            total("paid_online"),
            total("digitised"),
            total("from_data_store"),
            total("ended"),
            total("early"),
            total("on_time"),
            total("late"),
            total("electronic_result"),
            total("late_without_apology"),
            total("returned"),
            total("open_delta"),
            total("overdue_delta"),
        ))
        .load(conn)
}

/// (commune, procedure, status, open steps, overdue steps).
pub type StepRow = (i64, i64, i32, i64, i64);

/// The open and overdue steps of the buckets of `grain` with a first day in `first..=last`.
pub fn steps(
    conn: &mut DbConnection,
    communes: &[i64],
    grain: i32,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<StepRow>> {
    r::table
        .filter(r::commune_id.eq_any(communes))
        .filter(r::grain.eq(grain))
        .filter(r::day.ge(first))
        .filter(r::day.le(last))
        .group_by((r::commune_id, r::procedure_id, r::status))
        .select((r::commune_id, r::procedure_id, r::status, total("open_delta"), total("overdue_delta")))
        .load(conn)
}

/// (commune, procedure, processing-time histogram) of each bucket of `grain` in `first..=last`
/// (not merged: a commune and procedure appear once per bucket).
pub fn histograms(
    conn: &mut DbConnection,
    communes: &[i64],
    grain: i32,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(i64, i64, Hist)>> {
    let rows: Vec<(i64, i64, Vec<u8>)> = h::table
        .filter(h::commune_id.eq_any(communes))
        .filter(h::grain.eq(grain))
        .filter(h::day.ge(first))
        .filter(h::day.le(last))
        .select((h::commune_id, h::procedure_id, h::hist))
        .load(conn)?;
    rows.into_iter().map(|(c, p, bytes)| Ok((c, p, Hist::decode(&bytes).map_err(corrupt)?))).collect()
}

/// Every stored roll-up row.
pub fn all_rows(conn: &mut DbConnection) -> QueryResult<Vec<RollupRow>> {
    r::table.select(RollupRow::as_select()).load(conn)
}

/// Every stored histogram.
pub fn all_histograms(conn: &mut DbConnection) -> QueryResult<Vec<HistRow>> {
    h::table.select(HistRow::as_select()).load(conn)
}

/// Deletes every roll-up (before a rebuild, in its transaction).
pub fn delete_all(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::delete(r::table).execute(conn)?;
    diesel::delete(h::table).execute(conn)?;
    Ok(())
}

/// Whether any roll-up row exists.
pub fn any_rows(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(r::table.select(r::commune_id))).get_result(conn)
}

/// Whether any dossier exists.
pub fn any_dossiers(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(dossiers::table.select(dossiers::id))).get_result(conn)
}

/// Starts a read-only transaction that sees one snapshot of the dossiers and the roll-ups
/// (PostgreSQL: repeatable read; SQLite: any read transaction is a snapshot). Call inside a
/// transaction, before its first query.
pub fn snapshot(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(c) => {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(c).map(|_| ())
        }
        DbConnection::Sqlite(_) => Ok(()),
    }
}
