//! `/api/v1/auth/*`.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::service::{self, ChangePassword, Issued, LoginRequest, TokenResponse};
use super::{AuthUser, Permission, role_permissions};
use crate::error::AppResult;
use crate::http::{JsonBody, RequestMeta};
use crate::org::model::{Authority, Commune, Unit, User};
use crate::state::AppState;

/// Name of the refresh-token cookie (scoped to `/api/v1/auth`).
pub const REFRESH_COOKIE: &str = "tt_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

fn secure(state: &AppState, meta: &RequestMeta) -> bool {
    state.config.auth.cookie_secure.unwrap_or(meta.secure)
}

fn with_cookie(state: &AppState, meta: &RequestMeta, issued: Issued) -> HttpResponse {
    let cookie = Cookie::build(REFRESH_COOKIE, issued.refresh_token)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure(state, meta))
        .max_age(CookieDuration::seconds(issued.refresh_max_age_secs))
        .finish();
    HttpResponse::Ok().cookie(cookie).json(issued.body)
}

fn clear_cookie(state: &AppState, meta: &RequestMeta) -> Cookie<'static> {
    let mut c = Cookie::build(REFRESH_COOKIE, "")
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure(state, meta))
        .finish();
    c.make_removal();
    c
}

/// Signs in with username and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = TokenResponse),
        (status = 401, description = "Wrong username or password (`invalid_credentials`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failures from this address (`rate_limited`, see Retry-After)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: JsonBody<LoginRequest>,
) -> AppResult<HttpResponse> {
    let issued = service::login(&state, &meta, body.0).await?;
    Ok(with_cookie(&state, &meta, issued))
}

/// Exchanges the refresh cookie for a new access token and a new refresh cookie.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "No, expired, revoked or reused refresh token", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, meta: RequestMeta, req: HttpRequest) -> AppResult<HttpResponse> {
    let token = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string());
    match service::refresh(&state, &meta, token).await {
        Ok(issued) => Ok(with_cookie(&state, &meta, issued)),
        Err(e) => {
            let mut res = actix_web::ResponseError::error_response(&e);
            let _ = res.add_cookie(&clear_cookie(&state, &meta));
            Ok(res)
        }
    }
}

/// Signs out: the session ends now, for the access token and the refresh cookie alike.
#[utoipa::path(tag = "auth", responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    meta: RequestMeta,
    req: HttpRequest,
    user: Option<AuthUser>,
) -> AppResult<HttpResponse> {
    let from_token = user.map(|u| (u.session_id.clone(), u.actor()));
    let refresh_token = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string());
    service::logout(&state, &meta, from_token, refresh_token).await?;
    Ok(HttpResponse::NoContent().cookie(clear_cookie(&state, &meta)).finish())
}

/// Who the caller is, with what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub permissions: Vec<Permission>,
    pub commune: Option<Commune>,
    pub unit: Option<Unit>,
    pub authority: Option<Authority>,
}

/// The signed-in user, their permissions, commune, unit or authority.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The caller", body = Me)),
    security(("bearer" = []))
)]
#[get("/auth/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> AppResult<web::Json<Me>> {
    let uid = user.id;
    let ctx = crate::db::run(&state.pool, move |c| Ok(crate::org::repo::user_context(c, uid)?)).await?;
    Ok(web::Json(Me {
        permissions: role_permissions(user.role).to_vec(),
        user: ctx.user,
        commune: ctx.commune,
        unit: ctx.unit,
        authority: ctx.authority,
    }))
}

/// Changes the caller's password; their other sessions end.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePassword,
    responses((status = 204, description = "Password changed")),
    security(("bearer" = []))
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<ChangePassword>,
) -> AppResult<HttpResponse> {
    service::change_password(&state, &user, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me).service(change_password);
}
