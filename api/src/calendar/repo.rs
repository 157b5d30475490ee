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
