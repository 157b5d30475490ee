//! Every query of the demo generator: bulk inserts with the engine mechanics a load of
//! millions of rows needs.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::model::{CounterInsert, GenDossier};
use crate::db::DbConnection;
use crate::db::schema::{
    activities, authorities, communes, disclosure_relays, disclosures, dossier_counters, dossier_events, dossiers,
    users,
};
use crate::onestop::rollups::model::{Deltas, RollupInput};
use crate::org::model::AuthorityRow;
use crate::time::to_local;

/// Usernames matching a `LIKE` pattern.
pub fn usernames_like(conn: &mut DbConnection, pattern: &str) -> QueryResult<Vec<String>> {
    users::table.filter(users::username.like(pattern)).select(users::username).load(conn)
}

/// The first commune with this name, with its authority: (commune id, authority id).
pub fn commune_and_authority(conn: &mut DbConnection, name: &str) -> QueryResult<Option<(i64, i64)>> {
    communes::table
        .filter(communes::name.eq(name))
        .order(communes::id)
        .select((communes::id, communes::authority_id))
        .first(conn)
        .optional()
}

/// A commune's latest village relay of a disclosure, with when it was recorded.
pub fn latest_relay(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Option<(i64, chrono::NaiveDateTime)>> {
    disclosure_relays::table
        .inner_join(disclosures::table)
        .filter(disclosures::commune_id.eq(commune_id))
        .order((disclosure_relays::relayed_on.desc(), disclosure_relays::id.desc()))
        .select((disclosure_relays::id, disclosure_relays::created_at))
        .first(conn)
        .optional()
}

/// A commune's latest activity held by `day`, with when it was recorded.
pub fn latest_activity(
    conn: &mut DbConnection,
    commune_id: i64,
    day: chrono::NaiveDate,
) -> QueryResult<Option<(i64, chrono::NaiveDateTime)>> {
    activities::table
        .filter(activities::commune_id.eq(commune_id))
        .filter(activities::held_on.le(day))
        .order((activities::held_on.desc(), activities::id.desc()))
        .select((activities::id, activities::created_at))
        .first(conn)
        .optional()
}

/// An authority (province or district).
pub fn authority(conn: &mut DbConnection, id: i64) -> QueryResult<AuthorityRow> {
    authorities::table.find(id).select(AuthorityRow::as_select()).first(conn)
}

/// On SQLite, a bigger page cache for the index inserts of this connection.
pub fn enlarge_sqlite_cache(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA cache_size = -262144")?;
    }
    Ok(())
}

/// On PostgreSQL, what autovacuum does shortly after such a load (insert-triggered vacuum and
/// analyze): planner statistics, hint bits and the visibility map, so the first reads are normal.
pub fn vacuum_after_load(conn: &mut DbConnection) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgresql(_)) {
        diesel::sql_query("VACUUM (ANALYZE) dossiers, dossier_events, dossier_counters").execute(conn)?;
    }
    Ok(())
}

fn max_id(conn: &mut DbConnection, events: bool) -> QueryResult<i64> {
    let max: Option<i64> = if events {
        dossier_events::table.select(diesel::dsl::max(dossier_events::id)).first(conn)?
    } else {
        dossiers::table.select(diesel::dsl::max(dossiers::id)).first(conn)?
    };
    Ok(max.unwrap_or(0))
}

/// Inserts a commune's dossiers, events and code counters with multi-row inserts, in the
/// caller's transaction. Rows per statement stay under SQLite's 32 766 and PostgreSQL's 65 535
/// bound parameters. `progress(dossiers, events)` after every batch.
/// Columns of `dossiers` and `dossier_events` (`db/schema.rs`), which size the inserts below;
/// `gen_demo_dossiers_fill_whole_statements` in the API suite fails if they are too small.
const DOSSIER_COLUMNS: usize = 37;
const EVENT_COLUMNS: usize = 12;

pub fn insert_dossiers(
    conn: &mut DbConnection,
    unit_id: i64,
    generated: Vec<GenDossier>,
    progress: &mut dyn FnMut(usize, usize),
) -> QueryResult<usize> {
    let pg = matches!(conn, DbConnection::Postgresql(_));
    if pg {
        // Ids are assigned here: keep other writers out until commit.
        diesel::sql_query("LOCK TABLE dossiers, dossier_events IN SHARE ROW EXCLUSIVE MODE").execute(conn)?;
    }
    // One statement carries at most 65,535 bind parameters on PostgreSQL and 32,766 on SQLite;
    // a row of `dossiers` takes 37, of `dossier_events` 12 (`gen-demo-dossiers` on 1,000+
    // dossiers a commune failed with "too many SQL variables" once `dossiers` passed 32 columns).
    let limit = if pg { 65_535 } else { 32_766 };
    let (dossier_batch, event_batch) = (limit / DOSSIER_COLUMNS, limit / EVENT_COLUMNS);
    let mut next_dossier = max_id(conn, false)? + 1;
    let mut next_event = max_id(conn, true)? + 1;
    let mut counters: Vec<CounterInsert> = Vec::new();
    let mut total_events = 0;
    let mut rows = Vec::with_capacity(dossier_batch);
    let mut events = Vec::with_capacity(event_batch * 2);
    // Their contributions to the roll-ups, added once at the end (same transaction).
    let mut rollup = Deltas::default();
    let mut it = generated.into_iter().peekable();
    while it.peek().is_some() {
        rows.clear();
        events.clear();
        for mut g in it.by_ref().take(dossier_batch) {
            g.row.id = next_dossier;
            let day = to_local(g.row.values.received_at).date();
            match counters.last_mut() {
                Some(c) if c.day == day => c.last_value += 1,
                _ => counters.push(CounterInsert { unit_id, day, last_value: 1 }),
            }
            for mut e in g.events {
                e.id = next_event;
                e.dossier_id = next_dossier;
                next_event += 1;
                events.push(e);
            }
            next_dossier += 1;
            rollup.add(&RollupInput::from(&g.row), 1);
            rows.push(g.row);
        }
        crate::on_backend!(conn, c => diesel::insert_into(dossiers::table).values(rows.as_slice()).execute(c))?;
        for chunk in events.chunks(event_batch) {
            crate::on_backend!(conn, c => diesel::insert_into(dossier_events::table).values(chunk).execute(c))?;
        }
        total_events += events.len();
        progress(rows.len(), events.len());
    }
    rollup.drop_zeros();
    crate::onestop::rollups::repo::add(conn, &rollup)?;
    for chunk in counters.chunks(5000) {
        crate::on_backend!(conn, c => diesel::insert_into(dossier_counters::table).values(chunk).execute(c))?;
    }
    if pg {
        for table in ["dossiers", "dossier_events"] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(conn)?;
        }
    }
    Ok(total_events)
}

/// The villages of a commune: (unit id, code), by code.
pub fn village_units(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, Option<String>)>> {
    use crate::db::schema::units;
    units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::kind.eq("village"))
        .order(units::code.asc())
        .select((units::id, units::code))
        .load(conn)
}

/// (id, full name, unit, role) of a user.
pub type CommuneUser = (i64, String, Option<i64>, String);

/// A commune's active users (the living demo's report authors).
pub fn commune_users(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<CommuneUser>> {
    users::table
        .filter(users::commune_id.eq(commune_id))
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::full_name, users::unit_id, users::role))
        .load(conn)
}

/// (id, name) of a commune's unit by code.
pub fn unit_by_code(conn: &mut DbConnection, commune_id: i64, code: &str) -> QueryResult<Option<(i64, String)>> {
    use crate::db::schema::units;
    units::table
        .filter(units::commune_id.eq(commune_id))
        .filter(units::code.eq(code))
        .select((units::id, units::name))
        .first(conn)
        .optional()
}

/// (id, full name) of a user by username.
pub fn user_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<(i64, String)>> {
    users::table.filter(users::username.eq(username)).select((users::id, users::full_name)).first(conn).optional()
}

/// How many dossiers a commune has.
pub fn dossier_count(conn: &mut DbConnection, commune_id: i64) -> QueryResult<i64> {
    dossiers::table.filter(dossiers::commune_id.eq(commune_id)).count().get_result(conn)
}
