//! HTTP handlers of the commune's feedback categories (permission `manage_settings`).

use actix_web::{HttpResponse, get, patch, post, web};

use super::model::*;
use super::service;
use crate::auth::{AuthUser, Permission};
use crate::db::run;
use crate::error::AppResult;
use crate::http::JsonBody;
use crate::state::AppState;

/// The commune's feedback categories (its Open311 services), inactive ones included; the
/// defaults while it has made no change.
#[utoipa::path(
    tag = "open311",
    responses((status = 200, description = "Categories by position", body = Vec<FeedbackCategory>)),
    security(("bearer" = []))
)]
#[get("/feedback-categories")]
pub async fn category_list(user: AuthUser, state: web::Data<AppState>) -> AppResult<web::Json<Vec<FeedbackCategory>>> {
    user.require(Permission::ManageSettings)?;
    let caller = user.caller.clone();
    Ok(web::Json(run(&state.pool, move |c| service::list(c, &caller)).await?))
}

/// Adds a category (a new Open311 service code of the commune).
#[utoipa::path(
    tag = "open311",
    request_body = CreateCategory,
    responses(
        (status = 201, description = "The category", body = FeedbackCategory),
        (status = 422, description = "A field is wrong, or the code exists in the commune (`duplicate`)", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
#[post("/feedback-categories")]
pub async fn category_create(
    user: AuthUser,
    state: web::Data<AppState>,
    body: JsonBody<CreateCategory>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageSettings)?;
    let caller = user.caller.clone();
    let made = run(&state.pool, move |c| service::create(c, &caller, body.0)).await?;
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
    ),
    security(("bearer" = []))
)]
#[patch("/feedback-categories/{id}")]
pub async fn category_update(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: JsonBody<UpdateCategory>,
) -> AppResult<web::Json<FeedbackCategory>> {
    user.require(Permission::ManageSettings)?;
    let caller = user.caller.clone();
    let id = id.into_inner();
    Ok(web::Json(run(&state.pool, move |c| service::update(c, &caller, id, body.0)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(category_list).service(category_create).service(category_update);
}
