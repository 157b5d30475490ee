//! All SQL of authentication: sessions, refresh tokens, login attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::session_cache::{self, SessionUser};
use crate::db::DbConnection;
use crate::db::schema::{login_attempts, refresh_tokens, sessions, users};
use crate::org::model::UserRow;

/// Looks a user up by (normalised) username.
pub fn find_user_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()
}

/// The user behind a live session: not revoked, not expired, user active.
pub fn live_session_user(
    conn: &mut DbConnection,
    session_id: &str,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<SessionUser>> {
    type Row = (String, String, String, Option<i64>, Option<i64>, Option<i64>, NaiveDateTime);
    let row: Option<Row> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select((
            users::username,
            users::full_name,
            users::role,
            users::commune_id,
            users::unit_id,
            users::authority_id,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(username, full_name, role, commune_id, unit_id, authority_id, session_expires_at)| SessionUser {
        id: user_id,
        username,
        full_name,
        role,
        commune_id,
        unit_id,
        authority_id,
        session_expires_at,
    }))
}

/// Records one login attempt.
pub fn record_attempt(
    conn: &mut DbConnection,
    ip: &str,
    username: &str,
    success: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::ip.eq(ip),
            login_attempts::username.eq(username),
            login_attempts::at.eq(at),
            login_attempts::success.eq(success),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A count of failed attempts and the time of the oldest of them.
pub type CountOldest = (i64, Option<NaiveDateTime>);

type RefreshRow =
    ((i64, NaiveDateTime, Option<NaiveDateTime>), (String, NaiveDateTime, Option<NaiveDateTime>), UserRow);

/// Failures in the window: (from this address for this username since its last success,
/// oldest of them), and (from this address for any username, oldest of them).
pub fn failures_since(
    conn: &mut DbConnection,
    ip: &str,
    username: &str,
    since: NaiveDateTime,
) -> QueryResult<(CountOldest, CountOldest)> {
    let last_success: Option<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::username.eq(username))
        .filter(login_attempts::success.eq(true))
        .filter(login_attempts::at.ge(since))
        .select(diesel::dsl::max(login_attempts::at))
        .first(conn)?;
    let user_since = last_success.map_or(since, |s| s.max(since));
    let per_user: CountOldest = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::username.eq(username))
        .filter(login_attempts::success.eq(false))
        .filter(login_attempts::at.gt(user_since))
        .select((diesel::dsl::count_star(), diesel::dsl::min(login_attempts::at)))
        .first(conn)?;
    let per_ip: CountOldest = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::success.eq(false))
        .filter(login_attempts::at.ge(since))
        .select((diesel::dsl::count_star(), diesel::dsl::min(login_attempts::at)))
        .first(conn)?;
    Ok((per_user, per_ip))
}

/// Housekeeping: forgets login attempts older than a day, refresh tokens that expired more
/// than a day ago, and sessions over for more than 30 days (the audit log keeps the history).
/// Idempotent, so several instances may run it.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let mut n = diesel::delete(login_attempts::table.filter(login_attempts::at.lt(now - chrono::Duration::days(1))))
        .execute(conn)?;
    n += diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(now - chrono::Duration::days(1))))
        .execute(conn)?;
    let old = now - chrono::Duration::days(30);
    let dead =
        sessions::table.filter(sessions::expires_at.lt(old).or(sessions::revoked_at.lt(old))).select(sessions::id);
    n += diesel::delete(refresh_tokens::table.filter(refresh_tokens::session_id.eq_any(dead))).execute(conn)?;
    let sessions_gone =
        diesel::delete(sessions::table.filter(sessions::expires_at.lt(old).or(sessions::revoked_at.lt(old))))
            .execute(conn)?;
    if sessions_gone > 0 {
        // The statement has committed (no transaction here): forget remembered sessions now.
        session_cache::changed();
        crate::db::run_after_work_hooks();
    }
    Ok(n + sessions_gone)
}

/// A new session.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: i64,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: &'a str,
    pub user_agent: Option<&'a str>,
}

pub fn create_session(conn: &mut DbConnection, s: &NewSession<'_>) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(s.id),
            sessions::user_id.eq(s.user_id),
            sessions::created_at.eq(s.now),
            sessions::last_used_at.eq(s.now),
            sessions::expires_at.eq(s.expires_at),
            sessions::ip.eq(s.ip),
            sessions::user_agent.eq(s.user_agent),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn insert_refresh_token(
    conn: &mut DbConnection,
    session_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A refresh token with its session and user.
pub struct RefreshLookup {
    pub token_id: i64,
    pub token_expires_at: NaiveDateTime,
    pub used: bool,
    pub session_id: String,
    pub session_expires_at: NaiveDateTime,
    pub session_revoked: bool,
    pub user: UserRow,
}

pub fn find_refresh(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<RefreshLookup>> {
    let row: Option<RefreshRow> = refresh_tokens::table
        .inner_join(sessions::table.inner_join(users::table))
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            (refresh_tokens::id, refresh_tokens::expires_at, refresh_tokens::used_at),
            (sessions::id, sessions::expires_at, sessions::revoked_at),
            UserRow::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|((token_id, token_expires_at, used_at), (session_id, session_expires_at, revoked_at), user)| {
        RefreshLookup {
            token_id,
            token_expires_at,
            used: used_at.is_some(),
            session_id,
            session_expires_at,
            session_revoked: revoked_at.is_some(),
            user,
        }
    }))
}

/// Marks a refresh token used; `false` when someone else used it first.
pub fn mark_refresh_used(conn: &mut DbConnection, token_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(refresh_tokens::table.find(token_id).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn touch_session(conn: &mut DbConnection, session_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id)).set(sessions::last_used_at.eq(now)).execute(conn).map(|_| ())
}

/// Revokes one session; returns whether it was live.
pub fn revoke_session(
    conn: &mut DbConnection,
    session_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    session_cache::changed();
    let n = diesel::update(sessions::table.find(session_id).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Revokes every live session of a user, except `keep` (the caller's own, on a password change).
pub fn revoke_user_sessions(
    conn: &mut DbConnection,
    user_id: i64,
    keep: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    session_cache::changed();
    let mut q = diesel::update(sessions::table)
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(k) = keep {
        q = q.filter(sessions::id.ne(k));
    }
    q.set((sessions::revoked_at.eq(now), sessions::revoked_reason.eq(reason))).execute(conn)
}

/// Sets a new password hash.
pub fn set_password(conn: &mut DbConnection, user_id: i64, hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(hash), users::password_changed_at.eq(now), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_last_login(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::last_login_at.eq(now)).execute(conn).map(|_| ())
}
