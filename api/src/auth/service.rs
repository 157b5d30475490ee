//! Login, refresh-token rotation, logout and password changes.

use chrono::{Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{password, repo, throttle, tokens};
use crate::audit::{self, Actor, Change};
use crate::db::{self, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::http::RequestMeta;
use crate::org::model::Role;
use crate::org::model::UserRow;
use crate::state::AppState;

/// Body of `POST /auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The user as the token response describes them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// Answer of login and refresh. The refresh token travels only in an HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: TokenUser,
}

/// A new access token plus the refresh token to set as a cookie.
pub struct Issued {
    pub body: TokenResponse,
    pub refresh_token: String,
    pub refresh_max_age_secs: i64,
}

crate::text_enum! {
    /// What the second step of a sign-in asks for.
    pub enum MfaStep {
        /// Type a code from the authenticator app, or a recovery code.
        Verify = "verify",
        /// The commune requires MFA and the account has none yet: enrol first.
        Enrol = "enrol",
    }
}

/// Answer of a sign-in whose password was right but which needs a second step (202).
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaChallengeResponse {
    pub mfa: MfaStep,
    /// Short-lived token for `/auth/mfa/verify` (or the enrolment calls); no session yet.
    pub challenge_token: String,
    /// Seconds until the challenge expires.
    pub expires_in: i64,
}

/// How a sign-in ends: a session, or a second step.
pub enum LoginOutcome {
    Signed(Issued),
    Challenge(MfaChallengeResponse),
}

/// Seconds a sign-in's second step stays open.
pub const MFA_CHALLENGE_SECS: i64 = 300;

/// Whether a role may (and, where the commune says so, must) use MFA: admin and board.
pub fn mfa_applies(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Board)
}

/// Body of `POST /auth/password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn token_user(u: &UserRow) -> AppResult<TokenUser> {
    Ok(TokenUser {
        id: u.id,
        username: u.username.clone(),
        full_name: u.full_name.clone(),
        role: Role::parse(&u.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", u.role)))?,
        commune_id: u.commune_id,
        unit_id: u.unit_id,
    })
}

/// The audit identity of a user acting before they have a session.
pub fn actor_for(u: &UserRow, meta: &RequestMeta) -> Actor {
    Actor {
        user_id: Some(u.id),
        username: Some(u.username.clone()),
        role: Some(u.role.clone()),
        commune_id: u.commune_id,
        request_id: Some(meta.request_id.clone()),
        ip: Some(meta.ip.clone()),
    }
}

/// Normalises a username for lookup and storage.
pub fn normalise_username(s: &str) -> String {
    s.trim().to_lowercase()
}

fn issue(
    state: &AppState,
    conn: &mut db::DbConnection,
    user: &UserRow,
    session_id: &str,
    now: NaiveDateTime,
) -> AppResult<Issued> {
    let cfg = &state.config.auth;
    let (refresh, refresh_hash) = tokens::new_opaque_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let refresh_ttl = Duration::days(cfg.refresh_token_days);
    repo::insert_refresh_token(conn, session_id, &refresh_hash, now, now + refresh_ttl)?;
    let ttl = cfg.access_token_minutes * 60;
    let access = state
        .keys
        .sign(user.id, session_id, now.and_utc().timestamp(), ttl)
        .map_err(|e| AppError::Internal(format!("signing failed: {e}")))?;
    Ok(Issued {
        body: TokenResponse {
            access_token: access,
            token_type: "Bearer".into(),
            expires_in: ttl,
            user: token_user(user)?,
        },
        refresh_token: refresh,
        refresh_max_age_secs: refresh_ttl.num_seconds(),
    })
}

/// Checks credentials and opens a session. Unknown user, wrong password and disabled account
/// all answer `invalid_credentials` after the same amount of hashing work.
pub async fn login(state: &AppState, meta: &RequestMeta, req: LoginRequest) -> AppResult<LoginOutcome> {
    let mut v = Validator::new();
    if req.username.trim().is_empty() {
        v.add("username", "required", "Cần nhập tên đăng nhập.");
    } else if req.username.chars().count() > 64 {
        v.add("username", "too_long", "Tên đăng nhập tối đa 64 ký tự.");
    }
    if req.password.is_empty() {
        v.add("password", "required", "Cần nhập mật khẩu.");
    } else if req.password.chars().count() > password::MAX_PASSWORD_CHARS {
        v.add("password", "too_long", "Mật khẩu quá dài.");
    }
    v.finish()?;
    let username = normalise_username(&req.username);
    let key = throttle::client_key(&meta.ip);

    let st = state.clone();
    let (u, k) = (username.clone(), key.clone());
    let (attempt, user) = db::run(&state.pool, move |c| {
        let attempt = throttle::reserve_attempt(&st.config.auth, c, &k, &u, now())?;
        Ok((attempt, repo::find_user_by_username(c, &u)?))
    })
    .await?;

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = match throttle::verify_password(req.password, stored).await {
        Ok(ok) => ok,
        Err(e) => {
            // The password was never checked: the reservation is no failure. Should forgetting
            // it fail too, the original error matters more.
            let _ = db::run(&state.pool, move |c| Ok(repo::delete_attempt(c, attempt)?)).await;
            return Err(e);
        }
    };

    let st = state.clone();
    let meta = meta.clone();
    db::run(&state.pool, move |c| {
        let now = now();
        match user {
            Some(user) if ok && user.active => write_tx(c, |c| {
                repo::mark_attempt_succeeded(c, attempt)?;
                if let Some(step) = second_step(c, &user)? {
                    let (token, hash) = tokens::new_opaque_token().map_err(|e| AppError::Internal(e.to_string()))?;
                    let expires = now + Duration::seconds(MFA_CHALLENGE_SECS);
                    repo::create_challenge(c, &hash, user.id, step.as_str(), now, expires)?;
                    return Ok(LoginOutcome::Challenge(MfaChallengeResponse {
                        mfa: step,
                        challenge_token: token,
                        expires_in: MFA_CHALLENGE_SECS,
                    }));
                }
                open_session(&st, c, &user, &meta, now, None).map(LoginOutcome::Signed)
            }),
            // The reservation stays: it is the failed attempt.
            _ => Err(AppError::InvalidCredentials),
        }
    })
    .await
}

/// Whether a user whose password was right must pass a second step: a code when MFA is on,
/// enrolment when the commune requires it of their role and they have none.
fn second_step(c: &mut db::DbConnection, user: &UserRow) -> AppResult<Option<MfaStep>> {
    let role = Role::parse(&user.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", user.role)))?;
    if !mfa_applies(role) {
        return Ok(None);
    }
    if matches!(repo::mfa_secret(c, user.id)?, Some((_, Some(_), _))) {
        return Ok(Some(MfaStep::Verify));
    }
    let required = match user.commune_id {
        Some(commune) => repo::mfa_required(c, commune)?,
        None => false,
    };
    Ok(required.then_some(MfaStep::Enrol))
}

/// Opens a session for a user who proved who they are (inside the caller's transaction),
/// audited as a login; `mfa` names the second factor used, if any.
pub fn open_session(
    st: &AppState,
    c: &mut db::DbConnection,
    user: &UserRow,
    meta: &RequestMeta,
    now: NaiveDateTime,
    mfa: Option<&str>,
) -> AppResult<Issued> {
    let session_id = uuid::Uuid::new_v4().to_string();
    repo::create_session(
        c,
        &repo::NewSession {
            id: &session_id,
            user_id: user.id,
            now,
            expires_at: now + Duration::days(st.config.auth.session_max_days),
            ip: &meta.ip,
            user_agent: meta.user_agent.as_deref(),
        },
    )?;
    repo::set_last_login(c, user.id, now)?;
    let mut summary = serde_json::json!({ "user_agent": meta.user_agent });
    if let Some(factor) = mfa {
        summary["mfa"] = serde_json::json!(factor);
    }
    audit::repo::record(
        c,
        &actor_for(user, meta),
        Change {
            commune_id: user.commune_id,
            action: "login",
            entity: "session",
            entity_id: Some(session_id.clone()),
            summary,
        },
    )?;
    issue(st, c, user, &session_id, now)
}

/// Rotates a refresh token. A token presented twice means it leaked: the whole session is
/// revoked and both holders must sign in again.
pub async fn refresh(state: &AppState, meta: &RequestMeta, token: Option<String>) -> AppResult<Issued> {
    let token = token.filter(|t| !t.is_empty() && t.len() <= 128).ok_or(AppError::Unauthenticated)?;
    let hash = tokens::hash_opaque(&token);
    let st = state.clone();
    let meta = meta.clone();
    // The reuse verdict must be committed even though the request fails, so the transaction
    // returns it as a value instead of an error.
    db::run(&state.pool, move |c| {
        write_tx(c, |c| {
            let now = now();
            let Some(found) = repo::find_refresh(c, &hash)? else { return Ok(Err(AppError::Unauthenticated)) };
            if found.used || !repo::mark_refresh_used(c, found.token_id, now)? {
                if repo::revoke_session(c, &found.session_id, "refresh_token_reuse", now)? {
                    audit::repo::record(
                        c,
                        &actor_for(&found.user, &meta),
                        Change {
                            commune_id: found.user.commune_id,
                            action: "revoke",
                            entity: "session",
                            entity_id: Some(found.session_id.clone()),
                            summary: serde_json::json!({ "reason": "refresh_token_reuse" }),
                        },
                    )?;
                }
                return Ok(Err(AppError::Unauthenticated));
            }
            if found.session_revoked
                || found.session_expires_at <= now
                || found.token_expires_at <= now
                || !found.user.active
            {
                return Ok(Err(AppError::Unauthenticated));
            }
            repo::touch_session(c, &found.session_id, now)?;
            Ok(issue(&st, c, &found.user, &found.session_id, now))
        })
    })
    .await?
}

/// Ends the session named by the access token or the refresh cookie. Always succeeds.
pub async fn logout(
    state: &AppState,
    meta: &RequestMeta,
    session_from_token: Option<(String, Actor)>,
    refresh: Option<String>,
) -> AppResult<()> {
    let meta = meta.clone();
    db::run(&state.pool, move |c| {
        let now = now();
        let target = match session_from_token {
            Some((sid, actor)) => Some((sid, actor)),
            None => match refresh.filter(|t| t.len() <= 128) {
                Some(t) => {
                    repo::find_refresh(c, &tokens::hash_opaque(&t))?.map(|f| (f.session_id, actor_for(&f.user, &meta)))
                }
                None => None,
            },
        };
        if let Some((sid, actor)) = target {
            write_tx(c, |c| {
                if repo::revoke_session(c, &sid, "logout", now)? {
                    audit::repo::record(
                        c,
                        &actor,
                        Change {
                            commune_id: actor.commune_id,
                            action: "logout",
                            entity: "session",
                            entity_id: Some(sid.clone()),
                            summary: serde_json::json!({}),
                        },
                    )?;
                }
                Ok::<_, AppError>(())
            })?;
        }
        Ok(())
    })
    .await
}

/// Changes the caller's own password after checking the current one; ends their other sessions.
pub async fn change_password(state: &AppState, user: &super::AuthUser, req: ChangePassword) -> AppResult<()> {
    let mut v = Validator::new();
    if req.current_password.is_empty() {
        v.add("current_password", "required", "Cần nhập mật khẩu hiện tại.");
    }
    v.finish()?;
    let (uid, commune) = (user.id, user.commune_id);
    let (key, uname) = (throttle::client_key(&user.meta.ip), user.username.clone());
    let st = state.clone();
    let (attempt, stored, commune_name) = db::run(&state.pool, move |c| {
        let attempt = throttle::reserve_attempt(&st.config.auth, c, &key, &uname, now())?;
        let stored = crate::org::repo::get_user_row(c, uid)?.password_hash;
        let commune_name = commune.map(|id| crate::org::repo::commune_name(c, id)).transpose()?;
        Ok((attempt, stored, commune_name))
    })
    .await?;
    let mut v = Validator::new();
    let ctx = password::PasswordContext { username: &user.username, commune_name: commune_name.as_deref() };
    password::check_new_password(&mut v, "new_password", &req.new_password, ctx);
    if req.new_password == req.current_password {
        v.add("new_password", "same_as_current", "Mật khẩu mới phải khác mật khẩu hiện tại.");
    }
    if let Err(e) = v.finish() {
        db::run(&state.pool, move |c| Ok(repo::delete_attempt(c, attempt)?)).await?;
        return Err(e);
    }
    let (current, new) = (req.current_password, req.new_password);
    let right = throttle::verify_password(current, Some(stored)).await;
    let hashed = match right {
        Ok(true) => throttle::hash_password(new).await.map(Some),
        Ok(false) => Ok(None),
        Err(e) => Err(e),
    };
    let hashed = match hashed {
        Ok(h) => h,
        Err(e) => {
            let _ = db::run(&state.pool, move |c| Ok(repo::delete_attempt(c, attempt)?)).await;
            return Err(e);
        }
    };
    let actor = user.actor();
    let sid = user.session_id.clone();
    db::run(&state.pool, move |c| {
        let now = now();
        let Some(hash) = hashed else {
            // The reservation stays: it is the failed attempt.
            return Err(AppError::field("current_password", "wrong_password", "Mật khẩu hiện tại không đúng."));
        };
        write_tx(c, |c| {
            repo::delete_attempt(c, attempt)?;
            repo::set_password(c, uid, &hash, now)?;
            let ended = repo::revoke_user_sessions(c, uid, Some(&sid), "password_changed", now)?;
            audit::repo::record(
                c,
                &actor,
                Change {
                    commune_id: actor.commune_id,
                    action: "password_change",
                    entity: "user",
                    entity_id: Some(uid.to_string()),
                    summary: serde_json::json!({ "other_sessions_ended": ended }),
                },
            )?;
            Ok(())
        })
    })
    .await
}
