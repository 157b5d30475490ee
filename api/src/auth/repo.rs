//! All SQL of authentication: sessions, refresh tokens, login attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::session_cache::{self, SessionUser};
use crate::db::DbConnection;
use crate::db::schema::{
    commune_security, login_attempts, mfa_challenges, mfa_recovery_codes, mfa_secrets, refresh_tokens, sessions, users,
};
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

/// Reserves a password check: a failed attempt until [`mark_attempt_succeeded`] says otherwise.
/// Returns its id.
pub fn reserve_attempt(conn: &mut DbConnection, key: &str, username: &str, at: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::ip.eq(key),
            login_attempts::username.eq(username),
            login_attempts::at.eq(at),
            login_attempts::success.eq(false),
        ))
        .returning(login_attempts::id)
        .get_result(conn)
}

/// Turns a reserved attempt into a success (the password was right).
pub fn mark_attempt_succeeded(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(login_attempts::table.find(id)).set(login_attempts::success.eq(true)).execute(conn).map(|_| ())
}

/// Forgets a reserved attempt whose password was never checked (or was right, outside sign-in).
pub fn delete_attempt(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(login_attempts::table.find(id)).execute(conn).map(|_| ())
}

/// Serialises throttle decisions about one client key until the transaction ends. PostgreSQL
/// takes a transaction-scoped advisory lock on a hash of the key; SQLite needs nothing, as
/// `write_tx` already holds the database's single write lock.
pub fn lock_throttle_key(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(c) => diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)
            .map(|_| ()),
        DbConnection::Sqlite(_) => Ok(()),
    }
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
    n += diesel::delete(mfa_challenges::table.filter(mfa_challenges::expires_at.lt(now - chrono::Duration::days(1))))
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

// ---- MFA (TOTP) ---------------------------------------------------------------------------

/// A user's TOTP secret: base32 secret, when it was confirmed (`None` while enrolling), and
/// the last step accepted.
pub type MfaSecret = (String, Option<NaiveDateTime>, Option<i64>);

pub fn mfa_secret(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<MfaSecret>> {
    mfa_secrets::table
        .find(user_id)
        .select((mfa_secrets::secret, mfa_secrets::confirmed_at, mfa_secrets::last_step))
        .first(conn)
        .optional()
}

/// Starts (or restarts) an enrolment with a new secret; forgets any earlier one.
pub fn put_mfa_secret(conn: &mut DbConnection, user_id: i64, secret: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(mfa_secrets::table.find(user_id)).execute(conn)?;
    diesel::insert_into(mfa_secrets::table)
        .values((mfa_secrets::user_id.eq(user_id), mfa_secrets::secret.eq(secret), mfa_secrets::created_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Marks the secret confirmed.
pub fn confirm_mfa(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(mfa_secrets::table.find(user_id)).set(mfa_secrets::confirmed_at.eq(now)).execute(conn).map(|_| ())
}

/// Records the step of an accepted code; `false` when that step (or a later one) was already
/// used — a replayed code, or a race with another request using the same code.
pub fn take_mfa_step(conn: &mut DbConnection, user_id: i64, step: i64) -> QueryResult<bool> {
    let n = diesel::update(
        mfa_secrets::table.find(user_id).filter(mfa_secrets::last_step.is_null().or(mfa_secrets::last_step.lt(step))),
    )
    .set(mfa_secrets::last_step.eq(step))
    .execute(conn)?;
    Ok(n == 1)
}

/// Turns MFA off for a user: the secret and the recovery codes go.
pub fn delete_mfa(conn: &mut DbConnection, user_id: i64) -> QueryResult<()> {
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(mfa_secrets::table.find(user_id)).execute(conn).map(|_| ())
}

/// Replaces a user's recovery codes (SHA-256 hex of each).
pub fn replace_recovery_codes(conn: &mut DbConnection, user_id: i64, hashes: &[String]) -> QueryResult<()> {
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id))).execute(conn)?;
    for h in hashes {
        diesel::insert_into(mfa_recovery_codes::table)
            .values((mfa_recovery_codes::user_id.eq(user_id), mfa_recovery_codes::code_hash.eq(h)))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses a recovery code once; `false` when there is no such unused code.
pub fn use_recovery_code(conn: &mut DbConnection, user_id: i64, hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        mfa_recovery_codes::table
            .filter(mfa_recovery_codes::user_id.eq(user_id))
            .filter(mfa_recovery_codes::code_hash.eq(hash))
            .filter(mfa_recovery_codes::used_at.is_null()),
    )
    .set(mfa_recovery_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(n >= 1)
}

/// Unused recovery codes of a user.
pub fn recovery_codes_left(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    mfa_recovery_codes::table
        .filter(mfa_recovery_codes::user_id.eq(user_id))
        .filter(mfa_recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// A sign-in's second step: id, user, purpose (`verify`/`enrol`), expiry, failures, used.
pub type MfaChallenge = (i64, i64, String, NaiveDateTime, i32, Option<NaiveDateTime>);

pub fn create_challenge(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: i64,
    purpose: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(mfa_challenges::table)
        .values((
            mfa_challenges::token_hash.eq(token_hash),
            mfa_challenges::user_id.eq(user_id),
            mfa_challenges::purpose.eq(purpose),
            mfa_challenges::created_at.eq(now),
            mfa_challenges::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_challenge(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<MfaChallenge>> {
    mfa_challenges::table
        .filter(mfa_challenges::token_hash.eq(token_hash))
        .select((
            mfa_challenges::id,
            mfa_challenges::user_id,
            mfa_challenges::purpose,
            mfa_challenges::expires_at,
            mfa_challenges::failures,
            mfa_challenges::used_at,
        ))
        .first(conn)
        .optional()
}

/// Counts a wrong code against a challenge.
pub fn challenge_failed(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(mfa_challenges::table.find(id))
        .set(mfa_challenges::failures.eq(mfa_challenges::failures + 1))
        .execute(conn)
        .map(|_| ())
}

/// Uses a challenge up; `false` when it was used already.
pub fn use_challenge(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(mfa_challenges::table.find(id).filter(mfa_challenges::used_at.is_null()))
        .set(mfa_challenges::used_at.eq(now))
        .execute(conn)?;
    Ok(n == 1)
}

/// Whether the commune makes MFA required for its admin and board accounts.
pub fn mfa_required(conn: &mut DbConnection, commune_id: i64) -> QueryResult<bool> {
    Ok(commune_security::table
        .find(commune_id)
        .select(commune_security::mfa_required)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn set_mfa_required(
    conn: &mut DbConnection,
    commune_id: i64,
    required: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let n = diesel::update(commune_security::table.find(commune_id))
        .set((commune_security::mfa_required.eq(required), commune_security::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(commune_security::table)
            .values((
                commune_security::commune_id.eq(commune_id),
                commune_security::mfa_required.eq(required),
                commune_security::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
