//! The guard in front of the citizen's lookup. Per-address limits alone did not stop a
//! brute force of the four phone digits (43 tries from 3 addresses found them), so:
//! - every client is counted by [`client_key`] (an IPv6 client by its /64);
//! - wrong tries are counted per dossier *code*: 10 in an hour, or 30 in a day, lock that
//!   code's lookup (429 with `Retry-After`) whatever the address, and the desk sees the lock
//!   on the dossier and may lift it; a try is reserved before the lookup, so concurrent tries
//!   count too; an unknown code is counted like a known one, so a lock says nothing about
//!   whether the code exists;
//! - the public link printed as a QR code on the receipt carries a random token (made by the
//!   database for every dossier), which needs no digits and is not subject to the lock: the
//!   printed code stays sequential for the register, and knowing it is not enough.
//!
//! [`client_key`]: crate::auth::throttle::client_key

pub mod repo;
pub mod routes;

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service;
use crate::audit::{self, Actor};
use crate::auth::throttle::client_key;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::onestop::model::PublicDossier;
use crate::time::rfc;

/// Wrong tries at one code in an hour that lock its lookup.
pub const FAILURES_PER_HOUR: i64 = 10;
/// Wrong tries at one code in a day that lock its lookup for the rest of that day.
pub const FAILURES_PER_DAY: i64 = 30;
/// Longest code looked at; anything longer is simply not found.
const MAX_CODE_CHARS: usize = 40;

/// `?phone_last4=&t=` of the public lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicLookupQuery {
    /// The last four digits of the applicant's phone.
    pub phone_last4: Option<String>,
    /// The token of the dossier's public link (the receipt's QR code); replaces the digits.
    pub t: Option<String>,
}

/// Whether a dossier's public lookup is locked by wrong tries.
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupLock {
    pub code: String,
    pub locked: bool,
    /// Until when, in the commune's time (+07:00).
    pub locked_until: Option<DateTime<FixedOffset>>,
    pub failures_last_hour: i64,
    pub failures_last_day: i64,
}

/// The public path of a dossier's lookup: `/tra-cuu/{code}?t={token}`.
pub fn public_path(conn: &mut DbConnection, dossier_id: i64, code: &str) -> AppResult<String> {
    Ok(match repo::token_of(conn, dossier_id)? {
        Some(token) => format!("/tra-cuu/{code}?t={token}"),
        None => format!("/tra-cuu/{code}"),
    })
}

fn normalise(code: &str) -> String {
    code.trim().to_uppercase()
}

fn lock_of(conn: &mut DbConnection, code: &str, now: NaiveDateTime) -> AppResult<LookupLock> {
    let (hour, hour_oldest) = repo::failures_since(conn, code, now - Duration::hours(1))?;
    let (day, day_oldest) = repo::failures_since(conn, code, now - Duration::days(1))?;
    let mut until: Option<NaiveDateTime> = None;
    if hour >= FAILURES_PER_HOUR {
        until = hour_oldest.map(|t| t + Duration::hours(1));
    }
    if day >= FAILURES_PER_DAY {
        until = until.max(day_oldest.map(|t| t + Duration::days(1)));
    }
    let until = until.filter(|u| *u > now);
    Ok(LookupLock {
        code: code.to_string(),
        locked: until.is_some(),
        locked_until: until.map(rfc),
        failures_last_hour: hour,
        failures_last_day: day,
    })
}

/// The citizen's lookup behind the guard: by the link's token, or by code and the last four
/// digits of the phone (then counted against the code).
pub fn public_lookup(
    conn: &mut DbConnection,
    ip: &str,
    code: &str,
    last4: Option<&str>,
    token: Option<&str>,
) -> AppResult<PublicDossier> {
    let client = client_key(ip);
    let code = normalise(code);
    if code.chars().count() > MAX_CODE_CHARS {
        return service::public_lookup(conn, &client, &code, last4);
    }
    let now = Utc::now().naive_utc();
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    if let Some(token) = token
        && token.len() <= 64
        && let Some((real_code, digits)) = repo::dossier_by_token(conn, token)?
        && real_code == code
    {
        // A valid link: the same answer as the right digits (and the same per-address limit).
        let last4: String = digits.chars().skip(digits.chars().count().saturating_sub(4)).collect();
        return service::public_lookup(conn, &client, &code, Some(&last4));
    }
    // A wrong token counts as a wrong try, like wrong digits.
    counted(conn, &client, &code, now, |c| {
        if token.is_some() { Err(AppError::NotFound) } else { service::public_lookup(c, &client, &code, last4) }
    })
}

/// Runs a lookup of `code` (normalised) as a counted try: refused with 429 while the code is
/// locked, counted as wrong when it answers 404. Other registers with a public lookup by code
/// and phone digits (petitions) go through the same guard.
pub fn counted<T>(
    conn: &mut DbConnection,
    client: &str,
    code: &str,
    now: NaiveDateTime,
    lookup: impl FnOnce(&mut DbConnection) -> AppResult<T>,
) -> AppResult<T> {
    let reserved = write_tx(conn, |c| {
        repo::lock_code(c, code)?;
        let lock = lock_of(c, code, now)?;
        if let Some(until) = lock.locked_until {
            let secs = (until.naive_utc() - now).num_seconds().max(1) as u64;
            return Err(AppError::RateLimited { retry_after_secs: secs });
        }
        Ok(repo::reserve_failure(c, code, client, now, now - Duration::days(2))?)
    })?;
    let result = lookup(conn);
    match &result {
        Err(AppError::NotFound) => {}
        // Found, or refused before looking (per-address limit): not a wrong try.
        _ => repo::forget_failure(conn, reserved)?,
    }
    result
}

/// The guard for another register's public lookup by code and phone digits: the client is
/// counted by address (an IPv6 client by its /64), the code's wrong tries as a dossier's.
pub fn guarded<T>(
    conn: &mut DbConnection,
    ip: &str,
    code: &str,
    lookup: impl FnOnce(&mut DbConnection, &str, &str) -> AppResult<T>,
) -> AppResult<T> {
    let client = client_key(ip);
    let code = normalise(code);
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(AppError::NotFound);
    }
    counted(conn, &client, &code, Utc::now().naive_utc(), |c| lookup(c, &client, &code))
}

/// The lock state of a dossier's lookup, for the desk.
pub fn lock_state(conn: &mut DbConnection, commune_id: i64, dossier_id: i64) -> AppResult<LookupLock> {
    let (d, _) = super::repo::get_dossier(conn, commune_id, dossier_id)?;
    lock_of(conn, &normalise(&d.code), Utc::now().naive_utc())
}

/// Lifts the lock (the citizen came to the desk): forgets the wrong tries, audited.
pub fn unlock(conn: &mut DbConnection, actor: &Actor, commune_id: i64, dossier_id: i64) -> AppResult<LookupLock> {
    let (d, _) = super::repo::get_dossier(conn, commune_id, dossier_id)?;
    let code = normalise(&d.code);
    write_tx(conn, |c| {
        let cleared = repo::clear_failures(c, &code)?;
        audit::repo::record_entity(
            c,
            actor,
            commune_id,
            "unlock_lookup",
            "dossier",
            dossier_id,
            serde_json::json!({ "code": code, "wrong_tries_forgotten": cleared }),
        )?;
        Ok::<_, AppError>(())
    })?;
    lock_of(conn, &code, Utc::now().naive_utc())
}
