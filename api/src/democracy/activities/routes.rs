//! `/api/v1/activities…`, `/tasks/{id}/activities`.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, put, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::democracy::routes::{created, uploaded};
use crate::error::AppResult;
use crate::http::{JsonBody, Page, Paging, Path, Query, json_response};

/// Activities of the commune, newest first (a village head: those that reached their village).
#[utoipa::path(
    tag = "democracy",
    params(ActivityFilter),
    responses((status = 200, description = "A page of activities", body = Page<Activity>))
)]
#[get("/activities")]
pub async fn activity_list(user: Allowed<can::ReadDemocracy>, q: Query<ActivityFilter>) -> AppResult<HttpResponse> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (caller, cache) = (user.caller.clone(), user.state.reads.clone());
    let f = q.into_inner();
    let json = user.run(move |c| service::list_json(c, &cache, &caller, &f, paging)).await?;
    Ok(json_response(json))
}

/// Records an activity (awareness session or other activity of the plan).
#[utoipa::path(
    tag = "democracy",
    request_body = ActivityInput,
    responses(
        (status = 201, description = "Recorded", body = Activity),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[post("/activities")]
pub async fn activity_create(
    user: Allowed<can::ManageDisclosures>,
    body: JsonBody<ActivityInput>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| service::create(c, caller, body.0)).await
}

/// One activity.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Activity id")),
    responses((status = 200, description = "The activity", body = Activity))
)]
#[get("/activities/{id}")]
pub async fn activity_get(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Activity>> {
    Ok(web::Json(user.act(move |c, caller| service::get(c, caller, id.into_inner())).await?))
}

/// Replaces an activity's content (its photos stay).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Activity id")),
    request_body = ActivityInput,
    responses((status = 200, description = "Saved", body = Activity))
)]
#[put("/activities/{id}")]
pub async fn activity_update(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<ActivityInput>,
) -> AppResult<web::Json<Activity>> {
    Ok(web::Json(user.act(move |c, caller| service::update(c, caller, id.into_inner(), body.0)).await?))
}

/// Adds evidence photos (multipart `files`: JPEG, PNG, WebP or PDF checked by content).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Activity id")),
    request_body(content = inline(ActivityPhotosForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The activity with its photos", body = Activity),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/activities/{id}/photos")]
pub async fn activity_add_photos(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    uploaded(&user, form, move |c, caller, store, files| service::add_photos(c, caller, store, id.into_inner(), files))
        .await
}

/// The activities behind a plan task (what its progress rests on).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task's activities, newest first", body = Vec<Activity>),
        (status = 404, description = "No such task in the commune", body = crate::error::Problem),
    )
)]
#[get("/tasks/{id}/activities")]
pub async fn task_activities(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Vec<Activity>>> {
    Ok(web::Json(user.act(move |c, caller| service::of_task(c, caller, id.into_inner())).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(activity_list)
        .service(activity_create)
        .service(activity_get)
        .service(activity_update)
        .service(activity_add_photos)
        .service(task_activities);
}
