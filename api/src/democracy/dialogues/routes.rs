//! `/api/v1/dialogues…`, `/commitments…`.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, patch, post, put, web};

use super::model::*;
use super::service::{self, Commitments};
use crate::auth::{Allowed, can};
use crate::democracy::common::CorrectItem;
use crate::democracy::common::tracked;
use crate::democracy::routes::{created, paged, uploaded};
use crate::error::AppResult;
use crate::http::{JsonBody, Page, Path, Query};

/// Dialogues of the commune, newest first (a village head: those of their village).
#[utoipa::path(
    tag = "democracy",
    params(DialogueFilter),
    responses((status = 200, description = "A page of dialogues", body = Page<DialogueSummary>))
)]
#[get("/dialogues")]
pub async fn list_dialogues(
    user: Allowed<can::ReadDemocracy>,
    q: Query<DialogueFilter>,
) -> AppResult<web::Json<Page<DialogueSummary>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_dialogues(c, caller, &f, paging)).await
}

/// Records a dialogue held between leaders and citizens.
#[utoipa::path(
    tag = "democracy",
    request_body = CreateDialogue,
    responses((status = 201, description = "Recorded", body = Dialogue))
)]
#[post("/dialogues")]
pub async fn create_dialogue(
    user: Allowed<can::ManageDisclosures>,
    body: JsonBody<CreateDialogue>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| service::create_dialogue(c, caller, body.0)).await
}

/// One dialogue with its commitments, and the open commitments of earlier dialogues.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Dialogue id")),
    responses((status = 200, description = "The dialogue", body = Dialogue))
)]
#[get("/dialogues/{id}")]
pub async fn get_dialogue(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Dialogue>> {
    Ok(web::Json(user.act(move |c, caller| service::get_dialogue(c, caller, id.into_inner())).await?))
}

/// Adds a commitment made at the dialogue (owner unit, due day).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Dialogue id")),
    request_body = CreateCommitment,
    responses((status = 201, description = "Added", body = Commitment))
)]
#[post("/dialogues/{id}/commitments")]
pub async fn add_commitment(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CreateCommitment>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| {
        tracked::add::<Commitments>(c, caller, id.into_inner(), &body.0.text, body.0.owner_unit_id, body.0.due_on)
    })
    .await
}

/// Commitments (filters: `overdue`, `status`, owner unit, the `task_id` a commitment became).
#[utoipa::path(
    tag = "democracy",
    params(CommitmentFilter),
    responses((status = 200, description = "A page of commitments", body = Page<Commitment>))
)]
#[get("/commitments")]
pub async fn list_commitments(
    user: Allowed<can::ReadDemocracy>,
    q: Query<CommitmentFilter>,
) -> AppResult<web::Json<Page<Commitment>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_commitments(c, caller, &f, paging)).await
}

/// A progress report on a commitment with its new status (the owner unit, or those who manage
/// dialogues).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Commitment id")),
    request_body = CreateCommitmentReport,
    responses(
        (status = 201, description = "Reported", body = Commitment),
        (status = 409, description = "`not_owner`", body = crate::error::Problem),
    )
)]
#[post("/commitments/{id}/reports")]
pub async fn add_report(
    user: Allowed<can::ReadDemocracy>,
    id: Path<i64>,
    body: JsonBody<CreateCommitmentReport>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| {
        tracked::report::<Commitments>(c, caller, id.into_inner(), &body.0.text, body.0.status)
    })
    .await
}

/// Evidence on a commitment's progress report (multipart `files`: photos, documents; its author
/// or those who manage dialogues).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Commitment report id")),
    request_body(content = inline(crate::democracy::meetings::model::EvidenceForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The commitment with the report's files", body = Commitment),
        (status = 409, description = "`not_author`", body = crate::error::Problem),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/commitment-reports/{id}/files")]
pub async fn commitment_report_files(
    user: Allowed<can::ReadDemocracy>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    uploaded(&user, form, move |c, caller, store, files| {
        tracked::report_files::<Commitments>(c, caller, store, id.into_inner(), files)
    })
    .await
}

/// Turns a commitment into a task of the current plan, in one action (once).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Commitment id")),
    request_body = CommitmentToTask,
    responses(
        (status = 200, description = "The commitment, with its task", body = Commitment),
        (status = 409, description = "`already_a_task` or `no_current_plan`", body = crate::error::Problem),
    )
)]
#[post("/commitments/{id}/task")]
pub async fn to_task(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<CommitmentToTask>,
) -> AppResult<web::Json<Commitment>> {
    Ok(web::Json(
        user.act(move |c, caller| {
            tracked::to_task::<Commitments>(c, caller, id.into_inner(), body.0.content_area_id, body.0.start_date)
        })
        .await?,
    ))
}

/// Replaces a dialogue's content and villages (its commitments stay).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Dialogue id")),
    request_body = CreateDialogue,
    responses(
        (status = 200, description = "Saved", body = Dialogue),
        (status = 403, description = "Not allowed to manage the records", body = crate::error::Problem),
        (status = 404, description = "No such record in the caller's commune", body = crate::error::Problem),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[put("/dialogues/{id}")]
pub async fn update_dialogue(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CreateDialogue>,
) -> AppResult<web::Json<Dialogue>> {
    Ok(web::Json(user.act(move |c, caller| service::update_dialogue(c, caller, id.into_inner(), body.0)).await?))
}

/// Corrects a commitment's text, owner unit or due day (fields left out stay; a done
/// commitment keeps its due day and owner).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Commitment id")),
    request_body = CorrectItem,
    responses(
        (status = 200, description = "Saved", body = Commitment),
        (status = 403, description = "Not allowed to manage the records", body = crate::error::Problem),
        (status = 404, description = "No such record in the caller's commune", body = crate::error::Problem),
        (status = 409, description = "`item_done`: a done item keeps its due day and owner unit", body = crate::error::Problem),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[patch("/commitments/{id}")]
pub async fn correct_commitment(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CorrectItem>,
) -> AppResult<web::Json<Commitment>> {
    Ok(web::Json(
        user.act(move |c, caller| tracked::correct::<Commitments>(c, caller, id.into_inner(), &body.0)).await?,
    ))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_dialogues)
        .service(create_dialogue)
        .service(get_dialogue)
        .service(update_dialogue)
        .service(correct_commitment)
        .service(add_commitment)
        .service(list_commitments)
        .service(add_report)
        .service(commitment_report_files)
        .service(to_task);
}
