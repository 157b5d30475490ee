//! HTTP handlers of API key management (signed-in admins and oversight users only; keys
//! cannot manage keys).

use actix_web::{HttpResponse, get, post, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::{JsonBody, Path};

/// Keys the caller manages (a commune admin: its commune's; an oversight user: its
/// province's), newest first, with their use today and over 30 days.
#[utoipa::path(
    tag = "integration",
    responses((status = 200, description = "The keys (never their secrets)", body = Vec<ApiKey>))
)]
#[get("/api-keys")]
pub async fn list_keys(user: Allowed<can::ManageApiKeys>) -> AppResult<web::Json<Vec<ApiKey>>> {
    Ok(web::Json(user.act(service::list).await?))
}

/// Issues a key. The answer holds the whole key once; only its SHA-256 is kept.
#[utoipa::path(
    tag = "integration",
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key and its secret, shown this once", body = IssuedKey),
        (status = 409, description = "A test key outside the sandbox commune (`test_key_needs_sandbox`)", body = crate::error::Problem),
        (status = 422, description = "A field is wrong", body = crate::error::Problem),
    )
)]
#[post("/api-keys")]
pub async fn create_key(user: Allowed<can::ManageApiKeys>, body: JsonBody<CreateApiKey>) -> AppResult<HttpResponse> {
    let issued = user.act(move |c, caller| service::create(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().insert_header(("cache-control", "no-store")).json(issued))
}

/// One key with its use per day and endpoint (last 30 days).
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "Key id")),
    responses(
        (status = 200, description = "The key and its use", body = ApiKeyDetail),
        (status = 404, description = "No such key among the caller's", body = crate::error::Problem),
    )
)]
#[get("/api-keys/{id}")]
pub async fn get_key(user: Allowed<can::ManageApiKeys>, id: Path<i64>) -> AppResult<web::Json<ApiKeyDetail>> {
    Ok(web::Json(user.act(move |c, caller| service::detail(c, caller, id.into_inner())).await?))
}

/// Rotates a key: a new key with the same name, scopes and limits; the old one keeps working
/// until `old_valid_until` (at most 30 days), then is refused.
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "Key id")),
    request_body = RotateApiKey,
    responses(
        (status = 201, description = "The new key and its secret, shown this once", body = IssuedKey),
        (status = 404, description = "No such key among the caller's", body = crate::error::Problem),
        (status = 409, description = "The key is revoked, expired or already rotated (`key_not_active`)", body = crate::error::Problem),
    )
)]
#[post("/api-keys/{id}/rotate")]
pub async fn rotate_key(
    user: Allowed<can::ManageApiKeys>,
    id: Path<i64>,
    body: JsonBody<RotateApiKey>,
) -> AppResult<HttpResponse> {
    let issued = user.act(move |c, caller| service::rotate(c, caller, id.into_inner(), body.0)).await?;
    Ok(HttpResponse::Created().insert_header(("cache-control", "no-store")).json(issued))
}

/// Revokes a key at once: its next request is refused.
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "Key id")),
    responses(
        (status = 200, description = "The revoked key", body = ApiKey),
        (status = 404, description = "No such key among the caller's", body = crate::error::Problem),
    )
)]
#[post("/api-keys/{id}/revoke")]
pub async fn revoke_key(user: Allowed<can::ManageApiKeys>, id: Path<i64>) -> AppResult<web::Json<ApiKey>> {
    Ok(web::Json(user.act(move |c, caller| service::revoke(c, caller, id.into_inner())).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_keys).service(create_key).service(get_key).service(rotate_key).service(revoke_key);
}
