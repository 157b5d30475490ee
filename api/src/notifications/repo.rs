//! All SQL of notifications: the inbox, preferences, digests, and the scan's reads of the
//! other modules' tables (tasks, dossiers, petitions, disclosures, commitments, surveys).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::db::DbConnection;
use crate::db::schema::{
    commitments, disclosure_relays, disclosure_villages, disclosures, dossiers, notification_digests,
    notification_preferences, notifications, petitions, plans, surveys, tasks, users,
};

// ---- inbox ----

/// Inserts a notification unless the user already has one for this kind, subject and day.
/// Returns the new row's id (`None`: it existed).
pub fn insert_if_new(conn: &mut DbConnection, new: &NewNotification) -> QueryResult<Option<i64>> {
    let n = crate::on_backend!(conn, c => diesel::insert_into(notifications::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    notifications::table
        .filter(notifications::user_id.eq(new.user_id))
        .filter(notifications::kind.eq(&new.kind))
        .filter(notifications::subject.eq(&new.subject))
        .filter(notifications::day.eq(new.day))
        .select(notifications::id)
        .first(conn)
        .map(Some)
}

pub fn list(
    conn: &mut DbConnection,
    user_id: i64,
    unread_only: bool,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<NotificationRow>, i64)> {
    let filtered = || {
        let mut q = notifications::table.filter(notifications::user_id.eq(user_id)).into_boxed();
        if unread_only {
            q = q.filter(notifications::read_at.is_null());
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(NotificationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn unread_count(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks the user's listed notifications read (others' ids are ignored).
pub fn mark_read(conn: &mut DbConnection, user_id: i64, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::id.eq_any(ids))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now))
    .execute(conn)
}

pub fn mark_all_read(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table.filter(notifications::user_id.eq(user_id)).filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now))
    .execute(conn)
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<NotificationRow> {
    notifications::table.find(id).select(NotificationRow::as_select()).first(conn)
}

pub fn set_emailed(conn: &mut DbConnection, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(notifications::table.filter(notifications::id.eq_any(ids)))
        .set(notifications::emailed_at.eq(now))
        .execute(conn)
}

/// The user's digest items of `day`: notifications of that day in digest mode.
pub fn digest_items(conn: &mut DbConnection, user_id: i64, day: NaiveDate) -> QueryResult<Vec<NotificationRow>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::day.eq(day))
        .filter(notifications::mode.eq(DeliveryMode::Digest.as_str()))
        .order((notifications::kind, notifications::id))
        .select(NotificationRow::as_select())
        .load(conn)
}

/// Users with digest-mode notifications on `day` and no digest yet for it.
pub fn users_awaiting_digest(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<Vec<i64>> {
    let done: Vec<i64> = notification_digests::table
        .filter(notification_digests::day.eq(day))
        .select(notification_digests::user_id)
        .load(conn)?;
    let mut users: Vec<i64> = notifications::table
        .filter(notifications::day.eq(day))
        .filter(notifications::mode.eq(DeliveryMode::Digest.as_str()))
        .select(notifications::user_id)
        .distinct()
        .load(conn)?;
    users.retain(|u| !done.contains(u));
    users.sort_unstable();
    Ok(users)
}

/// Claims the user's digest of `day`: inserts its row unless one exists. `true`: this caller
/// sends it; `false`: another instance (or an earlier run) already did.
pub fn claim_digest(conn: &mut DbConnection, new: &NewDigest) -> QueryResult<bool> {
    let n = crate::on_backend!(conn, c => diesel::insert_into(notification_digests::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn finish_digest(
    conn: &mut DbConnection,
    user_id: i64,
    day: NaiveDate,
    emailed: bool,
    error: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(
        notification_digests::table
            .filter(notification_digests::user_id.eq(user_id))
            .filter(notification_digests::day.eq(day)),
    )
    .set((notification_digests::emailed.eq(emailed), notification_digests::error.eq(error)))
    .execute(conn)
}

/// How many digests were made for `day` (tests and the admin view).
pub fn digests_of_day(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<i64> {
    notification_digests::table.filter(notification_digests::day.eq(day)).count().get_result(conn)
}

// ---- preferences ----

pub fn preferences(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<PreferenceRow>> {
    notification_preferences::table
        .filter(notification_preferences::user_id.eq(user_id))
        .select(PreferenceRow::as_select())
        .first(conn)
        .optional()
}

pub fn all_preferences(conn: &mut DbConnection) -> QueryResult<Vec<PreferenceRow>> {
    notification_preferences::table.select(PreferenceRow::as_select()).load(conn)
}

/// Inserts or replaces the user's preferences (inside the caller's write transaction).
pub fn save_preferences(conn: &mut DbConnection, row: &PreferenceRow) -> QueryResult<()> {
    let n = diesel::update(notification_preferences::table.filter(notification_preferences::user_id.eq(row.user_id)))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(notification_preferences::table).values(row).execute(conn)?;
    }
    Ok(())
}

// ---- who ----

/// Active users attached to a commune.
pub fn recipients(conn: &mut DbConnection) -> QueryResult<Vec<Recipient>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::commune_id.is_not_null())
        .order(users::id)
        .select((users::id, users::full_name, users::role, users::commune_id, users::unit_id))
        .load(conn)
}

pub fn recipient(conn: &mut DbConnection, user_id: i64) -> QueryResult<Recipient> {
    users::table
        .find(user_id)
        .select((users::id, users::full_name, users::role, users::commune_id, users::unit_id))
        .first(conn)
}

// ---- the scan's reads ----

/// (id, commune, title, lead unit, due date) of open tasks of active plans due by `until`.
pub type DueTask = (i64, i64, String, i64, NaiveDate);

pub fn open_tasks_due_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<DueTask>> {
    let active: Vec<i64> = plans::table.filter(plans::status.eq("active")).select(plans::id).load(conn)?;
    if active.is_empty() {
        return Ok(Vec::new());
    }
    tasks::table
        .filter(tasks::plan_id.eq_any(active))
        .filter(tasks::status.eq("not_started").or(tasks::status.eq("in_progress")))
        .filter(tasks::due_date.le(until))
        .order(tasks::id)
        .select((tasks::id, tasks::commune_id, tasks::title, tasks::lead_unit_id, tasks::due_date))
        .load(conn)
}

/// (id, commune, code, due_at, paused_since, apology_by, apology_timely) of open dossiers
/// (statuses 1, 2, 4, 5, 6) due by `until` or with an apology deadline by `now`.
pub type OpenDossier = (i64, i64, String, NaiveDateTime, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<bool>);

pub fn open_dossiers_due_by(
    conn: &mut DbConnection,
    until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<OpenDossier>> {
    dossiers::table
        .filter(dossiers::status.eq_any([1, 2, 4, 5, 6]))
        .filter(dossiers::due_at.le(until).or(dossiers::apology_by.le(now)))
        .order(dossiers::id)
        .select((
            dossiers::id,
            dossiers::commune_id,
            dossiers::code,
            dossiers::due_at,
            dossiers::paused_since,
            dossiers::apology_by,
            dossiers::apology_timely,
        ))
        .load(conn)
}

/// (id, commune, code, handler, due_at) of open, running petitions due by `until`.
pub type DuePetition = (i64, i64, String, Option<i64>, Option<NaiveDateTime>);

pub fn open_petitions_due_by(conn: &mut DbConnection, until: NaiveDateTime) -> QueryResult<Vec<DuePetition>> {
    petitions::table
        .filter(petitions::status.eq_any(["received", "accepted", "assigned", "investigating", "concluded"]))
        .filter(petitions::paused_since.is_null())
        .filter(petitions::due_at.le(until))
        .order(petitions::id)
        .select((petitions::id, petitions::commune_id, petitions::code, petitions::handler_id, petitions::due_at))
        .load(conn)
}

/// (id, commune, title, posted_from) of disclosures still posted on `today`.
pub type PostedDisclosure = (i64, i64, String, NaiveDate);

pub fn disclosures_posted_on(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<PostedDisclosure>> {
    disclosures::table
        .filter(disclosures::posted_from.le(today))
        .filter(disclosures::posted_to.ge(today))
        .filter(disclosures::taken_down_on.is_null())
        .order(disclosures::id)
        .select((disclosures::id, disclosures::commune_id, disclosures::title, disclosures::posted_from))
        .load(conn)
}

/// (disclosure, village) pairs the disclosure goes to.
pub fn disclosure_villages_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    disclosure_villages::table
        .filter(disclosure_villages::disclosure_id.eq_any(ids))
        .select((disclosure_villages::disclosure_id, disclosure_villages::unit_id))
        .load(conn)
}

/// (disclosure, village) pairs already relayed.
pub fn relayed_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    disclosure_relays::table
        .filter(disclosure_relays::disclosure_id.eq_any(ids))
        .select((disclosure_relays::disclosure_id, disclosure_relays::unit_id))
        .load(conn)
}

/// (id, commune, text, owner unit, due) of open commitments due by `until`.
pub type DueCommitment = (i64, i64, String, i64, NaiveDate);

pub fn open_commitments_due_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<DueCommitment>> {
    commitments::table
        .filter(commitments::status.eq("open").or(commitments::status.eq("in_progress")))
        .filter(commitments::due_on.le(until))
        .order(commitments::id)
        .select((
            commitments::id,
            commitments::commune_id,
            commitments::text,
            commitments::owner_unit_id,
            commitments::due_on,
        ))
        .load(conn)
}

/// (id, commune, title, ends_on) of survey campaigns ending between `from` and `until`.
pub type EndingSurvey = (i64, i64, String, NaiveDate);

pub fn surveys_ending_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<EndingSurvey>> {
    surveys::table
        .filter(surveys::ends_on.ge(from))
        .filter(surveys::ends_on.le(until))
        .order(surveys::id)
        .select((surveys::id, surveys::commune_id, surveys::title, surveys::ends_on.assume_not_null()))
        .load(conn)
}
