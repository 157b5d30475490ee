//! Every query of the dossiers: numbering and intake, events, views, the register, lookups.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{counter_records, dossier_counters, dossier_events, dossiers, procedures, public_lookups};
use crate::db::stmt::{Bind, Sql};
use crate::db::{DbConnection, fold_search, like_pattern, write_tx};
use crate::http::Paging;
use crate::onestop::model::*;
use crate::onestop::rollups::model::RollupInput;
use crate::onestop::rollups::repo as rollups;

/// Orders this process's SQLite intake transactions first come, first served (see
/// [`insert_numbered_dossier`]). Fair: an unlock hands the lock to the longest waiter, where a
/// plain mutex lets a newcomer barge in ahead of woken waiters, and a few unlucky intakes then
/// wait many turns.
static SQLITE_INTAKE: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

/// Why a dossier could not be numbered and stored.
#[derive(Debug)]
pub enum NumberingError<E> {
    /// The unit's numbers for the day (1–9999) are used up.
    Exhausted,
    /// The database, or the caller's `then`, failed; nothing was stored.
    Failed(E),
}

impl<E: From<diesel::result::Error>> From<diesel::result::Error> for NumberingError<E> {
    fn from(e: diesel::result::Error) -> Self {
        NumberingError::Failed(E::from(e))
    }
}

/// Stores a received dossier under the next free number of its unit's day
/// (`{unit_code}-{yymmdd}-{nnnn}`) with its first event (`event.dossier_id` is ignored), and
/// runs `then` (the audit entry) in the same write transaction. Nothing is stored unless all of
/// it is.
///
/// The engine mechanics stay here:
/// - SQLite has one writer at a time: this process's intakes queue on a fair mutex rather than
///   on SQLite's busy handler, whose growing sleeps (up to 100 ms each) make the latency tail.
///   Correctness does not depend on it: the counter row is updated in the transaction.
/// - PostgreSQL takes the number before the transaction ([`allocate_counter_pg`]), so the
///   counter row is not held through the commit's disk flush, and writes the dossier and its
///   event in one statement.
///
/// Codes are unique within a commune, so another commune's dossiers never take a number. A
/// number this commune's own import already holds is skipped.
pub fn insert_numbered_dossier<E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    new: &NewDossier,
    event: &NewEvent,
    unit_code: &str,
    day: NaiveDate,
    then: impl FnOnce(&mut DbConnection, &DossierRow) -> Result<(), E>,
) -> Result<DossierRow, NumberingError<E>> {
    let _queue = matches!(conn, DbConnection::Sqlite(_)).then(|| SQLITE_INTAKE.lock());
    let early_number = match conn {
        DbConnection::Postgresql(pg) => Some(allocate_counter_pg(pg, new.unit_id, day)?),
        DbConnection::Sqlite(_) => None,
    };
    write_tx(conn, |conn| {
        let mut n = match early_number {
            Some(n) => n,
            None => next_counter(conn, new.unit_id, day)?,
        };
        let row = loop {
            if n > 9999 {
                return Err(NumberingError::Exhausted);
            }
            let code = format!("{}-{:02}{:02}{:02}-{:04}", unit_code, day.year() % 100, day.month(), day.day(), n);
            let attempt = NewDossier { code, ..new.clone() };
            let inserted = match conn {
                DbConnection::Postgresql(pg) => insert_dossier_with_event_pg(pg, &attempt, event)?,
                DbConnection::Sqlite(_) => match insert_dossier_unless_taken(conn, &attempt)? {
                    Some(row) => {
                        insert_event(conn, &NewEvent { dossier_id: row.id, ..event.clone() })?;
                        Some(row)
                    }
                    None => None,
                },
            };
            match inserted {
                Some(row) => break row,
                None => n = next_counter(conn, new.unit_id, day)?,
            }
        };
        then(conn, &row).map_err(NumberingError::Failed)?;
        // Last before the commit: the roll-up rows of a busy (procedure, day) are shared by
        // concurrent intakes, so their row locks are held for as short a time as possible.
        rollups::apply(conn, None, Some(&RollupInput::from(&row)))?;
        Ok(row)
    })
}

/// Next number of a unit's daily counter, in the caller's write transaction. The upsert is
/// atomic on both engines, so concurrent intakes never share a number.
pub fn next_counter(conn: &mut DbConnection, unit_id: i64, day: NaiveDate) -> QueryResult<i32> {
    crate::on_backend!(conn, c => {
        diesel::insert_into(dossier_counters::table)
            .values((dossier_counters::unit_id.eq(unit_id), dossier_counters::day.eq(day), dossier_counters::last_value.eq(1)))
            .on_conflict((dossier_counters::unit_id, dossier_counters::day))
            .do_update()
            .set(dossier_counters::last_value.eq(dossier_counters::last_value + 1))
            .returning(dossier_counters::last_value)
            .get_result(c)
    })
}

/// Next number of a unit's daily counter in a short transaction of its own, committed without
/// waiting for the disk (PostgreSQL only). The counter row is then locked for a fraction of a
/// millisecond instead of until the intake commits, so concurrent intakes do not queue on it.
/// Safe: the intake that uses the number commits synchronously later, and flushing its commit
/// record flushes this earlier one too, so a number in a durable dossier is never handed out
/// again after a crash. A failed intake leaves a gap in the day's numbers, never a duplicate.
pub fn allocate_counter_pg(conn: &mut diesel::PgConnection, unit_id: i64, day: NaiveDate) -> QueryResult<i32> {
    #[derive(QueryableByName)]
    struct Counter {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        last_value: i32,
    }
    // One statement, so one round trip: it is its own transaction, and `set_config(…, true)`
    // lasts until that transaction ends; PostgreSQL reads `synchronous_commit` at the commit.
    let n: Counter = Sql::new(
        "INSERT INTO dossier_counters (unit_id, day, last_value) \
         SELECT ?, ?, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit \
         ON CONFLICT (unit_id, day) DO UPDATE SET last_value = dossier_counters.last_value + 1 \
         RETURNING last_value",
        vec![Bind::I64(unit_id), Bind::Date(day)],
    )
    .get_result(conn)?;
    Ok(n.last_value)
}

/// Inserts the dossier unless the commune already holds its code (an imported dossier): `None`
/// then, and the transaction goes on.
pub fn insert_dossier_unless_taken(conn: &mut DbConnection, new: &NewDossier) -> QueryResult<Option<DossierRow>> {
    crate::on_backend!(conn, c => diesel::insert_into(dossiers::table)
        .values(new)
        .on_conflict((dossiers::commune_id, dossiers::code))
        .do_nothing()
        .returning(DossierRow::as_returning())
        .get_result(c)
        .optional())
}

/// [`insert_dossier_unless_taken`] and the dossier's first event (`event.dossier_id` is
/// ignored) in one statement, one round trip (PostgreSQL only). `None`: the code is taken and
/// neither row was written.
pub fn insert_dossier_with_event_pg(
    conn: &mut diesel::PgConnection,
    d: &NewDossier,
    e: &NewEvent,
) -> QueryResult<Option<DossierRow>> {
    let v = &d.values;
    Sql::new(
        "WITH d AS (INSERT INTO dossiers (commune_id, unit_id, code, procedure_id, channel, status, \
         applicant_name, applicant_search, applicant_phone, phone_digits, applicant_id_number, \
         applicant_address, received_at, appointed_at, deadline_at, due_at, paused_since, finished_at, \
         returned_at, supplement_requests, extended, timeliness, paid_online, digitised, \
         electronic_result, processing_minutes, from_data_store, apology_by, created_by, created_at, \
         updated_at, limit_amount, limit_unit, cutoff_minutes) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (commune_id, code) DO NOTHING RETURNING *), \
         e AS (INSERT INTO dossier_events (dossier_id, action, from_status, to_status, at, user_id, \
         user_name, unit_id, unit_name, note, new_due_at) \
         SELECT d.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM d) \
         SELECT * FROM d",
        vec![
            Bind::I64(d.commune_id),
            Bind::I64(d.unit_id),
            Bind::Text(&d.code),
            Bind::I64(v.procedure_id),
            Bind::I32(v.channel),
            Bind::I32(v.status),
            Bind::Text(&v.applicant_name),
            Bind::Text(&v.applicant_search),
            Bind::Text(&v.applicant_phone),
            Bind::Text(&v.phone_digits),
            Bind::Text(&v.applicant_id_number),
            Bind::Text(&v.applicant_address),
            Bind::Time(v.received_at),
            Bind::Time(v.appointed_at),
            Bind::Time(v.deadline_at),
            Bind::Time(v.due_at),
            Bind::OptTime(v.paused_since),
            Bind::OptTime(v.finished_at),
            Bind::OptTime(v.returned_at),
            Bind::I32(v.supplement_requests),
            Bind::Bool(v.extended),
            Bind::OptText(v.timeliness.as_deref()),
            Bind::Bool(v.paid_online),
            Bind::Bool(v.digitised),
            Bind::Bool(v.electronic_result),
            Bind::OptI32(v.processing_minutes),
            Bind::Bool(v.from_data_store),
            Bind::OptTime(v.apology_by),
            Bind::OptI64(d.created_by),
            Bind::Time(d.created_at),
            Bind::Time(d.updated_at),
            Bind::OptI32(d.limit_amount),
            Bind::OptText(d.limit_unit.as_deref()),
            Bind::OptI32(d.cutoff_minutes),
            Bind::Text(&e.action),
            Bind::OptI32(e.from_status),
            Bind::I32(e.to_status),
            Bind::Time(e.at),
            Bind::OptI64(e.user_id),
            Bind::Text(&e.user_name),
            Bind::OptI64(e.unit_id),
            Bind::OptText(e.unit_name.as_deref()),
            Bind::OptText(e.note.as_deref()),
            Bind::OptTime(e.new_due_at),
        ],
    )
    .get_result(conn)
    .optional()
}

pub fn insert_dossier(conn: &mut DbConnection, new: &NewDossier) -> QueryResult<DossierRow> {
    let row: DossierRow = crate::on_backend!(conn, c => diesel::insert_into(dossiers::table)
        .values(new)
        .returning(DossierRow::as_returning())
        .get_result(c))?;
    rollups::apply(conn, None, Some(&RollupInput::from(&row)))?;
    Ok(row)
}

pub fn insert_event(conn: &mut DbConnection, e: &NewEvent) -> QueryResult<()> {
    diesel::insert_into(dossier_events::table).values(e).execute(conn).map(|_| ())
}

pub fn events(conn: &mut DbConnection, dossier_id: i64) -> QueryResult<Vec<EventRow>> {
    dossier_events::table
        .filter(dossier_events::dossier_id.eq(dossier_id))
        .order(dossier_events::id)
        .select(EventRow::as_select())
        .load(conn)
}

/// A dossier of this commune with its procedure; others are `NotFound`.
pub fn get_dossier(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<(DossierRow, ProcedureRow)> {
    dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::id.eq(id))
        .filter(dossiers::commune_id.eq(commune_id))
        .select((DossierRow::as_select(), ProcedureRow::as_select()))
        .first(conn)
}

/// Stores a dossier's replayed columns and moves its contribution to the roll-ups.
pub fn update_derived(conn: &mut DbConnection, id: i64, d: &DerivedChanges) -> QueryResult<DossierRow> {
    let old = rollups::input(conn, id)?;
    let row: DossierRow = crate::on_backend!(conn, c => diesel::update(dossiers::table.find(id))
        .set(d)
        .returning(DossierRow::as_returning())
        .get_result(c))?;
    rollups::apply(conn, old.as_ref(), Some(&RollupInput::from(&row)))?;
    Ok(row)
}

pub fn update_flags(
    conn: &mut DbConnection,
    id: i64,
    flags: (bool, bool, bool, bool),
    now: NaiveDateTime,
) -> QueryResult<()> {
    let old = rollups::input(conn, id)?;
    diesel::update(dossiers::table.find(id))
        .set((
            dossiers::paid_online.eq(flags.0),
            dossiers::digitised.eq(flags.1),
            dossiers::electronic_result.eq(flags.2),
            dossiers::from_data_store.eq(flags.3),
            dossiers::updated_at.eq(now),
        ))
        .execute(conn)?;
    let new = rollups::input(conn, id)?;
    rollups::apply(conn, old.as_ref(), new.as_ref())
}

/// Everything a list query needs besides the filter struct.
pub struct ListScope {
    pub commune_id: i64,
    pub now: NaiveDateTime,
    /// Personal data may be searched (name, phone).
    pub personal: bool,
    /// UTC bounds of the received range.
    pub received_from: Option<NaiveDateTime>,
    pub received_to: Option<NaiveDateTime>,
    /// UTC bounds of the range in which processing ended.
    pub finished_from: Option<NaiveDateTime>,
    pub finished_to: Option<NaiveDateTime>,
    /// Open at this UTC instant: received before it and not ended before it.
    pub open_at: Option<NaiveDateTime>,
    /// UTC bound of "due soon".
    pub due_soon_until: NaiveDateTime,
    /// UTC start of today (local).
    pub today_from: NaiveDateTime,
}

pub fn list_dossiers(
    conn: &mut DbConnection,
    s: &ListScope,
    f: &DossierFilter,
    paging: Paging,
) -> QueryResult<(Vec<(DossierRow, ProcedureRow)>, i64)> {
    let q = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let folded = q.map(fold_search).map(|q| like_pattern(&q));
    let code_pattern = q.map(|q| like_pattern(&q.to_uppercase()));
    let digits: String = q.map(|q| q.chars().filter(char::is_ascii_digit).collect()).unwrap_or_default();
    let phone_pattern = (digits.len() >= 3
        && q.is_some_and(|q| q.chars().all(|c| c.is_ascii_digit() || " .+-".contains(c))))
    .then(|| like_pattern(&digits));
    let filtered = || {
        let mut b =
            dossiers::table.inner_join(procedures::table).filter(dossiers::commune_id.eq(s.commune_id)).into_boxed();
        if let Some(st) = f.status {
            b = b.filter(dossiers::status.eq(st));
        }
        if let Some(p) = f.procedure_id {
            b = b.filter(dossiers::procedure_id.eq(p));
        }
        if let Some(ch) = f.channel {
            b = b.filter(dossiers::channel.eq(ch));
        }
        if let Some(from) = s.received_from {
            b = b.filter(dossiers::received_at.ge(from));
        }
        if let Some(to) = s.received_to {
            b = b.filter(dossiers::received_at.lt(to));
        }
        if let Some(from) = s.finished_from {
            b = b.filter(dossiers::finished_at.ge(from));
        }
        if let Some(to) = s.finished_to {
            b = b.filter(dossiers::finished_at.lt(to));
        }
        if let Some(at) = s.open_at {
            b = b
                .filter(dossiers::received_at.lt(at))
                .filter(dossiers::status.ne(super::lifecycle::SUBMITTED))
                .filter(dossiers::finished_at.is_null().or(dossiers::finished_at.ge(at)));
        }
        let open = dossiers::finished_at.is_null();
        // Open dossiers are judged at `open_at` when given (as the indicators judge them at the
        // end of a period), else now. One still open is overdue past its deadline, or, while
        // paused, if it was past it when the pause began; one that ended after the cut was
        // overdue at the cut if its deadline had passed. A second supplement request is late.
        let cut = s.open_at.unwrap_or(s.now);
        let overdue_open = dossiers::supplement_requests
            .ge(2)
            .or(dossiers::paused_since.is_null().and(dossiers::deadline_at.lt(cut)))
            .or(dossiers::paused_since.is_not_null().and(dossiers::deadline_at.nullable().lt(dossiers::paused_since)));
        let overdue_at_cut = open.and(overdue_open).or(dossiers::finished_at
            .is_not_null()
            .and(dossiers::finished_at.ge(cut))
            .and(dossiers::supplement_requests.ge(2).or(dossiers::deadline_at.lt(cut))));
        match f.timeliness {
            Some(Timeliness::OpenOverdue) if s.open_at.is_some() => b = b.filter(overdue_at_cut),
            Some(Timeliness::OpenNotDue) if s.open_at.is_some() => {
                b = b.filter(diesel::dsl::not(overdue_at_cut.assume_not_null()))
            }
            Some(Timeliness::OpenOverdue) => b = b.filter(open).filter(overdue_open),
            Some(Timeliness::OpenNotDue) => b = b.filter(open).filter(diesel::dsl::not(overdue_open)),
            Some(t) => b = b.filter(dossiers::timeliness.eq(t.as_str())),
            None => {}
        }
        match f.view {
            Some(DossierView::Today) => b = b.filter(dossiers::received_at.ge(s.today_from)),
            // The dashboard's "đang giải quyết, quá hạn": past the legal deadline (an apology's
            // new date does not undo it), or asked for a second supplement.
            Some(DossierView::Overdue) => b = b.filter(open).filter(overdue_open),
            Some(DossierView::DueSoon) => {
                b = b
                    .filter(open)
                    .filter(dossiers::paused_since.is_null())
                    .filter(dossiers::due_at.ge(s.now))
                    .filter(dossiers::due_at.le(s.due_soon_until))
            }
            Some(DossierView::DueToday) => {
                b = b
                    .filter(open)
                    .filter(dossiers::paused_since.is_null())
                    .filter(dossiers::due_at.ge(s.now))
                    .filter(dossiers::due_at.lt(s.today_from + chrono::Duration::days(1)))
            }
            Some(DossierView::ApologyDue) => {
                b = b
                    .filter(open)
                    .filter(dossiers::paused_since.is_null())
                    .filter(dossiers::apology_timely.is_null())
                    .filter(dossiers::apology_by.le(s.now))
            }
            None => {}
        }
        if let Some(code) = &code_pattern {
            let by_code = dossiers::code.like(code.clone()).escape('\\');
            b = match (s.personal, &folded, &phone_pattern) {
                (true, Some(name), Some(phone)) => b.filter(
                    by_code
                        .or(dossiers::applicant_search.like(name.clone()).escape('\\'))
                        .or(dossiers::phone_digits.like(phone.clone()).escape('\\')),
                ),
                (true, Some(name), None) => {
                    b.filter(by_code.or(dossiers::applicant_search.like(name.clone()).escape('\\')))
                }
                _ => b.filter(by_code),
            };
        }
        b
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (dossiers::received_at.desc(), dossiers::id.desc()),
        select = (DossierRow::as_select(), ProcedureRow::as_select())
    ))
}

/// The dossiers holding a public code (codes are unique within a commune, so two communes
/// may hold the same one), with their procedures' names; at most a few.
pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Vec<(DossierRow, String)>> {
    dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::code.eq(code))
        .select((DossierRow::as_select(), procedures::name))
        .limit(8)
        .load(conn)
}

/// Public lookups from an address since a time.
pub fn count_lookups(conn: &mut DbConnection, ip: &str, since: NaiveDateTime) -> QueryResult<i64> {
    public_lookups::table
        .filter(public_lookups::ip.eq(ip))
        .filter(public_lookups::at.ge(since))
        .count()
        .get_result(conn)
}

/// Records a lookup and forgets those older than `forget_before`.
pub fn record_lookup(
    conn: &mut DbConnection,
    ip: &str,
    at: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(public_lookups::table.filter(public_lookups::at.lt(forget_before))).execute(conn)?;
    diesel::insert_into(public_lookups::table)
        .values((public_lookups::ip.eq(ip), public_lookups::at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// Dossiers of a commune received in `[start, end)` with their procedures, oldest first, at
/// most `limit`.
pub fn received_between(
    conn: &mut DbConnection,
    commune_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(DossierRow, ProcedureRow)>> {
    dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::commune_id.eq(commune_id))
        .filter(dossiers::received_at.ge(start))
        .filter(dossiers::received_at.lt(end))
        .order((dossiers::received_at, dossiers::id))
        .limit(limit)
        .select((DossierRow::as_select(), ProcedureRow::as_select()))
        .load(conn)
}

/// One dossier row by id.
pub fn dossier_row(conn: &mut DbConnection, id: i64) -> QueryResult<DossierRow> {
    dossiers::table.find(id).select(DossierRow::as_select()).first(conn)
}

/// Open dossiers received here (not imported) in `[start, end)`, of some communes or of all.
pub fn open_local_dossiers_received_between(
    conn: &mut DbConnection,
    communes: Option<&[i64]>,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut q = dossiers::table
        .filter(dossiers::finished_at.is_null())
        .filter(dossiers::received_at.ge(start))
        .filter(dossiers::received_at.lt(end))
        .filter(dossiers::limit_amount.is_not_null())
        .select(dossiers::id)
        .into_boxed();
    if let Some(c) = communes {
        q = q.filter(dossiers::commune_id.eq_any(c));
    }
    q.order(dossiers::id).load(conn)
}

/// Stores a counter guidance or refusal.
pub fn insert_counter_record(conn: &mut DbConnection, new: &NewCounterRecord) -> QueryResult<CounterRow> {
    diesel::insert_into(counter_records::table).values(new).returning(counter_records::all_columns).get_result(conn)
}

/// One counter record of a commune, with its procedure.
pub fn counter_record(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<(CounterRow, ProcedureRow)> {
    counter_records::table
        .inner_join(procedures::table)
        .filter(counter_records::commune_id.eq(commune_id))
        .filter(counter_records::id.eq(id))
        .select((CounterRow::as_select(), ProcedureRow::as_select()))
        .first(conn)
}

/// Counter records of a commune in `[start, end)`, newest first, one page, and the total.
pub fn counter_records(
    conn: &mut DbConnection,
    commune_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
    kind: Option<&str>,
    paging: Paging,
) -> QueryResult<(Vec<(CounterRow, ProcedureRow)>, i64)> {
    let filtered = || {
        let mut q = counter_records::table
            .inner_join(procedures::table)
            .filter(counter_records::commune_id.eq(commune_id))
            .filter(counter_records::at.ge(start))
            .filter(counter_records::at.lt(end))
            .into_boxed();
        if let Some(k) = kind {
            q = q.filter(counter_records::kind.eq(k.to_string()));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (counter_records::at.desc(), counter_records::id.desc()),
        select = (CounterRow::as_select(), ProcedureRow::as_select())
    ))
}
