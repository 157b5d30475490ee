//! Idempotency keys of field writes: the storage half of `http::idempotency`.
//!
//! One row per (user, key). The first request to insert it owns the key (`pending`) and does
//! the write; when the write succeeds its status and JSON body are stored (`complete`) and
//! every later request with that key gets them back. Two requests arriving together cannot
//! both own a key: the unique index `(user_id, idem_key)` lets one insert win. On PostgreSQL
//! the loser's `INSERT … ON CONFLICT DO NOTHING` waits for the winner's claim to commit and
//! inserts nothing; on SQLite `BEGIN IMMEDIATE` serialises the two claims. A claim is its own
//! short transaction, so the write itself is free to open its own.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::idempotency_keys as k;

/// What a request finds when it presents a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or its earlier owner failed and let it go): this request does the write.
    Owned,
    /// The write was done: answer with its status and body.
    Replay { status: u16, body: String },
    /// Another request with this key is still working, since `since`.
    Pending { since: NaiveDateTime },
    /// The key was used for a different request (another method or path).
    Mismatch,
}

/// Claims `key` for `user_id` and `request` (`"POST /api/v1/tasks/7/reports"`). Keys created
/// before `expired_before` are deleted first, so an expired key is a new key.
pub fn claim(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    request: &str,
    now: NaiveDateTime,
    expired_before: NaiveDateTime,
) -> QueryResult<Claim> {
    super::write_tx(conn, |conn| {
        diesel::delete(k::table.filter(k::created_at.lt(expired_before))).execute(conn)?;
        let row = (
            k::user_id.eq(user_id),
            k::idem_key.eq(key),
            k::request.eq(request),
            k::state.eq("pending"),
            k::created_at.eq(now),
        );
        let inserted = crate::on_backend!(conn, c => diesel::insert_into(k::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c))?;
        if inserted == 1 {
            return Ok(Claim::Owned);
        }
        let (found_request, state, status, body, created_at) = k::table
            .filter(k::user_id.eq(user_id).and(k::idem_key.eq(key)))
            .select((k::request, k::state, k::status, k::body, k::created_at))
            .first::<(String, String, Option<i32>, Option<String>, NaiveDateTime)>(conn)?;
        if found_request != request {
            return Ok(Claim::Mismatch);
        }
        Ok(match (state.as_str(), status, body) {
            ("complete", Some(status), Some(body)) => {
                Claim::Replay { status: u16::try_from(status).unwrap_or(200), body }
            }
            _ => Claim::Pending { since: created_at },
        })
    })
}

/// Takes over a key still `pending` since before `stale_before` (its owner died between the
/// claim and the answer). True when this request owns it now.
pub fn take_over(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(k::table.filter(
        k::user_id.eq(user_id).and(k::idem_key.eq(key)).and(k::state.eq("pending")).and(k::created_at.lt(stale_before)),
    ))
    .set(k::created_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stores the first result of the key's write.
pub fn complete(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    status: u16,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(k::table.filter(k::user_id.eq(user_id).and(k::idem_key.eq(key))))
        .set((k::state.eq("complete"), k::status.eq(i32::from(status)), k::body.eq(body), k::completed_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Lets a key go after its write failed, so the client may try again with the same key.
pub fn release(conn: &mut DbConnection, user_id: i64, key: &str) -> QueryResult<()> {
    diesel::delete(k::table.filter(k::user_id.eq(user_id).and(k::idem_key.eq(key)).and(k::state.eq("pending"))))
        .execute(conn)?;
    Ok(())
}
