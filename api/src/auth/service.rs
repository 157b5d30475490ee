//! Login, refresh-token rotation, logout and password changes.

use chrono::{Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{password, repo, tokens};
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

fn actor_for(u: &UserRow, meta: &RequestMeta) -> Actor {
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

/// 429 when this address has failed too often, for this username or overall.
fn check_throttle(state: &AppState, conn: &mut db::DbConnection, ip: &str, username: &str) -> AppResult<()> {
    let cfg = &state.config.auth;
    let window = Duration::minutes(cfg.login_window_minutes);
    let now = now();
    let ((user_fails, user_oldest), (ip_fails, ip_oldest)) = repo::failures_since(conn, ip, username, now - window)?;
    let retry = |oldest: Option<NaiveDateTime>| {
        let until = oldest.unwrap_or(now) + window;
        (until - now).num_seconds().max(1) as u64
    };
    if user_fails >= cfg.login_max_failures_per_user {
        return Err(AppError::RateLimited { retry_after_secs: retry(user_oldest) });
    }
    if ip_fails >= cfg.login_max_failures_per_ip {
        return Err(AppError::RateLimited { retry_after_secs: retry(ip_oldest) });
    }
    Ok(())
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
pub async fn login(state: &AppState, meta: &RequestMeta, req: LoginRequest) -> AppResult<Issued> {
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
    let ip = meta.ip.clone();

    let st = state.clone();
    let (u, ip2) = (username.clone(), ip.clone());
    let user = db::run(&state.pool, move |c| {
        check_throttle(&st, c, &ip2, &u)?;
        Ok(repo::find_user_by_username(c, &u)?)
    })
    .await?;

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password = req.password;
    let ok = crate::blocking::run(move || match stored {
        Some(h) => password::verify_password(&password, &h),
        None => password::verify_password(&password, password::dummy_hash()).map(|_| false),
    })
    .await?;

    let st = state.clone();
    let meta = meta.clone();
    db::run(&state.pool, move |c| {
        let now = now();
        match user {
            Some(user) if ok && user.active => write_tx(c, |c| {
                repo::record_attempt(c, &meta.ip, &username, true, now)?;
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
                audit::repo::record(
                    c,
                    &actor_for(&user, &meta),
                    Change {
                        commune_id: user.commune_id,
                        action: "login",
                        entity: "session",
                        entity_id: Some(session_id.clone()),
                        summary: serde_json::json!({ "user_agent": meta.user_agent }),
                    },
                )?;
                issue(&st, c, &user, &session_id, now)
            }),
            _ => {
                repo::record_attempt(c, &meta.ip, &username, false, now)?;
                Err(AppError::InvalidCredentials)
            }
        }
    })
    .await
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
    password::check_new_password(&mut v, "new_password", &req.new_password, &user.username);
    v.finish()?;
    let (uid, ip, uname) = (user.id, user.meta.ip.clone(), user.username.clone());
    let st = state.clone();
    let stored = db::run(&state.pool, move |c| {
        check_throttle(&st, c, &ip, &uname)?;
        Ok(crate::org::repo::get_user_row(c, uid)?.password_hash)
    })
    .await?;
    let (current, new) = (req.current_password, req.new_password);
    let hashed = crate::blocking::run(move || -> AppResult<Option<String>> {
        if !password::verify_password(&current, &stored)? {
            return Ok(None);
        }
        password::hash_password(&new).map(Some)
    })
    .await?;
    let actor = user.actor();
    let (sid, ip, uname) = (user.session_id.clone(), user.meta.ip.clone(), user.username.clone());
    db::run(&state.pool, move |c| {
        let now = now();
        let Some(hash) = hashed else {
            repo::record_attempt(c, &ip, &uname, false, now)?;
            return Err(AppError::field("current_password", "wrong_password", "Mật khẩu hiện tại không đúng."));
        };
        write_tx(c, |c| {
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
