//! Every query of API keys, their use counters and the sandbox communes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{ApiKeyRow, KeyCreator, KeyUsage, NewApiKey};
use crate::db::DbConnection;
use crate::db::schema::{api_key_usage, api_keys, sandbox_communes, users};

pub fn insert_key(conn: &mut DbConnection, key: &NewApiKey) -> QueryResult<ApiKeyRow> {
    crate::on_backend!(conn, c => diesel::insert_into(api_keys::table).values(key).returning(ApiKeyRow::as_returning()).get_result(c))
}

pub fn get_key(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ApiKeyRow>> {
    api_keys::table.find(id).select(ApiKeyRow::as_select()).first(conn).optional()
}

/// A key by its visible prefix, with its creator as they are now.
pub fn key_with_creator(conn: &mut DbConnection, prefix: &str) -> QueryResult<Option<(ApiKeyRow, KeyCreator)>> {
    api_keys::table
        .inner_join(users::table)
        .filter(api_keys::prefix.eq(prefix))
        .select((ApiKeyRow::as_select(), KeyCreator::as_select()))
        .first(conn)
        .optional()
}

/// The creators of keys, by user id.
pub fn creators(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<KeyCreator>> {
    users::table.filter(users::id.eq_any(ids)).select(KeyCreator::as_select()).load(conn)
}

/// Keys a manager sees: a commune admin's (`commune`, made by the commune's admins), or an
/// oversight user's (`authority`, made by the province's oversight users). Newest first.
pub fn list_keys(conn: &mut DbConnection, commune: Option<i64>, authority: Option<i64>) -> QueryResult<Vec<ApiKeyRow>> {
    let mut q = api_keys::table.into_boxed();
    q = match (commune, authority) {
        (_, Some(a)) => q.filter(api_keys::authority_id.eq(a)),
        (Some(c), None) => q.filter(api_keys::commune_id.eq(c)).filter(api_keys::authority_id.is_null()),
        (None, None) => return Ok(Vec::new()),
    };
    q.order(api_keys::id.desc()).select(ApiKeyRow::as_select()).load(conn)
}

/// Ends a key at `until` (rotation) and names its successor.
pub fn set_replaced(conn: &mut DbConnection, id: i64, until: NaiveDateTime, by: i64) -> QueryResult<usize> {
    diesel::update(api_keys::table.find(id))
        .set((api_keys::expires_at.eq(Some(until)), api_keys::replaced_by.eq(Some(by))))
        .execute(conn)
}

/// A rotated key's event subscriptions go to its replacement (their URL and signing secret
/// unchanged): a routine rotation does not silence the receiver.
pub fn move_subscriptions(conn: &mut DbConnection, from: i64, to: i64) -> QueryResult<usize> {
    use crate::db::schema::webhook_subscriptions;
    diesel::update(webhook_subscriptions::table.filter(webhook_subscriptions::api_key_id.eq(from)))
        .set(webhook_subscriptions::api_key_id.eq(to))
        .execute(conn)
}

pub fn revoke(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_keys::table.find(id).filter(api_keys::revoked_at.is_null()))
        .set(api_keys::revoked_at.eq(Some(at)))
        .execute(conn)
}

/// Counts one call of `endpoint` by a key on `day`, and notes when the key was last used.
pub fn count_use(
    conn: &mut DbConnection,
    key: i64,
    day: NaiveDate,
    endpoint: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let row = (
        api_key_usage::key_id.eq(key),
        api_key_usage::day.eq(day),
        api_key_usage::endpoint.eq(endpoint),
        api_key_usage::calls.eq(1i64),
    );
    crate::on_backend!(conn, c => diesel::insert_into(api_key_usage::table)
        .values(row)
        .on_conflict((api_key_usage::key_id, api_key_usage::day, api_key_usage::endpoint))
        .do_update()
        .set(api_key_usage::calls.eq(api_key_usage::calls + 1i64))
        .execute(c))?;
    diesel::update(api_keys::table.find(key)).set(api_keys::last_used_at.eq(Some(now))).execute(conn)?;
    Ok(())
}

/// Use counters of some keys since `since` (inclusive): (key, day, calls), summed over
/// endpoints by the caller.
pub fn usage_of(conn: &mut DbConnection, keys: &[i64], since: NaiveDate) -> QueryResult<Vec<(i64, NaiveDate, i64)>> {
    api_key_usage::table
        .filter(api_key_usage::key_id.eq_any(keys))
        .filter(api_key_usage::day.ge(since))
        .select((api_key_usage::key_id, api_key_usage::day, api_key_usage::calls))
        .load(conn)
}

/// One key's counters per day and endpoint since `since`, newest day first.
pub fn usage_rows(conn: &mut DbConnection, key: i64, since: NaiveDate) -> QueryResult<Vec<KeyUsage>> {
    api_key_usage::table
        .filter(api_key_usage::key_id.eq(key))
        .filter(api_key_usage::day.ge(since))
        .order((api_key_usage::day.desc(), api_key_usage::endpoint))
        .select((api_key_usage::day, api_key_usage::endpoint, api_key_usage::calls))
        .load(conn)
}

pub fn is_sandbox(conn: &mut DbConnection, commune: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(sandbox_communes::table.filter(sandbox_communes::commune_id.eq(commune))))
        .get_result(conn)
}

/// Marks a commune as one test keys may read (the demo commune). Once.
pub fn mark_sandbox(conn: &mut DbConnection, commune: i64, now: NaiveDateTime) -> QueryResult<()> {
    if !is_sandbox(conn, commune)? {
        diesel::insert_into(sandbox_communes::table)
            .values((sandbox_communes::commune_id.eq(commune), sandbox_communes::created_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes use counters of days before `before`.
pub fn prune_usage(conn: &mut DbConnection, before: NaiveDate) -> QueryResult<usize> {
    diesel::delete(api_key_usage::table.filter(api_key_usage::day.lt(before))).execute(conn)
}
