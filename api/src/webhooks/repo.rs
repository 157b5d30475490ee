//! Every query of signed events: subscriptions, the delivery queue (claimed row by row with a
//! compare-and-set, so two instances never send one delivery twice), attempts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{
    api_keys, dossiers, petitions, procedures, tasks, webhook_attempts, webhook_deliveries, webhook_event_marks,
    webhook_subscriptions,
};
use crate::integration::model::ApiKeyRow;

pub fn insert_subscription(conn: &mut DbConnection, new: &NewSubscription) -> QueryResult<SubscriptionRow> {
    diesel::insert_into(webhook_subscriptions::table)
        .values(new)
        .returning(webhook_subscriptions::all_columns)
        .get_result(conn)
}

pub fn subscriptions_of_key(conn: &mut DbConnection, key_id: i64) -> QueryResult<Vec<SubscriptionRow>> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::api_key_id.eq(key_id))
        .order(webhook_subscriptions::id)
        .select(SubscriptionRow::as_select())
        .load(conn)
}

pub fn get_subscription(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SubscriptionRow>> {
    webhook_subscriptions::table.find(id).select(SubscriptionRow::as_select()).first(conn).optional()
}

/// Turns a subscription on (clearing its failures) or off.
pub fn set_active(conn: &mut DbConnection, id: i64, active: bool, now: NaiveDateTime) -> QueryResult<SubscriptionRow> {
    diesel::update(webhook_subscriptions::table.find(id))
        .set((
            webhook_subscriptions::active.eq(active),
            webhook_subscriptions::consecutive_failures.eq(0),
            webhook_subscriptions::disabled_at.eq(None::<NaiveDateTime>),
            webhook_subscriptions::disabled_reason.eq(None::<String>),
            webhook_subscriptions::updated_at.eq(now),
        ))
        .returning(webhook_subscriptions::all_columns)
        .get_result(conn)
}

/// Active subscriptions whose key is neither revoked nor expired, with their keys.
pub fn live_subscriptions(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(SubscriptionRow, ApiKeyRow)>> {
    webhook_subscriptions::table
        .inner_join(api_keys::table)
        .filter(webhook_subscriptions::active.eq(true))
        .filter(api_keys::revoked_at.is_null())
        .filter(api_keys::expires_at.is_null().or(api_keys::expires_at.gt(now)))
        .select((SubscriptionRow::as_select(), ApiKeyRow::as_select()))
        .load(conn)
}

pub fn insert_delivery(conn: &mut DbConnection, new: &NewDelivery) -> QueryResult<()> {
    diesel::insert_into(webhook_deliveries::table).values(new).execute(conn).map(|_| ())
}

/// Pending deliveries due now whose subscription is active and which no instance holds.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    webhook_deliveries::table
        .inner_join(webhook_subscriptions::table)
        .filter(webhook_deliveries::status.eq(PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(webhook_deliveries::claimed_until.is_null().or(webhook_deliveries::claimed_until.lt(now)))
        .filter(webhook_subscriptions::active.eq(true))
        .order((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
        .limit(limit)
        .select(webhook_deliveries::id)
        .load(conn)
}

/// Takes a delivery for `until` if nobody holds it: `true` when this caller got it.
pub fn claim(
    conn: &mut DbConnection,
    id: i64,
    by: &str,
    until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(id))
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::claimed_until.is_null().or(webhook_deliveries::claimed_until.lt(now))),
    )
    .set((webhook_deliveries::claimed_until.eq(Some(until)), webhook_deliveries::claimed_by.eq(Some(by))))
    .execute(conn)?;
    Ok(n == 1)
}

/// A delivery with its subscription and key (`None` once its subscription is deleted).
pub fn delivery_to_send(
    conn: &mut DbConnection,
    id: i64,
) -> QueryResult<Option<(DeliveryRow, SubscriptionRow, ApiKeyRow)>> {
    webhook_deliveries::table
        .inner_join(webhook_subscriptions::table.inner_join(api_keys::table))
        .filter(webhook_deliveries::id.eq(id))
        .select((DeliveryRow::as_select(), SubscriptionRow::as_select(), ApiKeyRow::as_select()))
        .first(conn)
        .optional()
}

pub fn insert_attempt(conn: &mut DbConnection, a: &AttemptRow) -> QueryResult<()> {
    diesel::insert_into(webhook_attempts::table).values(a).execute(conn).map(|_| ())
}

/// Stores a delivery's state after an attempt and lets go of it.
#[allow(clippy::too_many_arguments)]
pub fn after_attempt(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    status_code: Option<i32>,
    error: Option<&str>,
    delivered_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next_attempt_at),
            webhook_deliveries::last_status_code.eq(status_code),
            webhook_deliveries::last_error.eq(error),
            webhook_deliveries::delivered_at.eq(delivered_at),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::claimed_by.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Counts a subscription's failures; `disable` turns it off with the reason.
pub fn set_failures(
    conn: &mut DbConnection,
    id: i64,
    failures: i32,
    disable: Option<(NaiveDateTime, &str)>,
) -> QueryResult<()> {
    let q = webhook_subscriptions::table.find(id);
    match disable {
        Some((at, reason)) => diesel::update(q)
            .set((
                webhook_subscriptions::consecutive_failures.eq(failures),
                webhook_subscriptions::active.eq(false),
                webhook_subscriptions::disabled_at.eq(Some(at)),
                webhook_subscriptions::disabled_reason.eq(Some(reason)),
                webhook_subscriptions::updated_at.eq(at),
            ))
            .execute(conn),
        None => diesel::update(q).set(webhook_subscriptions::consecutive_failures.eq(failures)).execute(conn),
    }
    .map(|_| ())
}

/// A subscription's latest deliveries, newest first.
pub fn deliveries_of(conn: &mut DbConnection, subscription_id: i64, limit: i64) -> QueryResult<Vec<DeliveryRow>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(subscription_id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)
}

pub fn attempts_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<AttemptRow>> {
    webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(ids))
        .order((webhook_attempts::delivery_id, webhook_attempts::attempt))
        .select(AttemptRow::as_select())
        .load(conn)
}

pub fn get_delivery(conn: &mut DbConnection, id: i64) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table.find(id).select(DeliveryRow::as_select()).first(conn).optional()
}

/// Deletes a subscription with its deliveries and their attempts; the number of deliveries.
pub fn delete_subscription(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    let deliveries = webhook_deliveries::table.filter(webhook_deliveries::subscription_id.eq(id));
    diesel::delete(
        webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries.select(webhook_deliveries::id))),
    )
    .execute(conn)?;
    let n = diesel::delete(deliveries).execute(conn)?;
    diesel::delete(webhook_subscriptions::table.find(id)).execute(conn)?;
    Ok(n)
}

/// Queues a delivery again now (the "send again" action).
pub fn requeue(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::claimed_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::claimed_by.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether any live subscription asks for `event` (the time-based scans skip their query
/// when none does).
pub fn anyone_wants(conn: &mut DbConnection, event: &str, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(live_subscriptions(conn, now)?.iter().any(|(s, _)| s.events.split(',').any(|e| e == event)))
}

/// Records that `event` was announced for `subject_id`: `false` when it already was (by this
/// or another instance), so the caller queues nothing.
pub fn mark(
    conn: &mut DbConnection,
    event: &str,
    subject_id: i64,
    commune_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = crate::on_backend!(conn, c => diesel::insert_into(webhook_event_marks::table)
        .values((
            webhook_event_marks::event.eq(event),
            webhook_event_marks::subject_id.eq(subject_id),
            webhook_event_marks::commune_id.eq(commune_id),
            webhook_event_marks::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Received dossiers still being processed (clock running) whose due time passed within
/// [`since`, `now`) and that were not announced late yet.
pub fn late_dossiers(
    conn: &mut DbConnection,
    since: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<LateDossier>> {
    let marked = webhook_event_marks::table
        .filter(webhook_event_marks::event.eq(DOSSIER_LATE))
        .filter(webhook_event_marks::subject_id.eq(dossiers::id));
    dossiers::table
        .inner_join(procedures::table)
        .filter(dossiers::finished_at.is_null())
        .filter(dossiers::paused_since.is_null())
        .filter(dossiers::status.eq_any([2, 4]))
        .filter(dossiers::due_at.lt(now))
        .filter(dossiers::due_at.ge(since))
        .filter(diesel::dsl::not(diesel::dsl::exists(marked)))
        .order(dossiers::id)
        .limit(limit)
        .select((
            dossiers::id,
            dossiers::commune_id,
            dossiers::code,
            procedures::code,
            dossiers::channel,
            dossiers::status,
            dossiers::received_at,
            dossiers::due_at,
        ))
        .load(conn)
}

/// Open, unpaused petitions (never denunciations) whose legal due time passed within
/// [`since`, `now`) and that were not announced overdue yet.
pub fn overdue_petitions(
    conn: &mut DbConnection,
    open: &[&str],
    since: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OverduePetition>> {
    let marked = webhook_event_marks::table
        .filter(webhook_event_marks::event.eq(PETITION_OVERDUE))
        .filter(webhook_event_marks::subject_id.eq(petitions::id));
    petitions::table
        .filter(petitions::kind.ne("denunciation"))
        .filter(petitions::status.eq_any(open))
        .filter(petitions::paused_since.is_null())
        .filter(petitions::due_at.lt(now))
        .filter(petitions::due_at.ge(since))
        .filter(diesel::dsl::not(diesel::dsl::exists(marked)))
        .order(petitions::id)
        .limit(limit)
        .select((
            petitions::id,
            petitions::commune_id,
            petitions::code,
            petitions::kind,
            petitions::channel,
            petitions::status,
            petitions::received_at,
            petitions::due_at.assume_not_null(),
        ))
        .load(conn)
}

/// Tasks still open (`open` statuses) whose due date is in [`since`, `today`) and that were
/// not announced overdue yet.
pub fn overdue_tasks(
    conn: &mut DbConnection,
    open: &[&str],
    since: NaiveDate,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<OverdueTask>> {
    let marked = webhook_event_marks::table
        .filter(webhook_event_marks::event.eq(TASK_OVERDUE))
        .filter(webhook_event_marks::subject_id.eq(tasks::id));
    tasks::table
        .filter(tasks::status.eq_any(open))
        .filter(tasks::due_date.lt(today))
        .filter(tasks::due_date.ge(since))
        .filter(diesel::dsl::not(diesel::dsl::exists(marked)))
        .order(tasks::id)
        .limit(limit)
        .select((
            tasks::id,
            tasks::commune_id,
            tasks::plan_id,
            tasks::title,
            tasks::status,
            tasks::progress,
            tasks::due_date,
        ))
        .load(conn)
}
