//! `/api/v1/auth/*`.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::service::{self, ChangePassword, Issued, LoginOutcome, LoginRequest, MfaChallengeResponse, TokenResponse};
use super::{Allowed, AuthUser, Permission, can, mfa, role_permissions};
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
    let cookie = refresh_cookie(state, meta, &issued);
    HttpResponse::Ok().cookie(cookie).json(issued.body)
}

fn refresh_cookie(state: &AppState, meta: &RequestMeta, issued: &Issued) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, issued.refresh_token.clone())
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure(state, meta))
        .max_age(CookieDuration::seconds(issued.refresh_max_age_secs))
        .finish()
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
        (status = 202, description = "Password right, a second step is needed (`mfa`: `verify` or `enrol`)", body = MfaChallengeResponse),
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
    match service::login(&state, &meta, body.0).await? {
        LoginOutcome::Signed(issued) => Ok(with_cookie(&state, &meta, issued)),
        LoginOutcome::Challenge(challenge) => Ok(HttpResponse::Accepted().json(challenge)),
    }
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
    responses((status = 200, description = "The caller", body = Me))
)]
#[get("/auth/me")]
pub async fn me(user: AuthUser) -> AppResult<web::Json<Me>> {
    let uid = user.id;
    let ctx = user.run(move |c| Ok(crate::org::repo::user_context(c, uid)?)).await?;
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
    responses((status = 204, description = "Password changed"))
)]
#[post("/auth/password")]
pub async fn change_password(user: AuthUser, body: JsonBody<ChangePassword>) -> AppResult<HttpResponse> {
    service::change_password(&user.state, &user, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me).service(change_password);
    configure_mfa(cfg);
}

/// The caller's MFA state.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "MFA state", body = mfa::MfaStatus))
)]
#[get("/auth/mfa")]
pub async fn mfa_status(user: AuthUser) -> AppResult<web::Json<mfa::MfaStatus>> {
    Ok(web::Json(mfa::status(&user).await?))
}

/// Starts MFA enrolment (admin and board): a new secret and its `otpauth://` URI for the QR code.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The secret to scan", body = mfa::MfaSetup),
        (status = 403, description = "MFA is for admin and board accounts", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`mfa_already_enabled`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/setup")]
pub async fn mfa_setup(user: AuthUser) -> AppResult<web::Json<mfa::MfaSetup>> {
    Ok(web::Json(mfa::setup(&user).await?))
}

/// Confirms MFA enrolment with a code from the app; answers the recovery codes, shown once.
#[utoipa::path(
    tag = "auth",
    request_body = mfa::MfaCode,
    responses(
        (status = 200, description = "MFA is on; the recovery codes", body = mfa::RecoveryCodes),
        (status = 409, description = "`mfa_not_started` or `mfa_already_enabled`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code (`wrong_code` on `code`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes (`rate_limited`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/confirm")]
pub async fn mfa_confirm(user: AuthUser, body: JsonBody<mfa::MfaCode>) -> AppResult<web::Json<mfa::RecoveryCodes>> {
    Ok(web::Json(mfa::confirm(&user, body.0).await?))
}

/// Turns MFA off, with the password and a code (or a recovery code).
#[utoipa::path(
    tag = "auth",
    request_body = mfa::DisableMfa,
    responses(
        (status = 204, description = "MFA is off"),
        (status = 409, description = "`mfa_not_enabled` or `mfa_required_by_commune`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password or code", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/disable")]
pub async fn mfa_disable(user: AuthUser, body: JsonBody<mfa::DisableMfa>) -> AppResult<HttpResponse> {
    mfa::disable(&user, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The second step of a sign-in: the challenge token and a code from the app (or a recovery code).
#[utoipa::path(
    tag = "auth",
    request_body = mfa::ChallengeCode,
    responses(
        (status = 200, description = "Signed in; the refresh token is set as an HttpOnly cookie", body = TokenResponse),
        (status = 401, description = "Challenge unknown, expired, used or failed too often: sign in again", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code (`wrong_code` on `code`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes (`rate_limited`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/verify")]
pub async fn mfa_verify(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: JsonBody<mfa::ChallengeCode>,
) -> AppResult<HttpResponse> {
    let issued = mfa::verify_challenge(&state, &meta, body.0).await?;
    Ok(with_cookie(&state, &meta, issued))
}

/// Enrolment required at sign-in: the secret to scan, for an `enrol` challenge.
#[utoipa::path(
    tag = "auth",
    request_body = mfa::ChallengeToken,
    responses(
        (status = 200, description = "The secret to scan", body = mfa::MfaSetup),
        (status = 401, description = "Challenge unknown, expired or used", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/enrol/setup")]
pub async fn mfa_enrol_setup(
    state: web::Data<AppState>,
    body: JsonBody<mfa::ChallengeToken>,
) -> AppResult<web::Json<mfa::MfaSetup>> {
    Ok(web::Json(mfa::challenge_setup(&state, body.0).await?))
}

/// Enrolment finished at sign-in: the recovery codes (shown once) and the session.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolledResponse {
    pub recovery_codes: Vec<String>,
    pub session: TokenResponse,
}

/// Enrolment required at sign-in, confirmed with a code: the recovery codes and the session.
#[utoipa::path(
    tag = "auth",
    request_body = mfa::ChallengeCode,
    responses(
        (status = 200, description = "MFA is on and the user signed in (refresh cookie set)", body = EnrolledResponse),
        (status = 401, description = "Challenge unknown, expired, used or failed too often", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong code (`wrong_code` on `code`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/mfa/enrol/confirm")]
pub async fn mfa_enrol_confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: JsonBody<mfa::ChallengeCode>,
) -> AppResult<HttpResponse> {
    let done = mfa::challenge_confirm(&state, &meta, body.0).await?;
    let cookie = refresh_cookie(&state, &meta, &done.issued);
    Ok(HttpResponse::Ok()
        .cookie(cookie)
        .json(EnrolledResponse { recovery_codes: done.recovery_codes, session: done.issued.body }))
}

/// The commune's MFA policy.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The policy", body = mfa::MfaPolicy))
)]
#[get("/auth/mfa/policy")]
pub async fn get_mfa_policy(user: Allowed<can::ManageSettings>) -> AppResult<web::Json<mfa::MfaPolicy>> {
    let commune = user.commune()?;
    Ok(web::Json(mfa::policy(&user.state, commune).await?))
}

/// Makes MFA required (or not) for the commune's admin and board accounts. Audited.
#[utoipa::path(
    tag = "auth",
    request_body = mfa::MfaPolicy,
    responses((status = 200, description = "The policy now", body = mfa::MfaPolicy))
)]
#[put("/auth/mfa/policy")]
pub async fn put_mfa_policy(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<mfa::MfaPolicy>,
) -> AppResult<web::Json<mfa::MfaPolicy>> {
    let commune = user.commune()?;
    Ok(web::Json(mfa::set_policy(&user.state, user.actor(), commune, body.0).await?))
}

/// Registers the MFA routes.
pub fn configure_mfa(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(mfa_status)
        .service(get_mfa_policy)
        .service(put_mfa_policy)
        .service(mfa_setup)
        .service(mfa_confirm)
        .service(mfa_disable)
        .service(mfa_verify)
        .service(mfa_enrol_setup)
        .service(mfa_enrol_confirm);
}
