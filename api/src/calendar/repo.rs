//! All SQL of the calendar.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{calendar_holiday_rules, calendar_hours, calendar_overrides, calendar_tet_decisions};

/// The overrides that apply in a scope within `[from, to]`: the national ones, the province's
/// (`province`) and the commune's (`commune`), by date.
pub fn overrides_in_scope(
    conn: &mut DbConnection,
    commune: Option<i64>,
    province: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<OverrideRow>> {
    use calendar_overrides::dsl as o;
    // -1 matches no row: a scope without a province or commune sees only the national level.
    let national = o::commune_id.is_null().and(o::authority_id.is_null());
    let provincial = o::commune_id.is_null().and(o::authority_id.eq(province.unwrap_or(-1)));
    let own = o::commune_id.eq(commune.unwrap_or(-1));
    calendar_overrides::table
        .filter(o::day.ge(from))
        .filter(o::day.le(to))
        .filter(national.or(provincial).or(own))
        .order((o::day, o::id))
        .select(OverrideRow::as_select())
        .load(conn)
}

/// One row of what a commune's working calendar is built from: an override (national, the
/// province's or the commune's) or an entry of its working hours.
#[derive(Debug, Queryable)]
pub struct InputRow {
    pub is_hours: bool,
    /// 0 national, 1 provincial, 2 the commune's (hours rows: 2).
    pub level: i32,
    pub day: NaiveDate,
    pub kind: String,
    pub name: String,
    pub minutes: (i32, i32, i32, i32),
}

/// The overrides that apply to a commune within `[from, to]` (national, its province's, its
/// own) and every entry of the commune's working hours, in one statement (in no particular
/// order).
pub fn calendar_inputs(
    conn: &mut DbConnection,
    commune: i64,
    province: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<InputRow>> {
    use calendar_overrides::dsl as o;
    use diesel::dsl::case_when;
    use diesel::sql_types::{Bool, Integer, Text};
    let zero = || 0.into_sql::<Integer>();
    let national = o::commune_id.is_null().and(o::authority_id.is_null());
    let provincial = o::commune_id.is_null().and(o::authority_id.eq(province.unwrap_or(-1)));
    let level = case_when(o::commune_id.is_not_null(), 2.into_sql::<Integer>())
        .when(o::authority_id.is_not_null(), 1.into_sql::<Integer>())
        .otherwise(0.into_sql::<Integer>());
    let overrides = calendar_overrides::table
        .filter(o::day.ge(from))
        .filter(o::day.le(to))
        .filter(national.or(provincial).or(o::commune_id.eq(commune)))
        .select((false.into_sql::<Bool>(), level, o::day, o::kind, o::name, (zero(), zero(), zero(), zero())));
    let hours = calendar_hours::table.filter(calendar_hours::commune_id.eq(commune)).select((
        true.into_sql::<Bool>(),
        2.into_sql::<Integer>(),
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

/// The national (`province = None`) or a province's override of one date.
pub fn find_default_override(
    conn: &mut DbConnection,
    province: Option<i64>,
    day: NaiveDate,
) -> QueryResult<Option<OverrideRow>> {
    let q = calendar_overrides::table
        .filter(calendar_overrides::commune_id.is_null())
        .filter(calendar_overrides::day.eq(day))
        .into_boxed();
    let q = match province {
        Some(p) => q.filter(calendar_overrides::authority_id.eq(p)),
        None => q.filter(calendar_overrides::authority_id.is_null()),
    };
    q.select(OverrideRow::as_select()).first(conn).optional()
}

/// Where an override belongs: a commune, a province, or (both `None`) the nation.
#[derive(Debug, Clone, Copy)]
pub struct OverrideOwner {
    pub commune: Option<i64>,
    pub authority: Option<i64>,
}

pub fn insert_override(
    conn: &mut DbConnection,
    owner: OverrideOwner,
    day: NaiveDate,
    kind: &str,
    name: &str,
    source: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(calendar_overrides::table)
        .values((
            calendar_overrides::commune_id.eq(owner.commune),
            calendar_overrides::authority_id.eq(owner.authority),
            calendar_overrides::day.eq(day),
            calendar_overrides::kind.eq(kind),
            calendar_overrides::name.eq(name),
            calendar_overrides::source.eq(source),
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
    source: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(calendar_overrides::table.find(id))
        .set((
            calendar_overrides::kind.eq(kind),
            calendar_overrides::name.eq(name),
            calendar_overrides::source.eq(source),
            calendar_overrides::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete_override(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(calendar_overrides::table.find(id)).execute(conn).map(|_| ())
}

/// Every holiday rule, in the order they were entered.
pub fn holiday_rules(conn: &mut DbConnection) -> QueryResult<Vec<HolidayRuleRow>> {
    calendar_holiday_rules::table.order(calendar_holiday_rules::id).select(HolidayRuleRow::as_select()).load(conn)
}

/// Every Tết decision, by year.
pub fn tet_decisions(conn: &mut DbConnection) -> QueryResult<Vec<TetDecisionRow>> {
    calendar_tet_decisions::table.order(calendar_tet_decisions::year).select(TetDecisionRow::as_select()).load(conn)
}

pub fn find_tet_decision(conn: &mut DbConnection, year: i32) -> QueryResult<Option<TetDecisionRow>> {
    calendar_tet_decisions::table.find(year).select(TetDecisionRow::as_select()).first(conn).optional()
}

/// Inserts or replaces the decision of a year (keeping when it was first entered).
pub fn put_tet_decision(
    conn: &mut DbConnection,
    year: i32,
    days_before: i32,
    source: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let created = find_tet_decision(conn, year)?.map(|r| r.created_at).unwrap_or(now);
    diesel::delete(calendar_tet_decisions::table.find(year)).execute(conn)?;
    diesel::insert_into(calendar_tet_decisions::table)
        .values((
            calendar_tet_decisions::year.eq(year),
            calendar_tet_decisions::days_before.eq(days_before),
            calendar_tet_decisions::source.eq(source),
            calendar_tet_decisions::created_at.eq(created),
            calendar_tet_decisions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
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
