//! Multi-factor sign-in with TOTP (RFC 6238) for admin and board accounts: enrolment (secret,
//! `otpauth://` URI for the QR code, confirmation with a code, ten recovery codes shown once and
//! stored hashed), the second step of a sign-in (password → short-lived challenge → code),
//! turning it off (password and code), and the commune's setting that makes it required for
//! those roles (they enrol at their next sign-in). Wrong codes count in the sign-in throttle
//! (under `mfa:<username>`) and at most five per challenge. Every change is audited.

use chrono::{NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{Issued, MfaStep, actor_for, mfa_applies, open_session};
use super::{AuthUser, repo, throttle, tokens, totp};
use crate::audit::{self, Actor, Change};
use crate::db::{self, DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::RequestMeta;
use crate::org::model::{Role, UserRow};
use crate::state::AppState;

/// Wrong codes one challenge survives.
pub const MAX_CHALLENGE_FAILURES: i32 = 5;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Thân Thiện";

/// A user's MFA state.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaStatus {
    /// Whether this account may use MFA (admin and board).
    pub available: bool,
    pub enabled: bool,
    /// Whether the commune requires it for this account's role.
    pub required: bool,
    pub recovery_codes_left: i64,
}

/// A new secret to scan: the base32 secret (to type by hand) and the `otpauth://` URI (the QR code).
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaSetup {
    pub secret: String,
    pub otpauth_uri: String,
}

/// Recovery codes, shown once: each works once instead of a code from the app.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Body of `POST /auth/mfa/confirm`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaCode {
    /// Six digits from the app (or, where accepted, a recovery code).
    pub code: String,
}

/// Body of `POST /auth/mfa/disable`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableMfa {
    pub password: String,
    pub code: String,
}

/// Body of the sign-in's second step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChallengeCode {
    pub challenge_token: String,
    pub code: String,
}

/// Body of `POST /auth/mfa/enrol/setup`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChallengeToken {
    pub challenge_token: String,
}

/// Answer of an enrolment finished during sign-in: the recovery codes and the session.
pub struct Enrolled {
    pub recovery_codes: Vec<String>,
    pub issued: Issued,
}

/// The commune's MFA policy.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaPolicy {
    /// Admin and board accounts must use MFA (those without it enrol at their next sign-in).
    pub mfa_required: bool,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn role_of(u: &UserRow) -> AppResult<Role> {
    Role::parse(&u.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", u.role)))
}

fn wrong_code() -> AppError {
    AppError::field("code", "wrong_code", "Mã xác thực không đúng hoặc đã được dùng.")
}

fn check_code_format(code: &str) -> AppResult<()> {
    let mut v = Validator::new();
    let n = code.trim().chars().count();
    if n == 0 {
        v.add("code", "required", "Cần nhập mã xác thực.");
    } else if n > 32 {
        v.add("code", "too_long", "Mã xác thực quá dài.");
    }
    v.finish()
}

/// A recovery code as typed: dashes and spaces dropped, lower case.
fn normalise_recovery(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

fn new_recovery_codes() -> AppResult<(Vec<String>, Vec<String>)> {
    let mut shown = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 7];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        let raw = totp::base32_encode(&bytes).to_ascii_lowercase();
        let code: String = raw.chars().take(10).collect();
        hashes.push(tokens::hash_opaque(&code));
        shown.push(format!("{}-{}", &code[..5], &code[5..]));
    }
    Ok((shown, hashes))
}

/// Which second factor a code proved.
enum Factor {
    Totp,
    RecoveryCode,
}

impl Factor {
    fn as_str(&self) -> &'static str {
        match self {
            Factor::Totp => "totp",
            Factor::RecoveryCode => "recovery_code",
        }
    }
}

/// Checks a code for a user inside the caller's transaction and uses it up: a TOTP step
/// (never twice) or, when `recovery` allows, an unused recovery code.
fn use_code(c: &mut DbConnection, user_id: i64, code: &str, recovery: bool) -> AppResult<Option<Factor>> {
    let Some((secret, _, last_step)) = repo::mfa_secret(c, user_id)? else { return Ok(None) };
    let key = totp::base32_decode(&secret).ok_or_else(|| AppError::Internal("stored TOTP secret unreadable".into()))?;
    let trimmed: String = code.chars().filter(|ch| !ch.is_whitespace()).collect();
    if trimmed.len() == totp::DIGITS as usize && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let Some(step) = totp::verify(&key, &trimmed, Utc::now().timestamp(), last_step) else { return Ok(None) };
        return Ok(repo::take_mfa_step(c, user_id, step)?.then_some(Factor::Totp));
    }
    if recovery && repo::use_recovery_code(c, user_id, &tokens::hash_opaque(&normalise_recovery(code)), now())? {
        return Ok(Some(Factor::RecoveryCode));
    }
    Ok(None)
}

/// The caller's MFA state.
pub async fn status(user: &AuthUser) -> AppResult<MfaStatus> {
    let (uid, role, commune) = (user.id, user.role, user.commune_id);
    user.run(move |c| {
        let enabled = matches!(repo::mfa_secret(c, uid)?, Some((_, Some(_), _)));
        let required = mfa_applies(role) && commune.map(|id| repo::mfa_required(c, id)).transpose()?.unwrap_or(false);
        Ok(MfaStatus {
            available: mfa_applies(role),
            enabled,
            required,
            recovery_codes_left: if enabled { repo::recovery_codes_left(c, uid)? } else { 0 },
        })
    })
    .await
}

fn start_setup(c: &mut DbConnection, user_id: i64, role: Role, username: &str) -> AppResult<MfaSetup> {
    if !mfa_applies(role) {
        return Err(AppError::Forbidden);
    }
    if matches!(repo::mfa_secret(c, user_id)?, Some((_, Some(_), _))) {
        return Err(AppError::rule("mfa_already_enabled", "Tài khoản đã bật xác thực hai lớp."));
    }
    let mut bytes = [0u8; totp::SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    let secret = totp::base32_encode(&bytes);
    repo::put_mfa_secret(c, user_id, &secret, now())?;
    Ok(MfaSetup { otpauth_uri: totp::otpauth_uri(ISSUER, username, &secret), secret })
}

/// Confirms a pending secret with a code from the app; gives the recovery codes. Audited.
fn finish_enrolment(c: &mut DbConnection, actor: &Actor, user: &UserRow, code: &str) -> AppResult<Option<Vec<String>>> {
    match repo::mfa_secret(c, user.id)? {
        None => return Err(AppError::rule("mfa_not_started", "Chưa bắt đầu thiết lập xác thực hai lớp.")),
        Some((_, Some(_), _)) => {
            return Err(AppError::rule("mfa_already_enabled", "Tài khoản đã bật xác thực hai lớp."));
        }
        Some(_) => {}
    }
    if use_code(c, user.id, code, false)?.is_none() {
        return Ok(None);
    }
    let (shown, hashes) = new_recovery_codes()?;
    repo::confirm_mfa(c, user.id, now())?;
    repo::replace_recovery_codes(c, user.id, &hashes)?;
    audit::repo::record(
        c,
        actor,
        Change {
            commune_id: user.commune_id,
            action: "mfa_enable",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            summary: serde_json::json!({ "method": "totp", "recovery_codes": RECOVERY_CODES }),
        },
    )?;
    Ok(Some(shown))
}

/// Starts enrolment for the signed-in caller (a new secret replaces an unconfirmed one).
pub async fn setup(user: &AuthUser) -> AppResult<MfaSetup> {
    let (uid, role, username) = (user.id, user.role, user.username.clone());
    user.run(move |c| write_tx(c, |c| start_setup(c, uid, role, &username))).await
}

/// Wrong codes count like wrong passwords, under their own name so they do not lock the
/// password step: 429 after the limit.
fn reserve_code_try(state: &AppState, c: &mut DbConnection, ip: &str, username: &str) -> AppResult<i64> {
    throttle::reserve_attempt(&state.config.auth, c, &throttle::client_key(ip), &format!("mfa:{username}"), now())
}

/// Confirms the caller's enrolment with a code; answers the recovery codes (shown once).
pub async fn confirm(user: &AuthUser, body: MfaCode) -> AppResult<RecoveryCodes> {
    check_code_format(&body.code)?;
    let (st, uid, ip, uname, actor) =
        (user.state.clone(), user.id, user.meta.ip.clone(), user.username.clone(), user.actor());
    user.run(move |c| {
        let attempt = reserve_code_try(&st, c, &ip, &uname)?;
        let row = crate::org::repo::get_user_row(c, uid)?;
        let done = write_tx(c, |c| {
            let codes = finish_enrolment(c, &actor, &row, &body.code)?;
            if codes.is_some() {
                repo::delete_attempt(c, attempt)?;
            }
            Ok::<_, AppError>(codes)
        })?;
        done.map(|recovery_codes| RecoveryCodes { recovery_codes }).ok_or_else(wrong_code)
    })
    .await
}

/// Turns MFA off for the caller after checking their password and a code (or a recovery
/// code). Refused while the commune requires it. Audited.
pub async fn disable(user: &AuthUser, body: DisableMfa) -> AppResult<()> {
    let mut v = Validator::new();
    if body.password.is_empty() {
        v.add("password", "required", "Cần nhập mật khẩu.");
    }
    if body.code.trim().is_empty() {
        v.add("code", "required", "Cần nhập mã xác thực.");
    }
    v.finish()?;
    check_code_format(&body.code)?;
    let (st, uid, ip, uname, role, commune) =
        (user.state.clone(), user.id, user.meta.ip.clone(), user.username.clone(), user.role, user.commune_id);
    let (attempt, stored) = user
        .run(move |c| {
            if !matches!(repo::mfa_secret(c, uid)?, Some((_, Some(_), _))) {
                return Err(AppError::rule("mfa_not_enabled", "Tài khoản chưa bật xác thực hai lớp."));
            }
            if mfa_applies(role) && commune.map(|id| repo::mfa_required(c, id)).transpose()?.unwrap_or(false) {
                return Err(AppError::rule(
                    "mfa_required_by_commune",
                    "Xã yêu cầu tài khoản quản trị và Ban điều hành dùng xác thực hai lớp.",
                ));
            }
            let attempt = throttle::reserve_attempt(&st.config.auth, c, &throttle::client_key(&ip), &uname, now())?;
            Ok((attempt, crate::org::repo::get_user_row(c, uid)?.password_hash))
        })
        .await?;
    let right = match throttle::verify_password(body.password, Some(stored)).await {
        Ok(right) => right,
        Err(e) => {
            let _ = user.run(move |c| Ok(repo::delete_attempt(c, attempt)?)).await;
            return Err(e);
        }
    };
    if !right {
        return Err(AppError::field("password", "wrong_password", "Mật khẩu không đúng."));
    }
    let (st, ip, uname, actor, code) =
        (user.state.clone(), user.meta.ip.clone(), user.username.clone(), user.actor(), body.code);
    user.run(move |c| {
        repo::delete_attempt(c, attempt)?;
        let code_try = reserve_code_try(&st, c, &ip, &uname)?;
        let done = write_tx(c, |c| {
            let Some(factor) = use_code(c, uid, &code, true)? else { return Ok(false) };
            repo::delete_attempt(c, code_try)?;
            repo::delete_mfa(c, uid)?;
            audit::repo::record(
                c,
                &actor,
                Change {
                    commune_id: actor.commune_id,
                    action: "mfa_disable",
                    entity: "user",
                    entity_id: Some(uid.to_string()),
                    summary: serde_json::json!({ "factor": factor.as_str() }),
                },
            )?;
            Ok::<_, AppError>(true)
        })?;
        if done { Ok(()) } else { Err(wrong_code()) }
    })
    .await
}

/// A live challenge of the given purpose: (id, user). Anything else is 401: sign in again.
fn live_challenge(
    c: &mut DbConnection,
    token: &str,
    purpose: MfaStep,
    now: NaiveDateTime,
) -> AppResult<(i64, UserRow)> {
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::Unauthenticated);
    }
    let Some((id, user_id, p, expires_at, failures, used_at)) = repo::find_challenge(c, &tokens::hash_opaque(token))?
    else {
        return Err(AppError::Unauthenticated);
    };
    if MfaStep::parse(&p) != Some(purpose)
        || expires_at <= now
        || used_at.is_some()
        || failures >= MAX_CHALLENGE_FAILURES
    {
        return Err(AppError::Unauthenticated);
    }
    let user = crate::org::repo::get_user_row(c, user_id)?;
    if !user.active {
        return Err(AppError::Unauthenticated);
    }
    Ok((id, user))
}

/// The second step of a sign-in: a code from the app or a recovery code opens the session.
pub async fn verify_challenge(state: &AppState, meta: &RequestMeta, body: ChallengeCode) -> AppResult<Issued> {
    check_code_format(&body.code)?;
    let (st, meta) = (state.clone(), meta.clone());
    db::run(&state.pool, move |c| {
        let now = now();
        let (challenge, user) = live_challenge(c, &body.challenge_token, MfaStep::Verify, now)?;
        let attempt = reserve_code_try(&st, c, &meta.ip, &user.username)?;
        // A wrong code must be counted even though the request fails: the transaction returns
        // the verdict as a value.
        write_tx(c, |c| -> AppResult<AppResult<Issued>> {
            let Some(factor) = use_code(c, user.id, &body.code, true)? else {
                repo::challenge_failed(c, challenge)?;
                return Ok(Err(wrong_code()));
            };
            if !repo::use_challenge(c, challenge, now)? {
                return Ok(Err(AppError::Unauthenticated));
            }
            repo::mark_attempt_succeeded(c, attempt)?;
            if matches!(factor, Factor::RecoveryCode) {
                let left = repo::recovery_codes_left(c, user.id)?;
                audit::repo::record(
                    c,
                    &actor_for(&user, &meta),
                    Change {
                        commune_id: user.commune_id,
                        action: "mfa_recovery_used",
                        entity: "user",
                        entity_id: Some(user.id.to_string()),
                        summary: serde_json::json!({ "recovery_codes_left": left }),
                    },
                )?;
            }
            open_session(&st, c, &user, &meta, now, Some(factor.as_str())).map(Ok)
        })?
    })
    .await
}

/// Enrolment during sign-in (the commune requires MFA): the secret to scan.
pub async fn challenge_setup(state: &AppState, body: ChallengeToken) -> AppResult<MfaSetup> {
    db::run(&state.pool, move |c| {
        let (_, user) = live_challenge(c, &body.challenge_token, MfaStep::Enrol, now())?;
        let role = role_of(&user)?;
        write_tx(c, |c| start_setup(c, user.id, role, &user.username))
    })
    .await
}

/// Enrolment during sign-in, confirmed with a code: the recovery codes and the session.
pub async fn challenge_confirm(state: &AppState, meta: &RequestMeta, body: ChallengeCode) -> AppResult<Enrolled> {
    check_code_format(&body.code)?;
    let (st, meta) = (state.clone(), meta.clone());
    db::run(&state.pool, move |c| {
        let now = now();
        let (challenge, user) = live_challenge(c, &body.challenge_token, MfaStep::Enrol, now)?;
        let attempt = reserve_code_try(&st, c, &meta.ip, &user.username)?;
        write_tx(c, |c| -> AppResult<AppResult<Enrolled>> {
            let Some(codes) = finish_enrolment(c, &actor_for(&user, &meta), &user, &body.code)? else {
                repo::challenge_failed(c, challenge)?;
                return Ok(Err(wrong_code()));
            };
            if !repo::use_challenge(c, challenge, now)? {
                return Ok(Err(AppError::Unauthenticated));
            }
            repo::mark_attempt_succeeded(c, attempt)?;
            let issued = open_session(&st, c, &user, &meta, now, Some(Factor::Totp.as_str()))?;
            Ok(Ok(Enrolled { recovery_codes: codes, issued }))
        })?
    })
    .await
}

/// The caller's commune's MFA policy.
pub async fn policy(state: &AppState, commune_id: i64) -> AppResult<MfaPolicy> {
    db::run(&state.pool, move |c| Ok(MfaPolicy { mfa_required: repo::mfa_required(c, commune_id)? })).await
}

/// Sets the commune's MFA policy. Audited.
pub async fn set_policy(state: &AppState, actor: Actor, commune_id: i64, body: MfaPolicy) -> AppResult<MfaPolicy> {
    db::run(&state.pool, move |c| {
        write_tx(c, |c| {
            let before = repo::mfa_required(c, commune_id)?;
            // Saving the policy it already has changes nothing, and writes nothing.
            if before != body.mfa_required {
                repo::set_mfa_required(c, commune_id, body.mfa_required, now())?;
                audit::repo::record_entity(
                    c,
                    &actor,
                    commune_id,
                    "update",
                    "commune_security",
                    commune_id,
                    serde_json::json!({ "mfa_required": [before, body.mfa_required] }),
                )?;
            }
            Ok(MfaPolicy { mfa_required: body.mfa_required })
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_distinct_and_match_their_hashes_as_typed() {
        let (shown, hashes) = new_recovery_codes().unwrap();
        assert_eq!(shown.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = shown.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        for (code, hash) in shown.iter().zip(&hashes) {
            assert_eq!(code.len(), 11, "{code}");
            assert_eq!(&tokens::hash_opaque(&normalise_recovery(&code.to_uppercase().replace('-', " "))), hash);
        }
    }

    #[test]
    fn challenge_expiry_is_short() {
        let secs = crate::auth::service::MFA_CHALLENGE_SECS;
        assert!((60..=600).contains(&secs));
    }
}
