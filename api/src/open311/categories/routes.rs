//! HTTP handlers of the commune's feedback categories (permission `manage_settings`).

use actix_web::{HttpResponse, get, patch, post, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::{JsonBody, Path};

/// The commune's feedback categories (its Open311 services), inactive ones included; the
/// defaults while it has made no change.
#[utoipa::path(
    tag = "open311",
    responses((status = 200, description = "Categories by position", body = Vec<FeedbackCategory>))
)]
#[get("/feedback-categories")]
pub async fn category_list(user: Allowed<can::ManageSettings>) -> AppResult<web::Json<Vec<FeedbackCategory>>> {
    Ok(web::Json(user.act(service::list).await?))
}

/// Adds a category (a new Open311 service code of the commune).
#[utoipa::path(
    tag = "open311",
    request_body = CreateCategory,
    responses(
        (status = 201, description = "The category", body = FeedbackCategory),
        (status = 422, description = "A field is wrong, or the code exists in the commune (`duplicate`)", body = crate::error::Problem),
    )
)]
#[post("/feedback-categories")]
pub async fn category_create(
    user: Allowed<can::ManageSettings>,
    body: JsonBody<CreateCategory>,
) -> AppResult<HttpResponse> {
    let made = user.act(move |c, caller| service::create(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(made))
}

/// Changes a category, or deactivates it (`active: false`). A code a request used stays.
#[utoipa::path(
    tag = "open311",
    params(("id" = i64, Path, description = "The category")),
    request_body = UpdateCategory,
    responses(
        (status = 200, description = "The category", body = FeedbackCategory),
        (status = 404, description = "Not a category of the caller's commune", body = crate::error::Problem),
        (status = 409, description = "The code was used by a request (`code_in_use`)", body = crate::error::Problem),
        (status = 422, description = "A field is wrong", body = crate::error::Problem),
    )
)]
#[patch("/feedback-categories/{id}")]
pub async fn category_update(
    user: Allowed<can::ManageSettings>,
    id: Path<i64>,
    body: JsonBody<UpdateCategory>,
) -> AppResult<web::Json<FeedbackCategory>> {
    Ok(web::Json(user.act(move |c, caller| service::update(c, caller, id.into_inner(), body.0)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(category_list).service(category_create).service(category_update);
}
