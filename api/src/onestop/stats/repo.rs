//! Every query of the one-stop statistics. Each reads the dossiers of a set of communes,
//! grouped by (commune, procedure); the folding into indicators happens in `indicators`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::{counter_records, dossiers, index766_params, onestop_targets};
use crate::onestop::dossiers::lifecycle::{RESOLVED, RETURNED};

/// (commune, procedure, received, online, postal, paid online, digitised, from the data store).
pub type ReceivedRow = (i64, i64, i64, i64, i64, i64, i64, i64);
/// (commune, procedure, status, early, on time, late, resolved, with an electronic result,
/// late without a timely apology).
pub type EndedRow = (i64, i64, i32, i64, i64, i64, i64, i64, i64);
/// (commune, procedure, counter guidance, counter refusals).
pub type CounterRow = (i64, i64, i64, i64);
/// (commune, procedure, working minutes, how many).
pub type MinutesRow = (i64, i64, Option<i32>, i64);
/// (commune, procedure, open, overdue).
pub type OpenRow = (i64, i64, i64, i64);
/// (code, effective from, name in Vietnamese, in English, max score, parameters as JSON text).
pub type ParamRow = (String, NaiveDate, String, String, f64, String);
/// (year, online share, full share, note).
pub type TargetRow = (i32, f64, Option<f64>, Option<String>);

fn sum_case(cond: &str) -> String {
    format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
}

/// Received in `[start, end)`, per (commune, procedure): count, online, postal, paid online,
/// digitised, from the national data store. Dossiers in a `left_out` status (never received:
/// submitted, not received) are not counted anywhere.
pub fn received(
    conn: &mut DbConnection,
    communes: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
    left_out: &[i32],
) -> QueryResult<Vec<ReceivedRow>> {
    dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::received_at.ge(start))
        .filter(dossiers::received_at.lt(end))
        .filter(dossiers::status.ne_all(left_out))
        .group_by((dossiers::commune_id, dossiers::procedure_id))
        .select((
            dossiers::commune_id,
            dossiers::procedure_id,
            count_star(),
            sql::<BigInt>(&sum_case("channel = 2")),
            sql::<BigInt>(&sum_case("channel = 3")),
            sql::<BigInt>(&sum_case("paid_online")),
            sql::<BigInt>(&sum_case("digitised")),
            sql::<BigInt>(&sum_case("from_data_store")),
        ))
        .load(conn)
}

/// Ended in `[start, end)`, per (commune, procedure, status): early, on time, late, resolved,
/// with an electronic result, late without a timely apology.
pub fn ended(
    conn: &mut DbConnection,
    communes: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
    left_out: &[i32],
) -> QueryResult<Vec<EndedRow>> {
    dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::finished_at.ge(start))
        .filter(dossiers::finished_at.lt(end))
        .filter(dossiers::status.ne_all(left_out))
        .group_by((dossiers::commune_id, dossiers::procedure_id, dossiers::status))
        .select((
            dossiers::commune_id,
            dossiers::procedure_id,
            dossiers::status,
            sql::<BigInt>(&sum_case("timeliness = 'early'")),
            sql::<BigInt>(&sum_case("timeliness = 'on_time'")),
            sql::<BigInt>(&sum_case("timeliness = 'late'")),
            sql::<BigInt>(&sum_case(&format!("status IN ({RESOLVED}, {RETURNED})"))),
            sql::<BigInt>(&sum_case(&format!("status IN ({RESOLVED}, {RETURNED}) AND electronic_result"))),
            sql::<BigInt>(&sum_case("timeliness = 'late' AND (apology_timely IS NULL OR NOT apology_timely)")),
        ))
        .load(conn)
}

/// Counter guidance and counter refusals recorded in `[start, end)`, per (commune, procedure).
pub fn counter_counts(
    conn: &mut DbConnection,
    communes: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<CounterRow>> {
    counter_records::table
        .filter(counter_records::commune_id.eq_any(communes))
        .filter(counter_records::at.ge(start))
        .filter(counter_records::at.lt(end))
        .group_by((counter_records::commune_id, counter_records::procedure_id))
        .select((
            counter_records::commune_id,
            counter_records::procedure_id,
            sql::<BigInt>(&sum_case("kind = 'guidance'")),
            sql::<BigInt>(&sum_case("kind = 'refusal'")),
        ))
        .load(conn)
}

/// Resolved in `[start, end)`, per (commune, procedure, working minutes): how many.
pub fn processing_minutes(
    conn: &mut DbConnection,
    communes: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<MinutesRow>> {
    dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::finished_at.ge(start))
        .filter(dossiers::finished_at.lt(end))
        .filter(dossiers::status.eq_any([RESOLVED, RETURNED]))
        .filter(dossiers::processing_minutes.is_not_null())
        .group_by((dossiers::commune_id, dossiers::procedure_id, dossiers::processing_minutes))
        .select((dossiers::commune_id, dossiers::procedure_id, dossiers::processing_minutes, count_star()))
        .load(conn)
}

/// Returned in `[start, end)`, per (commune, procedure): how many.
pub fn returned(
    conn: &mut DbConnection,
    communes: &[i64],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::returned_at.ge(start))
        .filter(dossiers::returned_at.lt(end))
        .group_by((dossiers::commune_id, dossiers::procedure_id))
        .select((dossiers::commune_id, dossiers::procedure_id, count_star()))
        .load(conn)
}

/// Open at `cut`, per (commune, procedure): count and overdue as the dossier list counts them at
/// the cut. Two queries, never ended and ended after the cut, so each uses the
/// (commune_id, finished_at) index.
pub fn open_at(
    conn: &mut DbConnection,
    communes: &[i64],
    cut: NaiveDateTime,
    left_out: &[i32],
) -> QueryResult<(Vec<OpenRow>, Vec<OpenRow>)> {
    let overdue = || {
        sql::<BigInt>("COALESCE(SUM(CASE WHEN supplement_requests >= 2 OR (paused_since IS NULL AND deadline_at < ")
            .bind::<Timestamp, _>(cut)
            .sql(") OR (paused_since IS NOT NULL AND deadline_at < paused_since) THEN 1 ELSE 0 END), 0)")
    };
    let still_open: Vec<OpenRow> = dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::finished_at.is_null())
        .filter(dossiers::received_at.lt(cut))
        .filter(dossiers::status.ne_all(left_out))
        .group_by((dossiers::commune_id, dossiers::procedure_id))
        .select((dossiers::commune_id, dossiers::procedure_id, count_star(), overdue()))
        .load(conn)?;
    let ended_later: Vec<OpenRow> = dossiers::table
        .filter(dossiers::commune_id.eq_any(communes))
        .filter(dossiers::finished_at.ge(cut))
        .filter(dossiers::received_at.lt(cut))
        .filter(dossiers::status.ne_all(left_out))
        .group_by((dossiers::commune_id, dossiers::procedure_id))
        .select((
            dossiers::commune_id,
            dossiers::procedure_id,
            count_star(),
            sql::<BigInt>("COALESCE(SUM(CASE WHEN supplement_requests >= 2 OR deadline_at < ")
                .bind::<Timestamp, _>(cut)
                .sql(" THEN 1 ELSE 0 END), 0)"),
        ))
        .load(conn)?;
    Ok((still_open, ended_later))
}

/// Every row of the 766 parameters in force on `day` or earlier: (code, effective from, name in
/// Vietnamese, in English, max score, parameters as JSON text), newest first within a code.
pub fn index766_params_on(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<Vec<ParamRow>> {
    index766_params::table
        .filter(index766_params::effective_from.le(day))
        .order((index766_params::code, index766_params::effective_from.desc()))
        .select((
            index766_params::code,
            index766_params::effective_from,
            index766_params::name_vi,
            index766_params::name_en,
            index766_params::max_score,
            index766_params::params,
        ))
        .load(conn)
}

/// A commune's target for a year: (year, online share, full share, note).
pub fn target(conn: &mut DbConnection, commune: i64, year: i32) -> QueryResult<Option<TargetRow>> {
    onestop_targets::table
        .filter(onestop_targets::commune_id.eq(commune))
        .filter(onestop_targets::year.eq(year))
        .select((
            onestop_targets::year,
            onestop_targets::online_share,
            onestop_targets::full_share,
            onestop_targets::note,
        ))
        .first(conn)
        .optional()
}

/// What a target sets.
pub struct TargetValues<'a> {
    pub year: i32,
    pub online_share: f64,
    pub full_share: Option<f64>,
    pub note: Option<&'a str>,
}

/// Sets a commune's target for a year (insert or replace).
pub fn upsert_target(
    conn: &mut DbConnection,
    commune: i64,
    target: &TargetValues<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let year = target.year;
    let values = (
        onestop_targets::commune_id.eq(commune),
        onestop_targets::year.eq(year),
        onestop_targets::online_share.eq(target.online_share),
        onestop_targets::full_share.eq(target.full_share),
        onestop_targets::note.eq(target.note),
        onestop_targets::updated_by.eq(Some(user_id)),
        onestop_targets::updated_at.eq(now),
    );
    let changes = (
        onestop_targets::online_share.eq(target.online_share),
        onestop_targets::full_share.eq(target.full_share),
        onestop_targets::note.eq(target.note),
        onestop_targets::updated_by.eq(Some(user_id)),
        onestop_targets::updated_at.eq(now),
    );
    crate::on_backend!(conn, c => diesel::insert_into(onestop_targets::table)
        .values(values)
        .on_conflict((onestop_targets::commune_id, onestop_targets::year))
        .do_update()
        .set(changes)
        .execute(c))
    .map(|_| ())
}
