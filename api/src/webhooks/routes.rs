//! HTTP handlers of webhook subscriptions and their delivery log (admins and oversight users
//! managing the key; keys cannot manage them).

use actix_web::{HttpResponse, delete, get, patch, post, web};

use super::model::*;
use super::{deliver, service};
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::{JsonBody, Path};

/// Subscribes a key (with the `receive_webhooks` scope) to events at a URL. The answer
/// holds the signing secret, shown this once.
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The API key")),
    request_body = CreateSubscription,
    responses(
        (status = 201, description = "Subscribed; the secret is shown this once", body = CreatedSubscription),
        (status = 409, description = "The key lacks `receive_webhooks` (`scope_missing`) or is revoked (`key_not_active`)", body = crate::error::Problem),
        (status = 422, description = "A bad URL (`invalid_format`, `tls_not_available`, `private_target`) or event", body = crate::error::Problem)
    )
)]
#[post("/api-keys/{id}/webhooks")]
pub async fn webhook_create(
    user: Allowed<can::ManageApiKeys>,
    id: Path<i64>,
    body: JsonBody<CreateSubscription>,
) -> AppResult<HttpResponse> {
    let policy = deliver::policy(&user.state.config.integration);
    let created = user.act(move |c, caller| service::create(c, caller, id.into_inner(), body.0, &policy)).await?;
    Ok(HttpResponse::Created().insert_header(("cache-control", "no-store")).json(created))
}

/// A key's subscriptions (never their secrets).
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The API key")),
    responses((status = 200, description = "Subscriptions", body = Vec<Subscription>))
)]
#[get("/api-keys/{id}/webhooks")]
pub async fn webhook_list(user: Allowed<can::ManageApiKeys>, id: Path<i64>) -> AppResult<web::Json<Vec<Subscription>>> {
    Ok(web::Json(user.act(move |c, caller| service::list(c, caller, id.into_inner())).await?))
}

/// Turns a subscription off, or on again (its failure count cleared).
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The subscription")),
    request_body = UpdateSubscription,
    responses((status = 200, description = "The subscription", body = Subscription))
)]
#[patch("/webhooks/{id}")]
pub async fn webhook_update(
    user: Allowed<can::ManageApiKeys>,
    id: Path<i64>,
    body: JsonBody<UpdateSubscription>,
) -> AppResult<web::Json<Subscription>> {
    Ok(web::Json(user.act(move |c, caller| service::update(c, caller, id.into_inner(), body.0)).await?))
}

/// Deletes a subscription for good, with its delivery log (turning it off keeps both).
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The subscription")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such subscription on a key the caller manages", body = crate::error::Problem)
    )
)]
#[delete("/webhooks/{id}")]
pub async fn webhook_delete(user: Allowed<can::ManageApiKeys>, id: Path<i64>) -> AppResult<HttpResponse> {
    user.act(move |c, caller| service::delete(c, caller, id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The delivery log: the latest 100 deliveries with every attempt and the receiver's answer.
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The subscription")),
    responses((status = 200, description = "Deliveries, newest first", body = Vec<Delivery>))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn webhook_deliveries(
    user: Allowed<can::ManageApiKeys>,
    id: Path<i64>,
) -> AppResult<web::Json<Vec<Delivery>>> {
    Ok(web::Json(user.act(move |c, caller| service::deliveries(c, caller, id.into_inner())).await?))
}

/// Sends a delivery again (queued for now, whatever became of it).
#[utoipa::path(
    tag = "integration",
    params(("id" = i64, Path, description = "The delivery")),
    responses((status = 204, description = "Queued"))
)]
#[post("/webhook-deliveries/{id}/resend")]
pub async fn webhook_resend(user: Allowed<can::ManageApiKeys>, id: Path<i64>) -> AppResult<HttpResponse> {
    user.act(move |c, caller| service::resend(c, caller, id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(webhook_create)
        .service(webhook_list)
        .service(webhook_update)
        .service(webhook_delete)
        .service(webhook_deliveries)
        .service(webhook_resend);
}
