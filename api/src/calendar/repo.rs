//! All SQL of the calendar.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{calendar_hours, calendar_overrides};

/// National overrides (`commune = None`) or one commune's, within `[from, to]`.
pub fn overrides(
    conn: &mut DbConnection,
    commune: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<OverrideRow>> {
    let mut q = calendar_overrides::table
        .filter(calendar_overrides::day.ge(from))
        .filter(calendar_overrides::day.le(to))
        .into_boxed();
    q = match commune {
        Some(c) => q.filter(calendar_overrides::commune_id.eq(c)),
        None => q.filter(calendar_overrides::commune_id.is_null()),
    };
    q.order(calendar_overrides::day).select(OverrideRow::as_select()).load(conn)
}

/// One row of what a commune's working calendar is built from: an override (national or the
/// commune's) or an entry of its working hours.
#[derive(Debug, Queryable)]
pub struct InputRow {
    pub is_hours: bool,
    pub national: bool,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub minutes: (i32, i32, i32, i32),
}

/// The national overrides and the commune's within `[from, to]`, and every entry of the
/// commune's working hours, in one statement (in no particular order).
pub fn calendar_inputs(
    conn: &mut DbConnection,
    commune: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<InputRow>> {
    use diesel::sql_types::{Bool, Integer, Text};
    let zero = || 0.into_sql::<Integer>();
    let overrides = calendar_overrides::table
        .filter(calendar_overrides::day.ge(from))
        .filter(calendar_overrides::day.le(to))
        .filter(calendar_overrides::commune_id.is_null().or(calendar_overrides::commune_id.eq(commune)))
        .select((
            false.into_sql::<Bool>(),
            calendar_overrides::commune_id.is_null(),
            calendar_overrides::day,
            calendar_overrides::kind,
            calendar_overrides::name,
            (zero(), zero(), zero(), zero()),
        ));
    let hours = calendar_hours::table.filter(calendar_hours::commune_id.eq(commune)).select((
        true.into_sql::<Bool>(),
        false.into_sql::<Bool>(),
        calendar_hours::effective_from,
        "".into_sql::<Text>(),
        "".into_sql::<Text>(),
        (
            calendar_hours::morning_start,
            calendar_hours::morning_end,
            calendar_hours::afternoon_start,
            calendar_hours::afternoon_end,
        ),
    ));
    // UNION ALL is not in diesel's multi-backend layer: run it on the engine's own connection.
    crate::on_backend!(conn, c => overrides.union_all(hours).load(c))
}

pub fn find_override(conn: &mut DbConnection, commune: i64, day: NaiveDate) -> QueryResult<Option<OverrideRow>> {
    calendar_overrides::table
        .filter(calendar_overrides::commune_id.eq(commune))
        .filter(calendar_overrides::day.eq(day))
        .select(OverrideRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_override(
    conn: &mut DbConnection,
    commune: i64,
    day: NaiveDate,
    kind: &str,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(calendar_overrides::table)
        .values((
            calendar_overrides::commune_id.eq(commune),
            calendar_overrides::day.eq(day),
            calendar_overrides::kind.eq(kind),
            calendar_overrides::name.eq(name),
            calendar_overrides::created_at.eq(now),
            calendar_overrides::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn update_override(
    conn: &mut DbConnection,
    id: i64,
    kind: &str,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(calendar_overrides::table.find(id))
        .set((
            calendar_overrides::kind.eq(kind),
            calendar_overrides::name.eq(name),
            calendar_overrides::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete_override(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(calendar_overrides::table.find(id)).execute(conn).map(|_| ())
}

/// The commune's working-hours entries by effective date.
pub fn hours(conn: &mut DbConnection, commune: i64) -> QueryResult<Vec<HoursRow>> {
    calendar_hours::table
        .filter(calendar_hours::commune_id.eq(commune))
        .order(calendar_hours::effective_from)
        .select(HoursRow::as_select())
        .load(conn)
}

/// Inserts or replaces the entry of one effective date.
pub fn put_hours(
    conn: &mut DbConnection,
    commune: i64,
    from: NaiveDate,
    m: [i32; 4],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        calendar_hours::table
            .filter(calendar_hours::commune_id.eq(commune))
            .filter(calendar_hours::effective_from.eq(from)),
    )
    .execute(conn)?;
    diesel::insert_into(calendar_hours::table)
        .values((
            calendar_hours::commune_id.eq(commune),
            calendar_hours::effective_from.eq(from),
            calendar_hours::morning_start.eq(m[0]),
            calendar_hours::morning_end.eq(m[1]),
            calendar_hours::afternoon_start.eq(m[2]),
            calendar_hours::afternoon_end.eq(m[3]),
            calendar_hours::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The working-hours rows of the communes in force on `day` or earlier, by commune then date
/// (so the last row of each commune is the one in force).
pub fn hours_in_force(conn: &mut DbConnection, communes: &[i64], day: NaiveDate) -> QueryResult<Vec<HoursRow>> {
    calendar_hours::table
        .filter(calendar_hours::commune_id.eq_any(communes))
        .filter(calendar_hours::effective_from.le(day))
        .order((calendar_hours::commune_id, calendar_hours::effective_from))
        .select(HoursRow::as_select())
        .load(conn)
}
