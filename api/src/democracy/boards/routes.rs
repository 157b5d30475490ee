//! `/api/v1/community-boards`, `/supervisions…`, `/recommendations…`.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, put, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::democracy::routes::{created, paged, uploaded};
use crate::error::AppResult;
use crate::http::{JsonBody, Page, Path, Query};

/// The commune's community boards (Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng)
/// with their counts.
#[utoipa::path(
    tag = "democracy",
    responses((status = 200, description = "The boards", body = Vec<Board>))
)]
#[get("/community-boards")]
pub async fn board_list(user: Allowed<can::ReadDemocracy>) -> AppResult<web::Json<Vec<Board>>> {
    Ok(web::Json(user.act(service::boards).await?))
}

/// Supervision activities of the boards, newest first, with their recommendations.
#[utoipa::path(
    tag = "democracy",
    params(SupervisionFilter),
    responses((status = 200, description = "A page of supervisions", body = Page<Supervision>))
)]
#[get("/supervisions")]
pub async fn supervision_list(
    user: Allowed<can::ReadDemocracy>,
    q: Query<SupervisionFilter>,
) -> AppResult<web::Json<Page<Supervision>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_supervisions(c, caller, &f, paging)).await
}

/// Records a board's supervision activity and its recommendations.
#[utoipa::path(
    tag = "democracy",
    request_body = CreateSupervision,
    responses(
        (status = 201, description = "Recorded", body = Supervision),
        (status = 422, description = "Invalid field (`board_unit_id` not a board of the commune…)", body = crate::error::Problem),
    )
)]
#[post("/supervisions")]
pub async fn supervision_create(
    user: Allowed<can::ManageDisclosures>,
    body: JsonBody<CreateSupervision>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| service::create_supervision(c, caller, body.0)).await
}

/// One supervision with its recommendations and the responses.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Supervision id")),
    responses((status = 200, description = "The supervision", body = Supervision))
)]
#[get("/supervisions/{id}")]
pub async fn supervision_get(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Supervision>> {
    Ok(web::Json(user.act(move |c, caller| service::get_supervision(c, caller, id.into_inner())).await?))
}

/// Adds a recommendation to a supervision.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Supervision id")),
    request_body = CreateRecommendation,
    responses((status = 201, description = "The supervision", body = Supervision))
)]
#[post("/supervisions/{id}/recommendations")]
pub async fn supervision_add_recommendation(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CreateRecommendation>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| service::add_recommendation(c, caller, id.into_inner(), body.0)).await
}

/// Attaches minutes or photos of a supervision (multipart `files`).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Supervision id")),
    request_body(content = inline(crate::democracy::meetings::model::EvidenceForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The supervision with its files", body = Supervision),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/supervisions/{id}/files")]
pub async fn supervision_add_files(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    uploaded(&user, form, move |c, caller, store, files| service::add_files(c, caller, store, id.into_inner(), files))
        .await
}

/// Recommendations of the boards (filters: `status`, board, addressed unit), newest first.
#[utoipa::path(
    tag = "democracy",
    params(RecommendationFilter),
    responses((status = 200, description = "A page of recommendations", body = Page<Recommendation>))
)]
#[get("/recommendations")]
pub async fn recommendation_list(
    user: Allowed<can::ReadDemocracy>,
    q: Query<RecommendationFilter>,
) -> AppResult<web::Json<Page<Recommendation>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_recommendations(c, caller, &f, paging))
        .await
}

/// Records the commune's response to a recommendation (status, answer, day).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Recommendation id")),
    request_body = RespondRecommendation,
    responses(
        (status = 200, description = "The recommendation with its response", body = Recommendation),
        (status = 422, description = "Invalid field (an answer is required unless pending)", body = crate::error::Problem),
    )
)]
#[put("/recommendations/{id}/response")]
pub async fn recommendation_respond(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<RespondRecommendation>,
) -> AppResult<web::Json<Recommendation>> {
    Ok(web::Json(user.act(move |c, caller| service::respond(c, caller, id.into_inner(), body.0)).await?))
}

/// Replaces a supervision's board, day, subject and findings (its recommendations stay).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Supervision id")),
    request_body = SupervisionInput,
    responses(
        (status = 200, description = "Saved", body = Supervision),
        (status = 403, description = "Not allowed to manage the records", body = crate::error::Problem),
        (status = 404, description = "No such record in the caller's commune", body = crate::error::Problem),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[put("/supervisions/{id}")]
pub async fn supervision_update(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<SupervisionInput>,
) -> AppResult<web::Json<Supervision>> {
    Ok(web::Json(user.act(move |c, caller| service::update_supervision(c, caller, id.into_inner(), body.0)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(board_list)
        .service(supervision_list)
        .service(supervision_create)
        .service(supervision_get)
        .service(supervision_update)
        .service(supervision_add_recommendation)
        .service(supervision_add_files)
        .service(recommendation_list)
        .service(recommendation_respond);
}
