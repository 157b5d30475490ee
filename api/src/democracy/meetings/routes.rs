//! `/api/v1/meetings…`, `/decisions…`, `/decision-reports/{id}/files`.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, patch, post, put, web};

use super::model::*;
use super::service::{self, Decisions};
use crate::auth::{Allowed, can};
use crate::democracy::common::CorrectItem;
use crate::democracy::common::tracked;
use crate::democracy::routes::{created, paged, uploaded};
use crate::error::AppResult;
use crate::http::{JsonBody, Page, Path, Query};

/// Coordination meetings of the commune, newest first (a village head: those their unit attended).
#[utoipa::path(
    tag = "democracy",
    params(MeetingFilter),
    responses((status = 200, description = "A page of meetings", body = Page<MeetingSummary>))
)]
#[get("/meetings")]
pub async fn meeting_list(
    user: Allowed<can::ReadDemocracy>,
    q: Query<MeetingFilter>,
) -> AppResult<web::Json<Page<MeetingSummary>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_meetings(c, caller, &f, paging)).await
}

/// Records a coordination meeting (giao ban) and who attended.
#[utoipa::path(
    tag = "democracy",
    request_body = MeetingInput,
    responses(
        (status = 201, description = "Recorded", body = Meeting),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[post("/meetings")]
pub async fn meeting_create(
    user: Allowed<can::ManageDisclosures>,
    body: JsonBody<MeetingInput>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| service::create_meeting(c, caller, body.0)).await
}

/// One meeting with its decisions and the decisions of earlier meetings still open.
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting", body = Meeting))
)]
#[get("/meetings/{id}")]
pub async fn meeting_get(user: Allowed<can::ReadDemocracy>, id: Path<i64>) -> AppResult<web::Json<Meeting>> {
    Ok(web::Json(user.act(move |c, caller| service::get_meeting(c, caller, id.into_inner())).await?))
}

/// Replaces a meeting's content and attendance (its decisions stay).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = MeetingInput,
    responses((status = 200, description = "Saved", body = Meeting))
)]
#[put("/meetings/{id}")]
pub async fn meeting_update(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<MeetingInput>,
) -> AppResult<web::Json<Meeting>> {
    Ok(web::Json(user.act(move |c, caller| service::update_meeting(c, caller, id.into_inner(), body.0)).await?))
}

/// Attaches the scanned minutes (multipart `files`).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body(content = inline(EvidenceForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The meeting with its files", body = Meeting),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/meetings/{id}/files")]
pub async fn meeting_add_files(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    uploaded(&user, form, move |c, caller, store, files| service::add_files(c, caller, store, id.into_inner(), files))
        .await
}

/// Adds a decision of the meeting (owner unit, due day).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = CreateDecision,
    responses((status = 201, description = "Added", body = Decision))
)]
#[post("/meetings/{id}/decisions")]
pub async fn meeting_add_decision(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CreateDecision>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| {
        tracked::add::<Decisions>(c, caller, id.into_inner(), &body.0.text, body.0.owner_unit_id, body.0.due_on)
    })
    .await
}

/// Meeting decisions (filters: `overdue`, `status`, owner unit, the `task_id` one became).
#[utoipa::path(
    tag = "democracy",
    params(DecisionFilter),
    responses((status = 200, description = "A page of decisions", body = Page<Decision>))
)]
#[get("/decisions")]
pub async fn decision_list(
    user: Allowed<can::ReadDemocracy>,
    q: Query<DecisionFilter>,
) -> AppResult<web::Json<Page<Decision>>> {
    let f = q.into_inner();
    paged(&user, (f.page, f.per_page), move |c, caller, paging| service::list_decisions(c, caller, &f, paging)).await
}

/// A progress report on a decision with its new status (the owner unit, or those who manage).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Decision id")),
    request_body = CreateDecisionReport,
    responses(
        (status = 201, description = "Reported", body = Decision),
        (status = 409, description = "`not_owner`", body = crate::error::Problem),
    )
)]
#[post("/decisions/{id}/reports")]
pub async fn decision_add_report(
    user: Allowed<can::ReadDemocracy>,
    id: Path<i64>,
    body: JsonBody<CreateDecisionReport>,
) -> AppResult<HttpResponse> {
    created(&user, move |c, caller| {
        tracked::report::<Decisions>(c, caller, id.into_inner(), &body.0.text, body.0.status)
    })
    .await
}

/// Evidence on a decision's progress report (multipart `files`; its author or those who manage).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Decision report id")),
    request_body(content = inline(EvidenceForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The decision with the report's files", body = Decision),
        (status = 409, description = "`not_author`", body = crate::error::Problem),
        (status = 413, description = "A file exceeds the upload limit", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF", body = crate::error::Problem),
    )
)]
#[post("/decision-reports/{id}/files")]
pub async fn decision_report_files(
    user: Allowed<can::ReadDemocracy>,
    id: Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    uploaded(&user, form, move |c, caller, store, files| {
        tracked::report_files::<Decisions>(c, caller, store, id.into_inner(), files)
    })
    .await
}

/// Turns a decision into a task of the current plan, in one action (once).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Decision id")),
    request_body = DecisionToTask,
    responses(
        (status = 200, description = "The decision, with its task", body = Decision),
        (status = 409, description = "`already_a_task` or `no_current_plan`", body = crate::error::Problem),
    )
)]
#[post("/decisions/{id}/task")]
pub async fn decision_to_task(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<DecisionToTask>,
) -> AppResult<web::Json<Decision>> {
    Ok(web::Json(
        user.act(move |c, caller| {
            tracked::to_task::<Decisions>(c, caller, id.into_inner(), body.0.content_area_id, body.0.start_date)
        })
        .await?,
    ))
}

/// Corrects a decision's text, owner unit or due day (fields left out stay; a done decision
/// keeps its due day and owner).
#[utoipa::path(
    tag = "democracy",
    params(("id" = i64, Path, description = "Decision id")),
    request_body = CorrectItem,
    responses(
        (status = 200, description = "Saved", body = Decision),
        (status = 403, description = "Not allowed to manage the records", body = crate::error::Problem),
        (status = 404, description = "No such record in the caller's commune", body = crate::error::Problem),
        (status = 409, description = "`item_done`: a done item keeps its due day and owner unit", body = crate::error::Problem),
        (status = 422, description = "Invalid field", body = crate::error::Problem),
    )
)]
#[patch("/decisions/{id}")]
pub async fn decision_correct(
    user: Allowed<can::ManageDisclosures>,
    id: Path<i64>,
    body: JsonBody<CorrectItem>,
) -> AppResult<web::Json<Decision>> {
    Ok(web::Json(user.act(move |c, caller| tracked::correct::<Decisions>(c, caller, id.into_inner(), &body.0)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(meeting_list)
        .service(meeting_create)
        .service(meeting_get)
        .service(meeting_update)
        .service(meeting_add_files)
        .service(meeting_add_decision)
        .service(decision_list)
        .service(decision_correct)
        .service(decision_add_report)
        .service(decision_report_files)
        .service(decision_to_task);
}
