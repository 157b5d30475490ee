//! All SQL of the scheduler: leases and runs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{scheduler_leases, scheduler_runs};

/// Takes the job's lease until `until` unless another holder has it now. One statement each
/// (an INSERT that does nothing on conflict, then an UPDATE guarded by the expiry), so two
/// instances racing for it cannot both win. `true`: this holder has it.
pub fn claim_lease(
    conn: &mut DbConnection,
    job: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = crate::on_backend!(conn, c => diesel::insert_into(scheduler_leases::table)
        .values((
            scheduler_leases::job.eq(job),
            scheduler_leases::holder.eq(holder),
            scheduler_leases::lease_until.eq(until),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(true);
    }
    let updated = diesel::update(
        scheduler_leases::table
            .filter(scheduler_leases::job.eq(job))
            .filter(scheduler_leases::lease_until.lt(now).or(scheduler_leases::holder.eq(holder))),
    )
    .set((scheduler_leases::holder.eq(holder), scheduler_leases::lease_until.eq(until)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Gives the lease back (only the holder can).
pub fn release_lease(conn: &mut DbConnection, job: &str, holder: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        scheduler_leases::table.filter(scheduler_leases::job.eq(job)).filter(scheduler_leases::holder.eq(holder)),
    )
    .set(scheduler_leases::lease_until.eq(now))
    .execute(conn)
}

/// (holder, until) of a job's lease.
pub fn lease(conn: &mut DbConnection, job: &str) -> QueryResult<Option<(String, NaiveDateTime)>> {
    scheduler_leases::table
        .filter(scheduler_leases::job.eq(job))
        .select((scheduler_leases::holder, scheduler_leases::lease_until))
        .first(conn)
        .optional()
}

/// The runs of a job for a slot.
pub fn runs_of_slot(conn: &mut DbConnection, job: &str, slot: NaiveDateTime) -> QueryResult<Vec<RunRow>> {
    scheduler_runs::table
        .filter(scheduler_runs::job.eq(job))
        .filter(scheduler_runs::slot.eq(slot))
        .select(RunRow::as_select())
        .load(conn)
}

pub fn insert_run(conn: &mut DbConnection, new: &NewRun) -> QueryResult<RunRow> {
    diesel::insert_into(scheduler_runs::table).values(new).returning(scheduler_runs::all_columns).get_result(conn)
}

pub fn finish_run(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
    ok: bool,
    error: Option<&str>,
    summary: &str,
) -> QueryResult<usize> {
    diesel::update(scheduler_runs::table.find(id))
        .set((
            scheduler_runs::finished_at.eq(now),
            scheduler_runs::ok.eq(ok),
            scheduler_runs::error.eq(error),
            scheduler_runs::summary.eq(summary),
        ))
        .execute(conn)
}

pub fn last_run(conn: &mut DbConnection, job: &str) -> QueryResult<Option<RunRow>> {
    scheduler_runs::table
        .filter(scheduler_runs::job.eq(job))
        .order((scheduler_runs::started_at.desc(), scheduler_runs::id.desc()))
        .select(RunRow::as_select())
        .first(conn)
        .optional()
}

pub fn last_success(conn: &mut DbConnection, job: &str) -> QueryResult<Option<NaiveDateTime>> {
    scheduler_runs::table
        .filter(scheduler_runs::job.eq(job))
        .filter(scheduler_runs::ok.eq(true))
        .select(diesel::dsl::max(scheduler_runs::finished_at))
        .first(conn)
}

pub fn failures_since(conn: &mut DbConnection, job: &str, since: NaiveDateTime) -> QueryResult<i64> {
    scheduler_runs::table
        .filter(scheduler_runs::job.eq(job))
        .filter(scheduler_runs::ok.eq(false))
        .filter(scheduler_runs::started_at.ge(since))
        .count()
        .get_result(conn)
}

pub fn recent_runs(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<RunRow>> {
    scheduler_runs::table
        .order((scheduler_runs::started_at.desc(), scheduler_runs::id.desc()))
        .limit(limit)
        .select(RunRow::as_select())
        .load(conn)
}

/// How many runs a job has (tests).
pub fn count_runs(conn: &mut DbConnection, job: &str) -> QueryResult<i64> {
    scheduler_runs::table.filter(scheduler_runs::job.eq(job)).count().get_result(conn)
}
